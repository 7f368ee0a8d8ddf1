#!/usr/bin/env bash
# While nothing is deployed, the first migration is regenerated from prisma/schema.prisma.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
out=prisma/migrations/20261126000000_init/migration.sql
rm -f "$out"
npx prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script -o "$out"
npx prisma generate >/dev/null
echo "regenerated $out"

// The SQL for a new SQLite migration: from the schema as last committed to prisma/schema.prisma as it is now.
// Prisma's `--from-migrations` needs a shadow database, which the JS schema engine on libSQL cannot keep across
// migrations ("no such table" on the second one). The committed schema stands in for the migrations: the drift test
// (test/db.test.ts) proves the checked-in migrations build exactly that schema. Usage: npm run db:diff [-- <git rev>]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const rev = process.argv[2] ?? "HEAD";
const dir = mkdtempSync(path.join(tmpdir(), "acp-db-diff-"));
try {
  const committed = path.join(dir, "schema.prisma");
  writeFileSync(committed, execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], { cwd: root }));
  const sql = execFileSync(
    path.join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--from-schema-datamodel", committed, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { cwd: root, env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
  );
  process.stdout.write(sql);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

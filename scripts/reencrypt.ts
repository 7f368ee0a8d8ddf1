// npm run secrets:reencrypt — rewrites every encrypted column under the current key of APP_ENCRYPTION_KEYS
// (v1 ciphertexts, older key ids, legacy plaintext Shopify session tokens). Idempotent; run it after adding a
// new key first in the ring, and at every deploy after `npm run db:migrate` (docs/operations.md).
// Prints one JSON line per column (counts and the ids of rows it could not decrypt, never values); exits 1 when
// any row could not be decrypted.
import { createDb, sqlitePragmas } from "../app/db/client.server";
import { keyring } from "../app/security/secrets.server";
import { reencryptAll } from "../app/security/reencrypt.server";

const batchSize = Number(process.argv.find((a) => a.startsWith("--batch="))?.slice("--batch=".length)) || 200;
const ring = keyring();
if (ring.development && process.env.NODE_ENV !== "test") console.error("warning: no APP_ENCRYPTION_KEYS set, using the development key");
const db = createDb(process.env.DATABASE_URL, (process.env.DATABASE_URL ?? "file:").startsWith("file:") ? sqlitePragmas() : []);
try {
  const reports = await reencryptAll(db, { batchSize, onColumn: (r) => console.log(JSON.stringify({ ...r, failed: r.failed.length, failedIds: r.failed.slice(0, 20) })) });
  const total = reports.reduce((sum, r) => ({ scanned: sum.scanned + r.scanned, reencrypted: sum.reencrypted + r.reencrypted, failed: sum.failed + r.failed.length }), { scanned: 0, reencrypted: 0, failed: 0 });
  console.log(JSON.stringify({ currentKeyId: ring.current, ...total }));
  process.exitCode = total.failed > 0 ? 1 : 0;
} finally {
  await db.$disconnect();
}

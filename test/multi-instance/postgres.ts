// PostgreSQL for the multi-instance tests and the scale benchmark: whether the test server answers
// (TEST_POSTGRES_URL, default the local one), and an empty database of our own (prefix "multi_"), dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { postgresUrlFor, testPostgresUrl as SERVER_URL } from "../support/db";

/** null when PostgreSQL answers; otherwise why the tests are skipped (printed). */
export async function postgresAbsent(): Promise<string | null> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    const reason = `PostgreSQL not reachable at ${new URL(SERVER_URL).host} (${(error as Error).message}); multi-instance tests skipped`;
    if (process.env.TEST_POSTGRES === "required") throw new Error(`TEST_POSTGRES=required: ${reason}`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates an empty database; `drop()` removes it (connections are terminated first). */
export async function scratchDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `multi_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    name,
    url: postgresUrlFor(name),
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

// The one small `pg` pool the app keeps beside Prisma's, for the two things Prisma's client cannot do on a
// PostgreSQL database: rate-limiter-flexible's store (it takes a `pg` Pool) and session-level advisory locks
// (held on one connection across awaits). Only built when DATABASE_URL is a postgres:// URL (docs/decisions/0135).
import pg from "pg";

const pools = new Map<string, pg.Pool>();

/** A pool per database URL (one per process in the app). `PG_SIDE_POOL_MAX` caps it (default 4). */
export function sidePool(url: string): pg.Pool {
  let pool = pools.get(url);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.PG_SIDE_POOL_MAX) || 4,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      allowExitOnIdle: true,
    });
    // An idle client's error (the server restarted) must not crash the process; the pool replaces the client.
    pool.on("error", () => undefined);
    pools.set(url, pool);
  }
  return pool;
}

/** Closes the pools (shutdown, tests). */
export async function closeSidePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end().catch(() => undefined)));
}


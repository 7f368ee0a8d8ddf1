// Rate limits shared by every app instance: rate-limiter-flexible's RateLimiterPostgres over the app's `pg` side
// pool, one row per budget key in "RateLimitPoint" (key, points, expire ms), created by the PostgreSQL migrations
// (never at request time). A key already over its budget is refused from memory until its window ends
// (inMemoryBlockOnConsumed), so a flood costs the database nothing; if the database fails, each instance falls
// back to its own in-memory budget (insuranceLimiter) rather than refuse or pass everyone (docs/decisions/0135).
import { RateLimiterMemory, RateLimiterPostgres } from "rate-limiter-flexible";
import type pg from "pg";
import { isPostgresUrl } from "../db/client.server";
import { sidePool } from "../jobs/postgres.server";
import { memoryLimiter, storeLimiter, type LimiterFactory } from "./limiter";

export const RATE_LIMIT_TABLE = "RateLimitPoint";

/** The table's DDL, as the migration creates it (tests on a bare database use it). */
export const RATE_LIMIT_TABLE_SQL = `CREATE TABLE IF NOT EXISTS "${RATE_LIMIT_TABLE}" ("key" TEXT NOT NULL, "points" INTEGER NOT NULL DEFAULT 0, "expire" BIGINT, CONSTRAINT "${RATE_LIMIT_TABLE}_pkey" PRIMARY KEY ("key"))`;

export function postgresLimiter(pool: pg.Pool): LimiterFactory {
  return (limit, name) =>
    storeLimiter(limit, name, (options) =>
      new RateLimiterPostgres({
        ...options,
        storeClient: pool,
        storeType: "pool",
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        // Expired rows are deleted by the limiter itself (an hour after they expire, every 5 minutes, timer unref'd).
        clearExpiredByTimeout: true,
        inMemoryBlockOnConsumed: options.points + 1,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
    );
}

/** The store for this database: PostgreSQL → one shared budget; SQLite (one instance) → memory. */
export function limiterForDatabase(url = process.env.DATABASE_URL): LimiterFactory {
  return url && isPostgresUrl(url) ? postgresLimiter(sidePool(url)) : memoryLimiter;
}

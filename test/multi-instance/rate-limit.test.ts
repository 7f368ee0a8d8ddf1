// The per-key budget is one budget across instances when the database is PostgreSQL: two limiter stacks on
// separate pools (as two app processes have) share it; memory budgets (SQLite, one process) do not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { postgresLimiter, RATE_LIMIT_TABLE_SQL } from "../../app/protection/limiter-postgres.server";
import { memoryLimiter } from "../../app/protection/limiter";
import { postgresAbsent, scratchDatabase } from "./postgres";

const absent = await postgresAbsent();
if (absent) console.warn(absent);

describe.skipIf(absent !== null)("rate limits on PostgreSQL across instances", () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    database = await scratchDatabase();
    // Dropping the database ends the servers' side of the connections: an error the pools must not throw.
    for (let i = 0; i < 2; i++) pools.push(new pg.Pool({ connectionString: database.url, max: 4 }).on("error", () => undefined));
    await pools[0].query(RATE_LIMIT_TABLE_SQL);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await database?.drop();
  });

  it("accepts at most the budget however the requests are spread over two instances", async () => {
    const limit = { capacity: 30, refillPerSecond: 10 };
    const [a, b] = pools.map((pool) => postgresLimiter(pool)(limit, "acp:key"));
    const decisions = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).consume("token-hash")));
    const accepted = decisions.filter((d) => d.allowed).length;
    expect(accepted).toBeLessThanOrEqual(limit.capacity);
    expect(accepted).toBeGreaterThanOrEqual(limit.capacity - 1); // the budget is really spent, not refused early
    const refused = decisions.find((d) => !d.allowed);
    expect(refused && !refused.allowed && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another key has its own budget on both instances.
    expect((await a.consume("other-key")).allowed).toBe(true);
    const rows = await pools[0].query<{ n: string }>(`SELECT count(*) AS n FROM "RateLimitPoint" WHERE key LIKE 'acp:key%'`);
    expect(Number(rows.rows[0].n)).toBeGreaterThan(0);
  });

  it("memory budgets, by contrast, are per instance (why SQLite deployments run one process)", async () => {
    const limit = { capacity: 30, refillPerSecond: 10 };
    const [a, b] = [memoryLimiter(limit, "acp:key"), memoryLimiter(limit, "acp:key")];
    const decisions = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? a : b).consume("token-hash")));
    expect(decisions.filter((d) => d.allowed).length).toBe(2 * limit.capacity);
  });

  it("a database that fails mid-way leaves each instance its own budget, never an exception", async () => {
    const broken = new pg.Pool({ connectionString: database.url.replace(/\/[^/]+$/, "/no_such_database"), max: 1 }).on("error", () => undefined);
    try {
      const limiter = postgresLimiter(broken)({ capacity: 5, refillPerSecond: 1 }, "acp:key");
      const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.consume("k")));
      expect(decisions.filter((d) => d.allowed).length).toBe(5);
    } finally {
      await broken.end();
    }
  });
});

// The database failing under the ACP API (docs/decisions/0129), on PostgreSQL: a throwaway database per file,
// reached through a TCP proxy the test can cut (the server "goes away"), black-hole (a partition: connections open,
// nothing answers) and restore; backends terminated with pg_terminate_backend (what a PostgreSQL restart does to
// the app's connections); a one-connection pool held busy. Each time: a spec-format 503 with Retry-After within
// the configured timeouts, nothing half-written, and the next request after recovery succeeds.
// Runs in the postgres test project (TEST_DATABASE=postgres); on SQLite the file is skipped.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import examples from "../spec/acp/2026-04-17/examples/examples.agentic_checkout.json";
import { call, harness } from "./acp/harness";
import { expectSpecError, expectValidSession } from "./acp/assertions";
import { composeAcp } from "../app/acp/compose.server";
import { createDb, type Db } from "../app/db/client.server";
import { isDatabaseUnavailable } from "../app/db/unavailable.server";
import { createMcpEndpoint } from "../app/mcp/server";
import { freshDb, onPostgres, testPostgresUrl } from "./support/db";
import { productionEnv, spawnServer, waitHealthy, type ServerRun } from "./support/production-server";

/** A TCP proxy to the PostgreSQL server. */
class Proxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private mode: "forward" | "blackhole" = "forward";
  port = 0;

  async start(): Promise<void> {
    const upstream = new URL(testPostgresUrl);
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      client.on("close", () => this.sockets.delete(client));
      client.on("error", () => {});
      if (this.mode === "blackhole") return; // accepted, never answered
      const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
      this.sockets.add(server);
      server.on("close", () => this.sockets.delete(server));
      server.on("error", () => client.destroy());
      client.on("close", () => server.destroy());
      server.on("close", () => client.destroy());
      client.on("data", (d) => this.mode === "forward" && server.write(d));
      server.on("data", (d) => this.mode === "forward" && client.write(d));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** The server goes away: open connections are reset, new ones refused. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** A partition: connections stay open (and new ones are accepted) but no byte gets through. */
  blackhole(): void {
    this.mode = "blackhole";
  }

  /** Back to normal. Connections opened during the fault are reset; the pool learns of it from their close. */
  async restore(): Promise<void> {
    this.mode = "forward";
    for (const s of this.sockets) s.destroy();
    if (!this.server) await this.start();
    await new Promise((r) => setTimeout(r, 100));
  }

  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(this.port);
    return url.toString();
  }
}

const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 1_500;

describe.runIf(onPostgres())("the database fails under the ACP API (PostgreSQL)", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let key: string;
  const proxy = new Proxy();
  let db: Db;
  let handler: (r: Request) => Promise<Response>;
  const saved = { ...process.env };

  /** An ACP handler whose database connections go through the proxy, with a pool of `poolSize`. */
  function connect(poolSize: number) {
    process.env.DATABASE_POOL_SIZE = String(poolSize);
    process.env.DATABASE_CONNECT_TIMEOUT_MS = String(CONNECT_TIMEOUT_MS);
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = String(STATEMENT_TIMEOUT_MS);
    db = createDb(proxy.urlFor(h.url));
    handler = composeAcp({
      db,
      adminFor: async () => {
        throw new Error("no Shopify in this test");
      },
      clock: h.clock,
      appUrl: "https://app.example.com",
      adapters: async () => ({ catalog: h.catalog, pricer: h.pricer }),
    }).handler;
  }

  const create = (idempotencyKey?: string) => call(handler, "/checkout_sessions", { key, body: examples.create_checkout_session_request, idempotencyKey });
  const sessions = () => h.db.checkoutSession.count();
  const inFlight = () => h.db.idempotencyRecord.count({ where: { state: "in_flight" } });

  function expect503(res: Awaited<ReturnType<typeof call>>) {
    expect(res.status).toBe(503);
    expectSpecError(res.json);
    expect(res.json.type).toBe("service_unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    h = await harness();
    ({ key } = await h.addShop());
    await proxy.start();
    connect(4);
  });
  afterEach(async () => {
    await proxy.restore();
  });
  afterAll(async () => {
    await db?.$disconnect().catch(() => {});
    await proxy.cut();
    await h.close();
    for (const k of ["DATABASE_POOL_SIZE", "DATABASE_CONNECT_TIMEOUT_MS", "DATABASE_STATEMENT_TIMEOUT_MS"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("the server gone: 503 service_unavailable with Retry-After at once, nothing written; after it returns the same request succeeds", async () => {
    expect((await create()).status).toBe(201);
    const [before, keysBefore] = [await sessions(), await h.db.idempotencyRecord.count()];
    await proxy.cut();
    const started = Date.now();
    const down = await create("outage-1");
    expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS + 2_000);
    expect503(down);
    const read = await call(handler, "/checkout_sessions/cs_00000000000000000000000000000000", { key });
    expect503(read);
    expect(await sessions()).toBe(before);
    expect(await h.db.idempotencyRecord.count()).toBe(keysBefore);
    await proxy.restore();
    const again = await create("outage-1");
    expect(again.status).toBe(201);
    expectValidSession("2026-04-17", again.json);
    expect(await sessions()).toBe(before + 1);
  });

  it("a partition (connections open, no answer): 503 within the connect and statement timeouts, never a hang", async () => {
    expect((await create()).status).toBe(201); // the pool holds open connections now
    const before = await sessions();
    proxy.blackhole();
    const started = Date.now();
    const res = await create();
    const elapsed = Date.now() - started;
    expect503(res);
    // The query on an open connection is cut by query_timeout (statement timeout + 1 s); a new one by the connect timeout.
    expect(elapsed).toBeLessThan(STATEMENT_TIMEOUT_MS + 1_000 + CONNECT_TIMEOUT_MS + 2_000);
    await proxy.restore();
    expect(await sessions()).toBe(before);
    expect(await inFlight()).toBe(0);
    expect((await create()).status).toBe(201);
  });

  it("a PostgreSQL restart (every backend terminated): the pool reconnects and the next requests succeed", async () => {
    for (let i = 0; i < 3; i++) expect((await create()).status).toBe(201);
    const name = new URL(h.url).pathname.slice(1);
    const terminated = await h.db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      name,
    );
    expect(Number(terminated[0].n)).toBeGreaterThan(0);
    const results = await Promise.all([create(), create(), create()]);
    // A request whose connection died under it answers 503 (and may be retried); none is a 500 or a hang.
    for (const r of results) {
      if (r.status !== 201) expect503(r);
    }
    const after = await create();
    expect(after.status).toBe(201);
    expect(await inFlight()).toBe(0);
  });

  it("pool exhausted: a request queues for a connection, then fails 503 after the connect timeout; served once one frees", async () => {
    await db.$disconnect();
    connect(1);
    expect((await create()).status).toBe(201);
    const before = await sessions();
    // The one connection is held by a long transaction.
    const held = db.$transaction(async (tx) => tx.$executeRawUnsafe("SELECT pg_sleep(1.2)"), { timeout: 5_000, maxWait: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const res = await create();
    const elapsed = Date.now() - started;
    expect503(res);
    expect(elapsed).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100); // it waited for a connection first
    expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + 2_000);
    await held;
    expect(await sessions()).toBe(before);
    expect((await create()).status).toBe(201);
    await db.$disconnect();
    connect(4);
  });
});

describe.runIf(onPostgres())("the production server on PostgreSQL while the database goes away and comes back", () => {
  const t = freshDb();
  const proxy = new Proxy();
  let server: ServerRun;

  beforeAll(async () => {
    await proxy.start();
    server = await spawnServer({
      ...productionEnv(proxy.urlFor(t.url)),
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    await waitHealthy(server);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await proxy.cut();
    await t.close();
  });

  const ready = async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get("retry-after"), body: await res.json() };
  };

  it("/readyz is 503 while PostgreSQL is unreachable or silent, answering within 2 s, and 200 again once it is back; /healthz stays 200", async () => {
    expect((await ready()).status).toBe(200);
    await proxy.cut();
    const down = await ready();
    expect(down).toMatchObject({ status: 503, body: { status: "unavailable", reason: "database" } });
    expect(Number(down.retryAfter)).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await proxy.restore();
    proxy.blackhole();
    const silent = await ready();
    expect(silent.status).toBe(503);
    expect(silent.ms).toBeLessThan(3_500);
    await proxy.restore();
    let back = await ready();
    for (let i = 0; i < 20 && back.status !== 200; i++) back = await ready(); // the pool drops the cut connections first
    expect(back.status).toBe(200);
    expect(server.child.exitCode).toBeNull(); // no crash on the lost connections
  });
});

describe("MCP while the database is unavailable", () => {
  it("a key that cannot be looked up is a 503 to retry (service_unavailable, Retry-After), not a 401", async () => {
    const refused = createDb("postgres://postgres@127.0.0.1:1/none");
    const endpoint = createMcpEndpoint({
      authenticate: async () => {
        await refused.agentApiKey.findFirst(); // the key lookup meets the database that is down
        return null;
      },
      acp: async () => new Response("{}"),
      catalog: { search: async () => ({ products: [], more: false }), product: async () => null },
    });
    const res = await endpoint.handle(
      new Request("http://app.test/mcp", {
        method: "POST",
        headers: { Authorization: "Bearer acp_sk_some_key_0000000000", "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
    );
    await refused.$disconnect();
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { data: { type: string; code: string } } };
    expect(body.error.data).toMatchObject({ type: "service_unavailable", code: "upstream_unavailable" });
  });
});

describe("what counts as the database being unavailable", () => {
  it("connection-level failures do; a client's mistake or a constraint does not", async () => {
    const refused = createDb("postgres://postgres@127.0.0.1:1/none");
    const error = await refused.shop.count().then(
      () => null,
      (e: unknown) => e,
    );
    await refused.$disconnect();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2024", message: "pool timeout" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57P01" } } } })).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57014" } } } })).toBe(true);
    expect(isDatabaseUnavailable(new Error("SQLITE_BUSY: database is locked"))).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2002", message: "Unique constraint failed" })).toBe(false);
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "42601" } } } })).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

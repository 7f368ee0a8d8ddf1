// Scale benchmark (issue 14, Build 4): the mixed agent load of bench/load.ts (feed 20 %, create 40 %, update 30 %,
// complete 10 %) against 1, 2 and 4 app instances on one PostgreSQL database and 1 on SQLite, spread by
// client-side round robin. Per configuration: req/s, p50/p99, errors, the app's CPU milliseconds per request (the
// instances' own utime+stime from /proc/<pid>/stat, summed — robust on a shared box, unlike wall time), database
// round trips per operation (PostgreSQL: counted by a relay in front of the server, every Query and every Sync
// message), and each instance's RSS. Instance 0 also runs the background jobs (BACKGROUND_JOBS=0 on the others,
// the recommended layout). On two cores throughput cannot grow with instances; what must hold: zero errors, CPU per
// request at 2 and 4 instances within 1.25× of one, PostgreSQL within 1.5× of SQLite.
//   npx tsx bench/scale.ts [--requests 1200] [--warm 200] [--concurrency 16] [--configs pg1,pg2,pg4,sqlite1]
// The warm-up matters: each of 4 instances sees a quarter of the traffic, and with 60 warm-up requests apiece the
// JIT had not caught up (CPU/request 1.5× of one instance; 1.16× with 200).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAgentClient, shapes } from "../sim/agent/client";
import { BENCH_ADDRESS as address, BENCH_BUYER as buyer } from "./stack";
import { fmt, load, percentile, type Sample } from "./lib";
import { startRoundTripRelay, type RoundTripRelay } from "./pg-round-trips";
import { CLUSTER_SHOP, startCluster, type Cluster } from "../test/multi-instance/cluster";
import { postgresAbsent, scratchDatabase } from "../test/multi-instance/postgres";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const REQUESTS = Number(opt("requests", "1200"));
const CONCURRENCY = Number(opt("concurrency", "16"));
const CONFIGS = opt("configs", "pg1,pg2,pg4,sqlite1").split(",").map((c) => ({ name: c, db: c.startsWith("pg") ? ("postgres" as const) : ("sqlite" as const), instances: Number(/\d+$/.exec(c)?.[0] ?? 1) }));
/** Requests per operation kind in the round-trip phase (sequential, spread over the instances). */
const PER_KIND = 20;
/** Mixed warm-up requests per instance (JIT, pools, caches), not measured. */
const WARM_PER_INSTANCE = Number(opt("warm", "200"));
/** Quiet time over which each instance's idle CPU is measured. */
const IDLE_MS = 3000;
const V = "2026-04-17";
type Kind = "feed" | "create" | "update" | "complete";
const KINDS: Kind[] = ["feed", "create", "update", "create", "update", "feed", "create", "update", "create", "complete"];
const TICK_MS = 10; // USER_HZ = 100 on Linux

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}
function rssMb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
}

interface Row {
  name: string;
  instances: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuPerRequest: number;
  /** CPU ms per second the instances spent idle (summed), measured before the run. */
  idlePerSecond: number;
  /** cpuPerRequest without the idle rate over the run's wall time. */
  busyCpuPerRequest: number;
  roundTrips: Record<Kind, number> | null;
  mixedRoundTrips: number | null;
  rss: number[];
}

async function measure(config: (typeof CONFIGS)[number]): Promise<Row> {
  let relay: RoundTripRelay | null = null;
  let drop = async () => {};
  let databaseUrl: string;
  if (config.db === "postgres") {
    const db = await scratchDatabase();
    databaseUrl = db.url;
    drop = db.drop;
    relay = await startRoundTripRelay(databaseUrl);
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), "bench-scale-"));
    databaseUrl = `file:${path.join(dir, "scale.sqlite")}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
  }
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({
      databaseUrl,
      appDatabaseUrl: relay?.url,
      instances: config.instances,
      production: true,
      env: { ACP_RATE_LIMIT: "100000/100000", ACP_SHOP_RATE_LIMIT: "100000/100000", ACP_MAX_OPEN_SESSIONS_PER_KEY: "10000000", DATABASE_POOL_SIZE: "5", LOG_LEVEL: "warn" },
      envFor: (i) => ({ BACKGROUND_JOBS: i === 0 ? "1" : "0" }),
      nodeArgs: ["--max-old-space-size=256"], // as `npm start` runs it
    });
    const c = cluster;
    c.shopify.setThrottle({ maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
    const variants = [...c.shopify.shop(CLUSTER_SHOP).products.values()].filter((p) => p.status === "ACTIVE").flatMap((p) => p.variants).filter((v) => v.price >= 1000).slice(0, 20);
    for (const v of variants) c.shopify.setInventory(CLUSTER_SHOP, v.id, 1_000_000);
    await c.shopify.waitForWebhookDeliveries();
    for (let i = 0; i < 200 && (await c.db.outboxEvent.count({ where: { type: "shopify_webhook", deliveredAt: null, deadAt: null } })) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const items = variants.map((v) => `gid://shopify/ProductVariant/${v.id}`);
    const item = (i: number) => [{ id: items[i % items.length], quantity: 1 }];
    const clients = c.instances.map((x) => createAgentClient({ baseUrl: `${x.url}/acp`, apiKey: c.agentKey, version: V }));
    const on = (i: number) => clients[i % clients.length];

    const share = (n: number, kind: Kind) => Math.ceil((n * KINDS.filter((k) => k === kind).length) / KINDS.length);
    const count = (kind: Kind) => share(REQUESTS, kind) + share(WARM_PER_INSTANCE * c.instances.length, kind) + PER_KIND;
    const toUpdate: string[] = [];
    const toComplete: Array<{ id: string; token: string }> = [];
    await load(count("update"), 8, async (i) => {
      const res = await on(i).create(shapes.create(V, item(i), buyer));
      toUpdate.push(String(res.body.id));
      return { ms: 0, upstreamMs: 0, status: res.status };
    });
    await load(count("complete"), 8, async (i) => {
      const res = await on(i).create({ ...shapes.create(V, item(i), buyer), fulfillment_details: { name: address.name, email: buyer.email, address } });
      if (res.body.status !== "ready_for_payment") throw new Error(`session not ready: ${JSON.stringify(res.body).slice(0, 300)}`);
      const amount = (res.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
      toComplete.push({ id: String(res.body.id), token: c.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: amount }).id });
      return { ms: 0, upstreamMs: 0, status: res.status };
    });
    let updates = 0;
    let completes = 0;
    async function request(kind: Kind, i: number): Promise<number> {
      if (kind === "feed") {
        const res = await fetch(`${c.instances[i % c.instances.length].url}${c.feedUrl}`);
        await res.arrayBuffer();
        return res.status;
      }
      if (kind === "create") return (await on(i).create(shapes.create(V, item(i), buyer))).status;
      if (kind === "update") return (await on(i).update(toUpdate[updates++], shapes.address(V, address, buyer.email))).status;
      const s = toComplete[completes++];
      const res = await on(i).complete(s.id, shapes.complete(V, s.token));
      return res.body.status === "completed" ? res.status : 599;
    }
    // Warm-up (JIT, pools, caches): the full mix on every instance, not measured.
    await load(WARM_PER_INSTANCE * c.instances.length, 4, async (i) => ({ ms: 0, upstreamMs: 0, status: await request(KINDS[i % KINDS.length], i) }));

    // Round trips per operation: PER_KIND requests of each kind, one at a time (nothing else runs but the worker).
    let roundTrips: Row["roundTrips"] = null;
    if (relay) {
      roundTrips = {} as Record<Kind, number>;
      for (const kind of ["feed", "create", "update", "complete"] as Kind[]) {
        const before = relay.roundTrips();
        for (let i = 0; i < PER_KIND; i++) await request(kind, i);
        roundTrips[kind] = (relay.roundTrips() - before) / PER_KIND;
      }
    }

    const pids = c.instances.map((x) => x.pid()!);
    // What the instances burn doing nothing (timers, GC, the worker's polling on instance 0), per second of wall time.
    const idleBefore = pids.map(cpuMs);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idlePerSecond = (pids.map(cpuMs).reduce((sum, v, i) => sum + v - idleBefore[i], 0) / IDLE_MS) * 1000;
    const cpuBefore = pids.map(cpuMs);
    const rtBefore = relay?.roundTrips() ?? 0;
    const run = await load(REQUESTS, CONCURRENCY, async (i): Promise<Sample> => {
      const started = performance.now();
      const status = await request(KINDS[i % KINDS.length], i);
      return { ms: performance.now() - started, upstreamMs: 0, status };
    });
    const cpu = pids.map(cpuMs).reduce((sum, v, i) => sum + v - cpuBefore[i], 0);
    const sorted = run.samples.map((s) => s.ms).sort((a, b) => a - b);
    const row: Row = {
      name: config.name,
      instances: config.instances,
      rps: REQUESTS / (run.wallMs / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      errors: run.samples.filter((s) => s.status >= 400).length,
      cpuPerRequest: cpu / REQUESTS,
      idlePerSecond,
      busyCpuPerRequest: Math.max(0, cpu - (idlePerSecond * run.wallMs) / 1000) / REQUESTS,
      roundTrips,
      mixedRoundTrips: relay ? (relay.roundTrips() - rtBefore) / REQUESTS : null,
      rss: pids.map(rssMb),
    };
    console.error(`${config.name}: ${fmt(row.rps, 0)} req/s, p50 ${fmt(row.p50)} ms, p99 ${fmt(row.p99)} ms, CPU ${fmt(row.cpuPerRequest, 2)} ms/request (idle ${fmt(idlePerSecond, 1)} ms/s), errors ${row.errors}`);
    return row;
  } finally {
    await cluster?.stop();
    await relay?.close();
    await drop();
  }
}

const absent = await postgresAbsent();
if (absent && CONFIGS.some((c) => c.db === "postgres")) {
  console.error(absent.replace("multi-instance tests skipped", "the scale benchmark needs it"));
  process.exit(1);
}
const rows: Row[] = [];
for (const config of CONFIGS) rows.push(await measure(config));

console.log(`\nScale — ${REQUESTS} mixed requests per configuration at concurrency ${CONCURRENCY} (feed 20 %, create 40 %, update 30 %, complete 10 %), round robin over the instances, production build`);
console.log("config    inst   req/s  p50 ms  p99 ms  errors | CPU ms/req  idle ms/s  net of idle | round trips: feed create update complete  mixed/req | RSS MB per instance");
for (const r of rows) {
  const rt = r.roundTrips ? `${fmt(r.roundTrips.feed).padStart(4)} ${fmt(r.roundTrips.create).padStart(6)} ${fmt(r.roundTrips.update).padStart(6)} ${fmt(r.roundTrips.complete).padStart(8)}` : "   —      —      —        —";
  console.log(
    `${r.name.padEnd(9)} ${String(r.instances).padStart(4)} ${fmt(r.rps, 0).padStart(7)} ${fmt(r.p50).padStart(7)} ${fmt(r.p99).padStart(7)} ${String(r.errors).padStart(7)} | ${fmt(r.cpuPerRequest, 2).padStart(10)} ${fmt(r.idlePerSecond, 1).padStart(10)} ${fmt(r.busyCpuPerRequest, 2).padStart(12)} |              ${rt}  ${(r.mixedRoundTrips === null ? "—" : fmt(r.mixedRoundTrips)).padStart(9)} | ${r.rss.map((m) => fmt(m, 0)).join(" ")}`,
  );
}
const one = rows.find((r) => r.name === "pg1");
const sqlite = rows.find((r) => r.name === "sqlite1");
const checks: Array<[string, boolean]> = [["zero errors", rows.every((r) => r.errors === 0)]];
for (const r of rows.filter((x) => x.name.startsWith("pg") && x.instances > 1)) {
  if (one) checks.push([`CPU/request at ${r.instances} instances ${fmt(r.cpuPerRequest / one.cpuPerRequest, 2)}× of one (≤ 1.25; net of idle ${fmt(r.busyCpuPerRequest / one.busyCpuPerRequest, 2)}×)`, r.cpuPerRequest <= 1.25 * one.cpuPerRequest]);
}
if (one && sqlite) checks.push([`PostgreSQL CPU/request ${fmt(one.cpuPerRequest / sqlite.cpuPerRequest, 2)}× of SQLite's (≤ 1.5)`, one.cpuPerRequest <= 1.5 * sqlite.cpuPerRequest]);
console.log("");
for (const [label, ok] of checks) console.log(`${ok ? "ok  " : "FAIL"} ${label}`);
if (checks.some(([, ok]) => !ok)) process.exitCode = 1;

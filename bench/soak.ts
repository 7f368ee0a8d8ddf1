// Soak (issue 15, item 3): N mixed agent requests (feed 20 %, create 40 %, update 30 %, complete 10 %) against
// the production build on the demo stack, printing the app process's RSS and live heap (after a full GC) every
// 5,000 requests and the slope of each (MB per 10,000 requests, least squares over the samples after the first),
// so "flat memory" is a figure. Every session the soak updates or completes is one it created itself: nothing is
// prepared up front, so what the app keeps is what the requests leave behind.
//   npx tsx bench/soak.ts [--requests 50000] [--every 5000] [--concurrency 8] [--no-build] [--snapshots /tmp/dir]
// --snapshots dir writes a heap snapshot of the app (SIGUSR2, bench/stack.ts) after the warm-up and at the end;
// `npx tsx bench/heap-top.ts <file>` summarises one (docs/benchmarks.md, "Memory").
import { readdirSync, readFileSync } from "node:fs";
import { createAgentClient, shapes } from "../sim/agent/client";
import { fmt } from "./lib";
import { BENCH_ADDRESS as address, BENCH_BUYER as buyer, startBenchStack, stockedItems } from "./stack";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const REQUESTS = Number(opt("requests", "50000"));
const EVERY = Number(opt("every", "5000"));
const CONCURRENCY = Number(opt("concurrency", "8"));
const SNAPSHOTS = args.includes("--snapshots") ? opt("snapshots", "") : "";
if (!Number.isInteger(REQUESTS) || REQUESTS < EVERY || !Number.isInteger(EVERY) || EVERY <= 0) throw new Error("--requests must be an integer ≥ --every (> 0)");
if (SNAPSHOTS) process.env.BENCH_HEAP_DIR = SNAPSHOTS;
const V = "2026-04-17";

const stack = await startBenchStack("soak", {
  build: !args.includes("--no-build"),
  exposeGc: true,
  env: { BENCH_ROUTES: "1", ACP_RATE_LIMIT: "100000/100000", ACP_SHOP_RATE_LIMIT: "100000/100000", ACP_MAX_OPEN_SESSIONS_PER_KEY: "10000000" },
});

interface Point {
  requests: number;
  rssMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  seconds: number;
}

/** The app's memory after a full GC (bench/serve.mjs, /__bench/stats?gc=1). */
async function memory(): Promise<Omit<Point, "requests" | "seconds">> {
  const res = await fetch(`${stack.appUrl}/__bench/stats?gc=1`);
  const s = (await res.json()) as { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number };
  const mb = (b: number) => b / 1024 / 1024;
  return { rssMb: mb(s.rssBytes), heapMb: mb(s.heapUsedBytes), heapTotalMb: mb(s.heapTotalBytes), externalMb: mb(s.externalBytes) };
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return num / den;
}

async function snapshot(label: string): Promise<void> {
  if (!SNAPSHOTS) return;
  const before = new Set(readdirSync(SNAPSHOTS));
  process.kill(stack.appPid()!, "SIGUSR2");
  // The app writes the snapshot synchronously: wait for a new file whose size stops changing.
  for (let last = -1; ; ) {
    await new Promise((r) => setTimeout(r, 1000));
    const fresh = readdirSync(SNAPSHOTS).filter((f) => !before.has(f) && f.endsWith(".heapsnapshot"));
    if (fresh.length === 0) continue;
    const size = readFileSync(`${SNAPSHOTS}/${fresh[0]}`).length;
    if (size > 0 && size === last) {
      console.error(`heap snapshot (${label}): ${SNAPSHOTS}/${fresh[0]}`);
      return;
    }
    last = size;
  }
}

try {
  const items = stockedItems(stack, 10_000_000);
  const client = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version: V });
  let issued = 0;
  let errors = 0;
  const firstError: string[] = [];
  const fail = (what: string, status: number, body: unknown) => {
    errors++;
    if (firstError.length < 3) firstError.push(`${what} ${status}: ${JSON.stringify(body).slice(0, 200)}`);
  };
  let limit = 200; // the warm-up's, then REQUESTS
  let measuring = false;
  let sampledAt = 0;
  const take = () => (issued < limit ? ++issued : 0);

  // One block of ten, in order: feed, create A, update A (address: ready), create B, update B, feed, create C,
  // update C, create D, complete A. Feed 2, create 4, update 3, complete 1.
  async function block(i: number): Promise<boolean> {
    const ids: string[] = [];
    let totalA = 0;
    const steps: Array<() => Promise<void>> = [
      async () => {
        const r = await fetch(stack.urls.feed);
        await r.arrayBuffer();
        if (!r.ok) fail("feed", r.status, "");
      },
      async () => {
        const r = await client.create(shapes.create(V, [{ id: items[i % items.length], quantity: 1 }], buyer));
        if (r.status >= 400) fail("create", r.status, r.body);
        else ids.push(String(r.body.id));
      },
    ];
    const update = async () => {
      const id = ids[ids.length - 1];
      if (!id) return;
      const r = await client.update(id, shapes.address(V, address, buyer.email));
      if (r.status >= 400) return fail("update", r.status, r.body);
      if (ids.length === 1) totalA = (r.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
    };
    const order = [steps[0], steps[1], update, steps[1], update, steps[0], steps[1], update, steps[1]];
    order.push(async () => {
      if (!ids[0] || !totalA) return;
      const token = stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: totalA }).id;
      const r = await client.complete(ids[0], shapes.complete(V, token));
      if (r.body.status !== "completed") fail("complete", r.status, r.body);
    });
    for (const step of order) {
      if (!take()) return false;
      await step();
      if (measuring && issued % EVERY === 0 && issued !== sampledAt) {
        sampledAt = issued;
        await sample();
      }
    }
    return true;
  }

  const points: Point[] = [];
  const started = performance.now();
  let sampling: Promise<void> = Promise.resolve();
  const sample = () => {
    const at = issued;
    sampling = sampling.then(async () => {
      const m = await memory();
      points.push({ requests: at, ...m, seconds: (performance.now() - started) / 1000 });
      console.error(`${String(at).padStart(7)} requests: RSS ${fmt(m.rssMb, 0)} MB, heap used ${fmt(m.heapMb, 1)} MB (of ${fmt(m.heapTotalMb, 0)}), external ${fmt(m.externalMb, 1)} MB, ${fmt((performance.now() - started) / 1000, 0)} s`);
    });
    return sampling;
  };

  // Warm-up (JIT, caches, connections), not counted: 200 requests, then the baseline.
  let blockNo = 0;
  await Promise.all(Array.from({ length: 4 }, async () => { while (await block(blockNo++)); }));
  issued = 0;
  limit = REQUESTS;
  measuring = true;
  const base = await memory();
  points.push({ requests: 0, ...base, seconds: 0 });
  console.error(`      0 requests: RSS ${fmt(base.rssMb, 0)} MB, heap used ${fmt(base.heapMb, 1)} MB (after warm-up)`);
  await snapshot("after warm-up");

  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (await block(blockNo++)); }));
  await sampling;
  if (points[points.length - 1].requests !== issued) await sample();
  const seconds = (performance.now() - started) / 1000;
  await snapshot("end");

  const later = points.filter((p) => p.requests >= EVERY);
  const per10k = (k: "rssMb" | "heapMb") => slope(later.map((p) => [p.requests, p[k]])) * 10_000;
  console.log(`\nSoak — ${issued} mixed requests (feed 20 %, create 40 %, update 30 %, complete 10 %) at concurrency ${CONCURRENCY}, production build, ${fmt(seconds, 0)} s (${fmt(issued / seconds, 0)} req/s), ${errors} errors`);
  console.log("requests  RSS MB  heap used MB  heap total MB  external MB  RSS − heap total − external MB");
  for (const p of points) console.log(`${String(p.requests).padStart(8)} ${fmt(p.rssMb, 0).padStart(7)} ${fmt(p.heapMb, 1).padStart(13)} ${fmt(p.heapTotalMb, 0).padStart(14)} ${fmt(p.externalMb, 1).padStart(12)} ${fmt(p.rssMb - p.heapTotalMb - p.externalMb, 0).padStart(31)}`);
  console.log(`Slope from ${EVERY} requests on: RSS ${fmt(per10k("rssMb"), 2)} MB per 10,000 requests, heap used ${fmt(per10k("heapMb"), 2)} MB per 10,000 requests`);
  console.log(`RSS peak ${fmt(Math.max(...points.map((p) => p.rssMb)), 0)} MB; heap used last − after warm-up ${fmt(points[points.length - 1].heapMb - base.heapMb, 1)} MB`);
  if (firstError.length) console.error(`first errors: ${firstError.join(" | ")}`);
  if (errors > 0) process.exitCode = 1;
} finally {
  await stack.stop();
}

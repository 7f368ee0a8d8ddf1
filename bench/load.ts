// Load benchmark (issue 5, Build 5): a mixed agent workload — feed reads 20 %, creates 40 %, updates 30 %,
// completes 10 % — at increasing concurrency (1 … 64) on the demo stack in production mode: p50, p99 and throughput
// per step, the saturation point (throughput stops rising by ≥ 10 % or p99 more than triples), and the app
// process's memory (VmRSS / VmHWM from /proc/<pid>/status). Beside each step, the same number of requests to the
// bare route `/bench/bare` (BENCH_ROUTES=1) at the same concurrency: the floor of the HTTP stack on this machine.
// The stand-ins (Shopify, Stripe) run in this process and share the two cores with the app.
// Per step also the app's CPU ms per request (its own counters) beside the bare route's; after the steps, each
// operation alone (--per-kind requests of one kind at concurrency 1, then the bare route) with its CPU and counts
// per request: SQL statements, schema validations, Admin and Stripe calls, log lines.
//   npx tsx bench/load.ts [--requests 400] [--steps 1,2,4,8,16,32,64] [--per-kind 40] [--no-build]
import { readFileSync } from "node:fs";
import { createAgentClient, shapes } from "../sim/agent/client";
import { BENCH_ADDRESS as address, BENCH_BUYER as buyer, startBenchStack, stockedItems } from "./stack";
import { CPU_HEADER, cpuColumns, fmt, load, metered, percentile, stackTarget, type PerRequest, type Sample } from "./lib";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const REQUESTS = Number(opt("requests", "400"));
const STEPS = opt("steps", "1,2,4,8,16,32,64").split(",").map(Number);
const PER_KIND = Number(opt("per-kind", "40"));
const V = "2026-04-17";
type Kind = "feed" | "create" | "update" | "complete";
/** 20 / 40 / 30 / 10 in every block of ten requests. */
const KINDS: Kind[] = ["feed", "create", "update", "create", "update", "feed", "create", "update", "create", "complete"];

const stack = await startBenchStack("load", { build: !args.includes("--no-build"), env: { BENCH_ROUTES: "1", ACP_RATE_LIMIT: "100000/100000", ACP_SHOP_RATE_LIMIT: "100000/100000", ACP_MAX_OPEN_SESSIONS_PER_KEY: "10000000" } });

function memory(): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${stack.appPid()}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

try {
  const items = stockedItems(stack, 1_000_000);
  const item = (i: number) => [{ id: items[i % items.length], quantity: 1 }];
  const client = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version: V });
  const memoryAtStart = memory();

  // Per step: sessions to update (created, no address) and ready sessions with a token each (to complete). Made up
  // front, outside the measured runs.
  const perStep = (kind: Kind) => Math.ceil((REQUESTS * KINDS.filter((k) => k === kind).length) / KINDS.length);
  const pools: Array<{ toUpdate: string[]; toComplete: Array<{ id: string; token: string }> }> = [];
  for (let step = 0; step < STEPS.length; step++) {
    const toUpdate: string[] = [];
    const toComplete: Array<{ id: string; token: string }> = [];
    await load(perStep("update"), 16, async (i) => {
      const res = await client.create(shapes.create(V, item(i), buyer));
      toUpdate.push(String(res.body.id));
      return { ms: 0, upstreamMs: 0, status: res.status };
    });
    await load(perStep("complete"), 16, async (i) => {
      const res = await client.create({ ...shapes.create(V, item(i), buyer), fulfillment_details: { name: address.name, email: buyer.email, address } });
      if (res.body.status !== "ready_for_payment") throw new Error(`session not ready: ${JSON.stringify(res.body).slice(0, 300)}`);
      const amount = (res.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
      toComplete.push({ id: String(res.body.id), token: stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: amount }).id });
      return { ms: 0, upstreamMs: 0, status: res.status };
    });
    pools.push({ toUpdate, toComplete });
  }
  // One more pool for the per-operation phase.
  const alone: { toUpdate: string[]; toComplete: Array<{ id: string; token: string }> } = { toUpdate: [], toComplete: [] };
  await load(PER_KIND, 8, async (i) => {
    const res = await client.create(shapes.create(V, item(i), buyer));
    alone.toUpdate.push(String(res.body.id));
    const ready = await client.create({ ...shapes.create(V, item(i), buyer), fulfillment_details: { name: address.name, email: buyer.email, address } });
    const amount = (ready.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
    alone.toComplete.push({ id: String(ready.body.id), token: stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: amount }).id });
    return { ms: 0, upstreamMs: 0, status: res.status };
  });
  const sessionBytes = JSON.stringify((await client.retrieve(pools[0].toUpdate[0])).body).length;
  const memoryAfterSetup = memory();

  // Warm-up (JIT, caches, connections): a small mixed run, not measured.
  await load(40, 4, async (i) => {
    const res = i % 2 ? await fetch(stack.urls.feed).then(async (r) => (await r.arrayBuffer(), r)) : await fetch(`${stack.appUrl}/bench/bare?bytes=${sessionBytes}`).then(async (r) => (await r.arrayBuffer(), r));
    return { ms: 0, upstreamMs: 0, status: res.status };
  });

  const bareRequest = async (): Promise<Sample> => {
    const started = performance.now();
    const res = await fetch(`${stack.appUrl}/bench/bare?bytes=${sessionBytes}`);
    await res.arrayBuffer();
    return { ms: performance.now() - started, upstreamMs: 0, status: res.status };
  };

  interface Row {
    concurrency: number;
    rps: number;
    p50: number;
    p99: number;
    byKind: Record<Kind, { p50: number; p99: number }>;
    errors: number;
    bareRps: number;
    bareP50: number;
    bareP99: number;
    rssMb: number;
    peakMb: number;
    cpu: PerRequest;
    bareCpu: PerRequest;
  }
  const target = stackTarget(stack);
  const rows: Row[] = [];
  for (const [s, concurrency] of STEPS.entries()) {
    const pool = pools[s];
    let updates = 0;
    let completes = 0;
    const tagged = new Map<Kind, number[]>();
    const { value: run, per: cpu } = await metered(target, REQUESTS, () => load(REQUESTS, concurrency, async (i): Promise<Sample> => {
      const kind = KINDS[i % KINDS.length];
      const started = performance.now();
      let status: number;
      if (kind === "feed") {
        const res = await fetch(stack.urls.feed);
        await res.arrayBuffer();
        status = res.status;
      } else if (kind === "create") {
        status = (await client.create(shapes.create(V, item(i), buyer))).status;
      } else if (kind === "update") {
        status = (await client.update(pool.toUpdate[updates++], shapes.address(V, address, buyer.email))).status;
      } else {
        const c = pool.toComplete[completes++];
        const res = await client.complete(c.id, shapes.complete(V, c.token));
        status = res.body.status === "completed" ? res.status : 599;
      }
      const ms = performance.now() - started;
      tagged.set(kind, [...(tagged.get(kind) ?? []), ms]);
      return { ms, upstreamMs: 0, status };
    }));
    const mem = memory();
    const { value: bare, per: bareCpu } = await metered(target, REQUESTS, () => load(REQUESTS, concurrency, bareRequest));
    const sorted = run.samples.map((x) => x.ms).sort((a, b) => a - b);
    const bareSorted = bare.samples.map((x) => x.ms).sort((a, b) => a - b);
    const byKind = {} as Row["byKind"];
    for (const k of ["feed", "create", "update", "complete"] as Kind[]) {
      const ms = tagged.get(k) ?? [];
      ms.sort((a, b) => a - b);
      byKind[k] = { p50: percentile(ms, 50), p99: percentile(ms, 99) };
    }
    rows.push({
      concurrency,
      rps: REQUESTS / (run.wallMs / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      byKind,
      errors: run.samples.filter((x) => x.status >= 400).length,
      bareRps: REQUESTS / (bare.wallMs / 1000),
      bareP50: percentile(bareSorted, 50),
      bareP99: percentile(bareSorted, 99),
      rssMb: mem.rssMb,
      peakMb: mem.peakMb,
      cpu,
      bareCpu,
    });
    const r = rows[rows.length - 1];
    console.error(`step c=${concurrency}: ${fmt(r.rps, 0)} req/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, bare ${fmt(r.bareRps, 0)} req/s, CPU ${fmt(cpu.appCpuMs, 2)} ms/req (bare ${fmt(bareCpu.appCpuMs, 2)}), RSS ${fmt(r.rssMb, 0)} MB`);
  }

  // Each operation alone, at concurrency 1: its CPU and counts per request; the bare route first (before the
  // completes leave order events for the outbox to deliver).
  const aloneRows: Array<[string, PerRequest, number]> = [];
  const { value: bareAlone, per: bareAloneCpu } = await metered(target, PER_KIND, () => load(PER_KIND, 1, bareRequest));
  aloneRows.push(["bare route", bareAloneCpu, percentile(bareAlone.samples.map((x) => x.ms).sort((a, b) => a - b), 50)]);
  let u = 0;
  let c = 0;
  for (const kind of ["feed", "create", "update", "complete"] as Kind[]) {
    const { value, per } = await metered(target, PER_KIND, () =>
      load(PER_KIND, 1, async (i): Promise<Sample> => {
        const started = performance.now();
        let status: number;
        if (kind === "feed") status = await fetch(stack.urls.feed).then(async (r) => (await r.arrayBuffer(), r.status));
        else if (kind === "create") status = (await client.create(shapes.create(V, item(i), buyer))).status;
        else if (kind === "update") status = (await client.update(alone.toUpdate[u++], shapes.address(V, address, buyer.email))).status;
        else {
          const x = alone.toComplete[c++];
          const res = await client.complete(x.id, shapes.complete(V, x.token));
          status = res.body.status === "completed" ? res.status : 599;
        }
        return { ms: performance.now() - started, upstreamMs: 0, status };
      }),
    );
    aloneRows.push([kind, per, percentile(value.samples.map((x) => x.ms).sort((a, b) => a - b), 50)]);
  }

  // Saturation: the first step whose throughput is < 1.1 × the best so far, or whose p99 is > 3 × the previous one.
  let saturation: Row | null = null;
  let best = 0;
  for (const [i, r] of rows.entries()) {
    if (i > 0 && (r.rps < 1.1 * best || r.p99 > 3 * rows[i - 1].p99)) {
      saturation = r;
      break;
    }
    best = Math.max(best, r.rps);
  }

  console.log(`\nMixed agent load — ${REQUESTS} requests per step (feed 20 %, create 40 %, update 30 %, complete 10 %), production build, demo stack`);
  console.log(`App RSS at start ${fmt(memoryAtStart.rssMb, 0)} MB, after creating the sessions of every step ${fmt(memoryAfterSetup.rssMb, 0)} MB; session JSON ≈ ${sessionBytes} bytes (bare route body)`);
  console.log("conc   req/s  p50 ms  p99 ms | feed p50  create p50  update p50  complete p50/p99 | bare req/s  bare p50  bare p99 | mixed/bare req/s | CPU ms/req  bare CPU  ratio | RSS MB  peak MB | errors");
  for (const r of rows) {
    console.log(
      `${String(r.concurrency).padStart(4)} ${fmt(r.rps, 0).padStart(7)} ${fmt(r.p50).padStart(7)} ${fmt(r.p99).padStart(7)} | ${fmt(r.byKind.feed.p50).padStart(8)} ${fmt(r.byKind.create.p50).padStart(11)} ${fmt(r.byKind.update.p50).padStart(11)} ${`${fmt(r.byKind.complete.p50)}/${fmt(r.byKind.complete.p99)}`.padStart(17)} | ${fmt(r.bareRps, 0).padStart(10)} ${fmt(r.bareP50).padStart(9)} ${fmt(r.bareP99).padStart(9)} | ${fmt(r.rps / r.bareRps, 3).padStart(16)} | ${fmt(r.cpu.appCpuMs, 2).padStart(10)} ${fmt(r.bareCpu.appCpuMs, 2).padStart(9)} ${fmt(r.cpu.appCpuMs / r.bareCpu.appCpuMs, 1).padStart(5)} | ${fmt(r.rssMb, 0).padStart(6)} ${fmt(r.peakMb, 0).padStart(8)} | ${r.errors}`,
    );
  }
  console.log(`\nEach operation alone — ${PER_KIND} requests at concurrency 1`);
  console.log(`operation    p50 ms | ${CPU_HEADER}`);
  for (const [name, per, p50] of aloneRows) console.log(`${name.padEnd(12)} ${fmt(p50).padStart(6)} | ${cpuColumns(per, bareAloneCpu)}`);
  const peak = rows.reduce((a, r) => (r.rps > a.rps ? r : a), rows[0]);
  console.log(
    saturation
      ? `\nSaturation at concurrency ${saturation.concurrency}: ${fmt(saturation.rps, 0)} req/s (best ${fmt(peak.rps, 0)} req/s at ${peak.concurrency}); p99 ${fmt(saturation.p99)} ms`
      : `\nNo saturation within the steps; best ${fmt(peak.rps, 0)} req/s at concurrency ${peak.concurrency}`,
  );
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await stack.stop();
}

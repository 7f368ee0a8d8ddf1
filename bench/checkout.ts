// Checkout API benchmark (issue 6, Build 9): create, update and retrieve at concurrency 16 against the Shopify
// simulator — p50, p99, requests per second — beside a bare Remix resource route returning a JSON body of the
// same size, measured in the same run. The simulator shares the machine, so the app reports its upstream wait
// (`Server-Timing`) and the app's own time is total minus that wait. Also counts Admin API calls per operation.
// Beside the times, per operation: the app's CPU ms per request (its own counters over the run) and the bare
// route's in the same run, SQL statements, schema validations, Admin and Stripe calls and log lines per request.
//   npx tsx bench/checkout.ts [--requests 400] [--concurrency 16] [--no-build]
import { createAgentClient, shapes } from "../sim/agent/client";
import { BENCH_ADDRESS as address, startBenchStack, stockedItems } from "./stack";
import { CPU_HEADER, cpuColumns, fmt, load, metered, stackTarget, summarize, upstreamMsOf, type PerRequest, type Sample, type Summary } from "./lib";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const REQUESTS = opt("requests", 400);
const CONCURRENCY = opt("concurrency", 16);

const stack = await startBenchStack("checkout", { build: !args.includes("--no-build"), env: { BENCH_ROUTES: "1", ACP_RATE_LIMIT: "100000/100000", ACP_SHOP_RATE_LIMIT: "100000/100000", ACP_MAX_OPEN_SESSIONS_PER_KEY: "10000000" } });

try {
  const shop = stack.urls.shop;
  const inStock = stockedItems(stack);
  const client = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey });
  const item = (i: number) => [{ id: inStock[i % inStock.length], quantity: 1 }];

  const timed = async (call: () => Promise<{ status: number; headers: Headers }>): Promise<Sample> => {
    const started = performance.now();
    const res = await call();
    return { ms: performance.now() - started, upstreamMs: upstreamMsOf(res.headers.get("server-timing")), status: res.status };
  };

  // Admin API calls per operation, counted on the simulator for one request of each kind.
  const calls = () => stack.shopify.calls.filter((c) => c.shop === shop).length;
  const adminCalls: Record<string, number> = {};
  const count = async (name: string, op: () => Promise<unknown>) => {
    const before = calls();
    await op();
    adminCalls[name] = calls() - before;
  };
  let probeId = "";
  await count("create (no address)", async () => (probeId = String((await client.create(shapes.create("2026-04-17", item(0)))).body.id)));
  await count("update (address)", () => client.update(probeId, shapes.address("2026-04-17", address, "ann@example.com")));
  const probe = await client.retrieve(probeId);
  const optionId = (probe.body.fulfillment_options as Array<{ id: string }>)[1]?.id ?? (probe.body.fulfillment_options as Array<{ id: string }>)[0].id;
  await count("update (shipping option)", () => client.update(probeId, shapes.option("2026-04-17", optionId, [inStock[0]])));
  await count("retrieve", () => client.retrieve(probeId));

  // Warm-up, then the measured runs.
  await load(32, CONCURRENCY, (i) => timed(() => client.create(shapes.create("2026-04-17", item(i)))));
  const target = stackTarget(stack);
  const ids: string[] = [];
  const create = await metered(target, REQUESTS, () =>
    load(REQUESTS, CONCURRENCY, (i) =>
      timed(async () => {
        const res = await client.create(shapes.create("2026-04-17", item(i)));
        ids.push(String(res.body.id));
        return res;
      }),
    ),
  );
  const update = await metered(target, REQUESTS, () => load(REQUESTS, CONCURRENCY, (i) => timed(() => client.update(ids[i], shapes.address("2026-04-17", address, "ann@example.com")))));
  const retrieve = await metered(target, REQUESTS, () => load(REQUESTS, CONCURRENCY, (i) => timed(() => client.retrieve(ids[i]))));
  const sessionBytes = JSON.stringify((await client.retrieve(ids[0])).body).length;
  const bare = await metered(target, REQUESTS, () => load(REQUESTS, CONCURRENCY, () => timed(() => fetch(`${stack.appUrl}/bench/bare?bytes=${sessionBytes}`).then(async (r) => (await r.arrayBuffer(), r)))));

  const rows: Array<[string, Summary, PerRequest]> = [
    ["create", summarize(create.value.samples, create.value.wallMs), create.per],
    ["update (address)", summarize(update.value.samples, update.value.wallMs), update.per],
    ["retrieve", summarize(retrieve.value.samples, retrieve.value.wallMs), retrieve.per],
    ["bare route (floor)", summarize(bare.value.samples, bare.value.wallMs), bare.per],
  ];
  const floor = rows[3][1];
  console.log(`\nACP checkout API — ${REQUESTS} requests per operation at concurrency ${CONCURRENCY}; session JSON ≈ ${sessionBytes} bytes`);
  console.log("operation            p50 ms  p99 ms   req/s  upstream p50  own p50  own p99  own p50 / bare p50  errors");
  for (const [name, s] of rows) {
    console.log(
      `${name.padEnd(20)} ${fmt(s.p50).padStart(6)} ${fmt(s.p99).padStart(7)} ${fmt(s.rps, 0).padStart(7)} ${fmt(s.upstreamP50).padStart(13)} ${fmt(s.ownP50).padStart(8)} ${fmt(s.ownP99).padStart(8)} ${fmt(s.ownP50 / floor.p50, 2).padStart(19)} ${String(s.errors).padStart(7)}`,
    );
  }
  console.log(`\nCPU and counts per request (app CPU from its own counters over each run; the bare route's from the same run)${bare.per.counted ? "" : " — app counters unavailable (not BENCH_ROUTES=1 through bench/serve.mjs): CPU from /proc"}`);
  console.log(`operation            ${CPU_HEADER}`);
  for (const [name, , per] of rows) console.log(`${name.padEnd(20)} ${cpuColumns(per, bare.per)}`);
  console.log("\nAdmin API calls per operation (target: 1 for a create without address, 1 per update):");
  for (const [name, n] of Object.entries(adminCalls)) console.log(`  ${name.padEnd(26)} ${n}`);
} finally {
  await stack.stop();
}

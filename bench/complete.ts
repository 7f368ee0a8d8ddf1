// Complete benchmark (issue 7, Build 8): POST /checkout_sessions/{id}/complete at concurrency 8 on the demo stack in
// production mode — p50, p99 — and what one completion costs upstream: Stripe charges, orderCreate calls, quotes
// (draftOrderCalculate) and order lookups, counted on the stand-ins. Targets: 1 charge, 1 orderCreate, ≤ 1 quote.
// The stand-ins share the machine, so the app's own time is total minus the upstream wait it reports in Server-Timing.
// Also the app's CPU ms per completion beside the bare route's per request (same run, same concurrency) and the
// counts per completion: SQL statements, schema validations, Admin and Stripe calls, log lines.
//   npx tsx bench/complete.ts [--completions 200] [--concurrency 8] [--no-build]
import { createAgentClient, shapes } from "../sim/agent/client";
import { BENCH_ADDRESS as address, BENCH_BUYER as buyer, startBenchStack, stockedItems } from "./stack";
import { CPU_HEADER, cpuColumns, fmt, load, metered, stackTarget, summarize, upstreamMsOf, type Sample } from "./lib";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COMPLETIONS = opt("completions", 200);
const CONCURRENCY = opt("concurrency", 8);
const WARMUP = 16;

const stack = await startBenchStack("complete", { build: !args.includes("--no-build"), env: { BENCH_ROUTES: "1" } });

try {
  const shop = stack.urls.shop;
  const items = stockedItems(stack, 100_000);
  const client = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey });
  const V = "2026-04-17";

  // Ready sessions (items, address, email: one create each), then a token per session for its exact total.
  const total = WARMUP + COMPLETIONS;
  const sessions: Array<{ id: string; token: string }> = [];
  await load(total, 16, async (i) => {
    const res = await client.create({ ...shapes.create(V, [{ id: items[i % items.length], quantity: 1 }], buyer), fulfillment_details: { name: address.name, email: buyer.email, address } });
    if (res.body.status !== "ready_for_payment") throw new Error(`session not ready: ${JSON.stringify(res.body).slice(0, 300)}`);
    const amount = (res.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
    sessions[i] = { id: String(res.body.id), token: stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: amount }).id };
    return { ms: 0, upstreamMs: 0, status: res.status };
  });

  const complete = (i: number) => async (): Promise<Sample> => {
    const started = performance.now();
    const res = await client.complete(sessions[i].id, shapes.complete(V, sessions[i].token));
    if (res.status !== 200 || res.body.status !== "completed") console.error(`completion ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    return { ms: performance.now() - started, upstreamMs: upstreamMsOf(res.headers.get("server-timing")), status: res.body.status === "completed" ? res.status : 599 };
  };
  await load(WARMUP, CONCURRENCY, (i) => complete(i)());

  const ops = (...names: string[]) => stack.shopify.calls.filter((c) => c.shop === shop && names.includes(c.operationName ?? "")).length;
  const orderLookups = () => ops("AgentOrderBySource", "AgentOrderByCustomId"); // custom ID first, search as fallback (0156)
  const before = { charges: stack.stripe.ledger().paymentIntents.length, orderCreate: ops("AgentOrderCreate"), quotes: ops("CheckoutQuote"), lookups: orderLookups(), orders: stack.shopify.orders(shop).length };
  const target = stackTarget(stack);
  const { value: run, per: cpu } = await metered(target, COMPLETIONS, () => load(COMPLETIONS, CONCURRENCY, (i) => complete(WARMUP + i)()));
  const s = summarize(run.samples, run.wallMs);
  const { per: bareCpu } = await metered(target, COMPLETIONS, () => load(COMPLETIONS, CONCURRENCY, async () => ({ ms: 0, upstreamMs: 0, status: await fetch(`${stack.appUrl}/bench/bare?bytes=2000`).then(async (r) => (await r.arrayBuffer(), r.status)) })));
  const per = (n: number) => fmt(n / COMPLETIONS, 2);
  const measured = {
    charges: stack.stripe.ledger().paymentIntents.length - before.charges,
    orderCreate: ops("AgentOrderCreate") - before.orderCreate,
    quotes: ops("CheckoutQuote") - before.quotes,
    lookups: orderLookups() - before.lookups,
    orders: stack.shopify.orders(shop).length - before.orders,
  };

  console.log(`\nACP complete — ${COMPLETIONS} completions at concurrency ${CONCURRENCY} (production build, demo stack)`);
  console.log("                 p50 ms  p99 ms  completions/s  upstream p50  own p50  own p99  failed");
  console.log(`complete         ${fmt(s.p50).padStart(6)} ${fmt(s.p99).padStart(7)} ${fmt(s.rps, 1).padStart(14)} ${fmt(s.upstreamP50).padStart(13)} ${fmt(s.ownP50).padStart(8)} ${fmt(s.ownP99).padStart(8)} ${String(s.errors).padStart(7)}`);
  console.log(`\nCPU and counts per request                 ${CPU_HEADER}`);
  console.log(`complete (bare route: same count, same concurrency) ${cpuColumns(cpu, bareCpu)}`);
  console.log("\nUpstream calls per completion (targets: 1 charge, 1 orderCreate, ≤ 1 quote):");
  console.log(`  Stripe PaymentIntents   ${per(measured.charges)}`);
  console.log(`  orderCreate             ${per(measured.orderCreate)}`);
  console.log(`  draftOrderCalculate     ${per(measured.quotes)}`);
  console.log(`  order lookups           ${per(measured.lookups)}`);
  console.log(`  orders in the shop      ${per(measured.orders)}`);
  if (s.errors || measured.charges !== COMPLETIONS || measured.orderCreate !== COMPLETIONS || measured.quotes > COMPLETIONS) process.exitCode = 1;
} finally {
  await stack.stop();
}

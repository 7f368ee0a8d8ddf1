// A test purchase from the admin: a real agent checkout, end to end, against the app's own ACP API — create,
// address, shipping option, complete with a Stripe test shared payment token — then the agent order it made.
//
// - Test mode only: demo mode, or Stripe connected with a test key (a live key would charge a real card).
// - The requests are web-standard Requests handed to the same ACP handler the /acp route calls, in process: no
//   call leaves the server, so the outbound rules (app/security/outbound.server.ts) need no exception and a
//   server behind a proxy does not have to reach its own public URL (docs/decisions/0165).
// - The agent key is issued for the one run, named TEST_ORDER_AGENT, and revoked when the run ends, whatever
//   happened: the merchant sees it (revoked) among the keys, the order is attributed to it, and its plaintext
//   only ever lives in this function's memory; it is never logged or returned.
// - The token comes from Stripe's test helper (POST /v1/test_helpers/shared_payment/granted_tokens, test mode
//   only), scoped to the checkout's total and currency, as an agent platform would grant it.
import type { PrismaClient, Shop } from "@prisma/client";
import Stripe from "stripe";
import { createAgentClient, shapes, type AgentResponse } from "../../sim/agent/client";
import { createAgentKeyRepository } from "../db/agent-keys.server";
import { decryptOptional, decryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { sdkAddress, STRIPE_API_VERSION } from "../payments/stripe-gateway.server";
import { formatMoney } from "./labels";
import type { TestOrderState } from "./checklist";

/** The agent key's name: test orders are attributed to it (and found by it). */
export const TEST_ORDER_AGENT = "Test order (admin)";
const VERSION = "2026-04-17";
const TOKEN_LIFETIME_S = 15 * 60;

export type TestOrderAvailability = { available: true; mode: "demo" | "stripe_test" } | { available: false; reason: string };

/** Whether this shop can place a test order now, and if not, what to change. */
export function testOrderAvailability(shop: Pick<Shop, "checkoutMode" | "stripeSecretKeyEnc" | "stripeMode">, demo: boolean): TestOrderAvailability {
  if (shop.checkoutMode === "handoff") {
    return { available: false, reason: "In hand-off mode buyers pay in Shopify checkout, so the app takes no payment to test. Choose agent payments with Stripe in test mode to try one." };
  }
  if (!shop.stripeSecretKeyEnc) return { available: false, reason: "Connect Stripe with a test key (sk_test_…) in Settings first." };
  if (demo) return { available: true, mode: "demo" };
  if (shop.stripeMode !== "test") {
    return { available: false, reason: "Stripe is connected in live mode: a test order would charge a real card. Connect a test key (sk_test_…) to place one." };
  }
  return { available: true, mode: "stripe_test" };
}

export interface TestOrderStep {
  name: string;
  ok: boolean;
  /** The ACP answer's HTTP status (none for the token, which comes from Stripe). */
  status?: number;
  detail: string;
}

export type TestOrderResult = { ok: true; agentOrderId: string; steps: TestOrderStep[] } | { ok: false; message: string; steps: TestOrderStep[] };

export interface TestOrderDeps {
  db: PrismaClient;
  /** The app's ACP handler (services.acp().handle): Request in, Response out. */
  acp: (request: Request) => Promise<Response>;
  /** The app's own URL (config.appUrl); only the path of the requests built on it matters to the handler. */
  appUrl: string;
  /** Where the Stripe SDK talks to (config.stripeApiBase: sim/stripe in the demo). */
  stripeApiBase?: string;
  /** Mints the test token; default: Stripe's test helper with the shop's own key. */
  mintToken?: (input: { shop: Shop; amount: number; currency: string }) => Promise<string>;
}

/** A test buyer's address in the shop's own country (the shop ships there), the US otherwise. */
const ADDRESSES: Record<string, { line_one: string; city: string; state?: string; postal_code: string }> = {
  US: { line_one: "1 Main St", city: "Austin", state: "TX", postal_code: "78701" },
  CA: { line_one: "100 Queen St W", city: "Toronto", state: "ON", postal_code: "M5H 2N2" },
  GB: { line_one: "1 Long Acre", city: "London", postal_code: "WC2E 9LH" },
  AU: { line_one: "1 George St", city: "Sydney", state: "NSW", postal_code: "2000" },
  DE: { line_one: "Unter den Linden 1", city: "Berlin", postal_code: "10117" },
};
const BUYER = { first_name: "Test", last_name: "Buyer", email: "test-buyer@example.com" };

/** The product a test order buys: the cheapest variant in the feed that is in stock (at least one currency unit). */
export async function testOrderItem(db: PrismaClient, shopId: string) {
  return db.catalogItem.findFirst({
    where: { shopId, deletedAt: null, eligible: true, availability: "in_stock", priceMinor: { gte: 100 }, OR: [{ inventoryQuantity: null }, { inventoryQuantity: { gt: 0 } }] },
    orderBy: [{ priceMinor: "asc" }, { variantId: "asc" }],
    select: { variantId: true, title: true, priceMinor: true, currency: true },
  });
}

/** The last test orders, newest first. */
export async function recentTestOrders(db: PrismaClient, shopId: string, take = 5) {
  const rows = await db.agentOrder.findMany({ where: { shopId, agentName: TEST_ORDER_AGENT }, orderBy: { createdAt: "desc" }, take, select: { id: true, orderName: true, totalMinor: true, currency: true, createdAt: true } });
  return rows.map((r) => ({ id: r.id, name: r.orderName, total: formatMoney(r.totalMinor, r.currency), createdAt: r.createdAt.toISOString() }));
}

/** The going-live checklist's view of test orders. */
export async function testOrderState(db: PrismaClient, shop: Shop, demo: boolean): Promise<TestOrderState> {
  const placed = await db.agentOrder.count({ where: { shopId: shop.id, agentName: TEST_ORDER_AGENT } });
  return { available: testOrderAvailability(shop, demo).available, placed };
}

/** Stripe's test helper for a granted shared payment token (test mode only), with the shop's own key. */
export function stripeTestToken(stripeApiBase?: string) {
  return async ({ shop, amount, currency }: { shop: Shop; amount: number; currency: string }): Promise<string> => {
    const secretKey = decryptSecret(shop.stripeSecretKeyEnc ?? "", shopSecret("stripeSecretKeyEnc", shop.id));
    // The gateway's preview version: shared payment tokens exist only there (docs/decisions/0140).
    const stripe = new Stripe(secretKey, { ...sdkAddress(stripeApiBase), maxNetworkRetries: 1, timeout: 15_000, telemetry: false, apiVersion: STRIPE_API_VERSION as Stripe.StripeConfig["apiVersion"] });
    const token = (await stripe.rawRequest("POST", "/v1/test_helpers/shared_payment/granted_tokens", {
      payment_method: "pm_card_visa",
      usage_limits: { currency, max_amount: amount, expires_at: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S },
      seller_details: { network_id: "internal", external_id: shop.domain },
    })) as { id?: unknown };
    if (typeof token.id !== "string") throw new Error("Stripe returned no token");
    return token.id;
  };
}

type Body = Record<string, unknown>;
const totalOf = (body: Body) => ((body.totals as Array<{ type: string; amount: number }> | undefined) ?? []).find((t) => t.type === "total")?.amount;
/** What went wrong, in the answer's own words: an ACP error's message, or the session's error messages. */
function problemOf(res: AgentResponse): string {
  const b = res.body as { message?: string; messages?: Array<{ type?: string; content?: string }> };
  const messages = (b.messages ?? []).filter((m) => m.type === "error" && m.content).map((m) => m.content);
  return b.message ?? (messages.length ? messages.join(" ") : `The checkout answered ${res.status}.`);
}

/** Runs the checkout as an agent and returns every step; the key it used is revoked before it returns. */
export async function placeTestOrder(deps: TestOrderDeps, shop: Shop, demo: boolean): Promise<TestOrderResult> {
  const steps: TestOrderStep[] = [];
  const fail = (message: string): TestOrderResult => ({ ok: false, message, steps });
  const availability = testOrderAvailability(shop, demo);
  if (!availability.available) return fail(availability.reason);
  const item = await testOrderItem(deps.db, shop.id);
  if (!item) return fail("No product in your feed is in stock: include one on the Products page, then try again.");

  const keys = createAgentKeyRepository(deps.db);
  const { key, summary } = await keys.create(shop.id, TEST_ORDER_AGENT);
  const signingSecret = shop.signatureRequired ? (decryptOptional(shop.signatureSecretEnc, shopSecret("signatureSecretEnc", shop.id)) ?? undefined) : undefined;
  const agent = createAgentClient({ baseUrl: `${deps.appUrl.replace(/\/$/, "")}/acp`, apiKey: key, version: VERSION, signingSecret, fetch: async (url, init) => deps.acp(new Request(url, init)) });
  let sessionId: string | undefined;
  /** Cancel what is left open at the end: not once a complete may still be running (a 5xx or 409 answer). */
  let cancelAtEnd = true;
  try {
    const created = await agent.create(shapes.create(VERSION, [{ id: item.variantId, quantity: 1 }], BUYER));
    steps.push({ name: "Create the checkout", ok: created.status === 201, status: created.status, detail: created.status === 201 ? `1 × ${item.title}` : problemOf(created) });
    if (created.status !== 201) return fail(`The checkout could not be created: ${problemOf(created)}`);
    sessionId = String(created.body.id);

    const address = { name: `${BUYER.first_name} ${BUYER.last_name}`, ...(ADDRESSES[shop.countryCode] ?? ADDRESSES.US), country: ADDRESSES[shop.countryCode] ? shop.countryCode : "US" };
    const addressed = await agent.update(sessionId, shapes.address(VERSION, address, BUYER.email));
    const options = (addressed.body.fulfillment_options as Array<{ id: string; title?: string }> | undefined) ?? [];
    steps.push({ name: "Add the shipping address", ok: addressed.status === 200, status: addressed.status, detail: addressed.status === 200 ? `${address.city}, ${address.country}: ${options.length} shipping option${options.length === 1 ? "" : "s"}` : problemOf(addressed) });
    if (addressed.status !== 200) return fail(`The address was refused: ${problemOf(addressed)}`);

    let ready = addressed;
    if (options.length) {
      ready = await agent.update(sessionId, shapes.option(VERSION, options[0].id, [item.variantId]));
      steps.push({ name: "Choose shipping", ok: ready.status === 200, status: ready.status, detail: ready.status === 200 ? `${options[0].title ?? options[0].id}` : problemOf(ready) });
      if (ready.status !== 200) return fail(`The shipping option was refused: ${problemOf(ready)}`);
    }
    const total = totalOf(ready.body);
    if (ready.body.status !== "ready_for_payment" || total === undefined) return fail(`The checkout is not ready for payment: ${problemOf(ready)}`);
    const currency = String(ready.body.currency ?? item.currency).toLowerCase();

    let token: string;
    try {
      token = await (deps.mintToken ?? stripeTestToken(deps.stripeApiBase))({ shop, amount: total, currency });
      steps.push({ name: "Get a test payment token", ok: true, detail: `Stripe test card (Visa ending 4242), limited to ${formatMoney(total, currency)}` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      steps.push({ name: "Get a test payment token", ok: false, detail: message });
      return fail(`Stripe did not issue a test payment token: ${message}`);
    }

    const done = await agent.complete(sessionId, shapes.complete(VERSION, token));
    const order = done.body.order as { id?: string } | undefined;
    const completed = done.status === 200 && done.body.status === "completed" && Boolean(order?.id);
    steps.push({ name: "Pay and place the order", ok: completed, status: done.status, detail: completed ? `Charged ${formatMoney(total, currency)} in test mode` : problemOf(done) });
    cancelAtEnd = !completed && done.status < 500 && done.status !== 409;
    if (!completed) return fail(`The payment or the order did not go through: ${problemOf(done)}`);
    const agentOrder = await deps.db.agentOrder.findFirst({ where: { shopId: shop.id, checkoutSessionId: sessionId }, select: { id: true } });
    if (!agentOrder) return fail("The order was placed but is not recorded yet; it will appear under Agent orders shortly.");
    return { ok: true, agentOrderId: agentOrder.id, steps };
  } finally {
    // An unfinished checkout is not left open for the next hours; then the key goes.
    if (sessionId && cancelAtEnd) await agent.cancel(sessionId).catch(() => undefined);
    await keys.revoke(shop.id, summary.id);
  }
}

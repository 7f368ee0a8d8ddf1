// The admin's test purchase (app/admin/test-order.server.ts) against the real ACP handler, the Shopify and Stripe
// stand-ins and a migrated database: one order in Shopify marked as a test, one Stripe charge of the checkout's
// total, the agent order and its first order event recorded, the run's key revoked and never handed out; refused
// outside test mode without touching Stripe; a declined card leaves no order and no open checkout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { composeAcp } from "../../app/acp/compose.server";
import { createAdminClient } from "../../app/shopify/admin-client";
import { recordShop } from "../../app/shop/install.server";
import { encryptSecret } from "../../app/security/secrets.server";
import { shopSecret } from "../../app/security/encrypted-columns.server";
import { placeTestOrder, stripeTestToken, testOrderAvailability, testOrderState, TEST_ORDER_AGENT, type TestOrderDeps } from "../../app/admin/test-order.server";
import { goingLiveChecklist, withTestOrderStep } from "../../app/admin/checklist";
import { checklistState } from "../../app/admin/home.server";
import { installDemoShop } from "../../scripts/demo/install";
import { startShopifySim, type ShopifySim } from "../../sim/shopify/index";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { freshDb, type TestDb } from "../support/db";

let t: TestDb;
let shopify: ShopifySim;
let stripe: StripeSim;
let shop: Shop;
let demoKey: string;
const DOMAIN = "demo-outfitters.myshopify.com";

beforeAll(async () => {
  t = freshDb();
  [shopify, stripe] = await Promise.all([startShopifySim(), startStripeSim()]);
  const accessToken = shopify.accessToken(DOMAIN);
  const admin = createAdminClient({ shop: DOMAIN, accessToken, urlTemplate: shopify.adminUrlTemplate });
  await t.db.session.create({ data: { id: `offline_${DOMAIN}`, shop: DOMAIN, state: "installed", isOnline: false, accessToken, scope: "read_products,write_orders" } });
  const installed = await installDemoShop(t.db, await recordShop(t.db, admin), { stripe, admin, appUrl: "http://127.0.0.1:9" });
  demoKey = installed.agentKey;
}, 120_000);

afterAll(async () => {
  await Promise.all([shopify?.stop(), stripe?.stop()]);
  await t?.close();
});

async function reloadShop(patch: Partial<Shop> = {}): Promise<Shop> {
  shop = await t.db.shop.update({ where: { domain: DOMAIN }, data: patch });
  return shop;
}

/** The app's ACP handler, composed afresh (no cached shop row between tests). */
function deps(extra: Partial<TestOrderDeps> = {}): TestOrderDeps {
  const admin = createAdminClient({ shop: DOMAIN, accessToken: shopify.accessToken(DOMAIN), urlTemplate: shopify.adminUrlTemplate });
  const acp = composeAcp({ db: t.db, adminFor: async () => admin, stripeApiBase: stripe.url, authCacheMs: 0 });
  return { db: t.db, acp: (request) => acp.handler(request), appUrl: "http://app.invalid", stripeApiBase: stripe.url, ...extra };
}

beforeEach(async () => {
  await reloadShop({ stripeMode: "test", checkoutMode: "agent_payment", signatureRequired: false });
});

describe("placing a test order", () => {
  it("runs create → address → shipping → token → complete and records one test order, one charge, one order event", async () => {
    const chargesBefore = stripe.ledger().paymentIntents.length;
    const result = await placeTestOrder(deps(), shop, false);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([
      ["Create the checkout", true],
      ["Add the shipping address", true],
      ["Choose shipping", true],
      ["Get a test payment token", true],
      ["Pay and place the order", true],
    ]);

    const order = await t.db.agentOrder.findUniqueOrThrow({ where: { id: result.agentOrderId } });
    expect(order.agentName).toBe(TEST_ORDER_AGENT);
    // Shopify: exactly one order for this checkout, marked as a test, paid by the Stripe charge.
    const shopifyOrders = shopify.orders(DOMAIN).filter((o) => o.sourceIdentifier === order.checkoutSessionId);
    expect(shopifyOrders).toHaveLength(1);
    expect(shopifyOrders[0].test).toBe(true);
    expect(order.shopifyOrderId).toBe(`gid://shopify/Order/${shopifyOrders[0].id}`);
    // Stripe: one charge, of the order's total, through a granted token minted by the test helper.
    const charges = stripe.ledger().paymentIntents.slice(chargesBefore);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: "succeeded", amount: order.totalMinor, metadata: { checkout_session_id: order.checkoutSessionId } });
    // The order event for the agent is in the outbox (sent by the worker when an endpoint is set).
    const events = await t.db.outboxEvent.findMany({ where: { shopId: shop.id, aggregateId: order.id } });
    expect(events.map((e) => e.type)).toEqual(["order_event"]);

    // The run's key: issued under its own name, revoked now; the demo's own key is untouched; no plaintext out.
    const keys = await t.db.agentApiKey.findMany({ where: { shopId: shop.id, name: TEST_ORDER_AGENT } });
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(keys.every((k) => k.revokedAt !== null)).toBe(true);
    expect(await t.db.agentApiKey.count({ where: { shopId: shop.id, revokedAt: null } })).toBe(1);
    expect(JSON.stringify(result)).not.toMatch(/acp_sk_/);
    expect(demoKey).toMatch(/^acp_sk_/);

    // The checklist now shows the last step done.
    const state = await testOrderState(t.db, shop, false);
    expect(state.placed).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("signs its requests when the shop requires signatures", async () => {
    await reloadShop({ signatureRequired: true, signatureSecretEnc: encryptSecret("shop-signing-secret-0123456789", shopSecret("signatureSecretEnc", shop.id)) });
    const result = await placeTestOrder(deps(), shop, false);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  }, 60_000);

  it("stops at a declined card: no order, the checkout canceled, the key revoked", async () => {
    const ordersBefore = await t.db.agentOrder.count({ where: { shopId: shop.id } });
    const declined: TestOrderDeps["mintToken"] = async ({ amount, currency }) => stripe.mintGrantedToken({ paymentMethod: "pm_card_chargeDeclined", currency, maxAmount: amount }).id;
    const result = await placeTestOrder(deps({ mintToken: declined }), shop, false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const last = result.steps[result.steps.length - 1];
    expect(last).toMatchObject({ name: "Pay and place the order", ok: false });
    expect(result.message).toMatch(/did not go through/);
    expect(await t.db.agentOrder.count({ where: { shopId: shop.id } })).toBe(ordersBefore);
    const session = await t.db.checkoutSession.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" } });
    expect(session.status).toBe("canceled");
    expect(await t.db.agentApiKey.count({ where: { shopId: shop.id, name: TEST_ORDER_AGENT, revokedAt: null } })).toBe(0);
  }, 60_000);

  it("refuses outside test mode before any key, checkout or Stripe call", async () => {
    const before = { keys: await t.db.agentApiKey.count(), sessions: await t.db.checkoutSession.count(), charges: stripe.ledger().paymentIntents.length };
    const live = await placeTestOrder(deps(), await reloadShop({ stripeMode: "live" }), false);
    expect(live).toMatchObject({ ok: false, steps: [] });
    expect(!live.ok && live.message).toMatch(/live mode/);
    const handoff = await placeTestOrder(deps(), await reloadShop({ stripeMode: "test", checkoutMode: "handoff" }), false);
    expect(!handoff.ok && handoff.message).toMatch(/hand-off/i);
    expect({ keys: await t.db.agentApiKey.count(), sessions: await t.db.checkoutSession.count(), charges: stripe.ledger().paymentIntents.length }).toEqual(before);
  });

  it("mints the token with Stripe's test helper, limited to the total and currency", async () => {
    const id = await stripeTestToken(stripe.url)({ shop, amount: 1234, currency: "usd" });
    const res = await fetch(`${stripe.url}/v1/shared_payment/granted_tokens/${id}`, { headers: { Authorization: `Bearer ${stripe.apiKey}` } });
    const token = (await res.json()) as { usage_limits: { currency: string; max_amount: number; expires_at: number | null }; livemode: boolean };
    expect(token.livemode).toBe(false);
    expect(token.usage_limits).toMatchObject({ currency: "usd", max_amount: 1234 });
    expect(token.usage_limits.expires_at).toBeGreaterThan(Date.now() / 1000);
  });
});

describe("availability and the going-live checklist", () => {
  const base = { stripeSecretKeyEnc: "sealed", checkoutMode: "agent_payment", stripeMode: "test" };
  it("is available in demo mode or with a Stripe test key, never in live mode or hand-off", () => {
    expect(testOrderAvailability(base, false)).toEqual({ available: true, mode: "stripe_test" });
    expect(testOrderAvailability({ ...base, stripeMode: "live" }, true)).toEqual({ available: true, mode: "demo" });
    expect(testOrderAvailability({ ...base, stripeMode: "live" }, false).available).toBe(false);
    expect(testOrderAvailability({ ...base, stripeSecretKeyEnc: null }, true).available).toBe(false);
    expect(testOrderAvailability({ ...base, checkoutMode: "handoff" }, true).available).toBe(false);
  });

  it("offers the test order as the last step, done once one went through, absent in live mode without one", async () => {
    const checklist = goingLiveChecklist(await checklistState(t.db, shop));
    const offered = withTestOrderStep(checklist, { available: true, placed: 0 });
    expect(offered.items.at(-1)).toMatchObject({ id: "test_order", done: false, action: { url: "/app/test-order" } });
    expect(offered.total).toBe(checklist.total + 1);
    expect(offered.done).toBe(checklist.done);
    expect(offered.ready).toBe(false);
    const done = withTestOrderStep(checklist, { available: false, placed: 2 });
    expect(done.items.at(-1)).toMatchObject({ id: "test_order", done: true });
    expect(done.done).toBe(checklist.done + 1);
    expect(withTestOrderStep(checklist, { available: false, placed: 0 })).toEqual(checklist);
  });
});

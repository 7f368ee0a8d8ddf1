// End to end, over real HTTP: the Shopify simulator sends signed order webhooks to /webhooks/orders, the
// outbox delivers order events to the agent's receiver (which verifies Merchant-Signature itself), and
// refunds made in Shopify move money back through the Stripe stand-in.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { signedWebhook } from "../support/shopify-webhook";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify";
import { startStripeSim, type StripeSim } from "../../sim/stripe";
import { startWebhookReceiver, type WebhookReceiver } from "../../sim/agent/webhook-receiver";
import { deliverDue, resend, DEFAULT_POLICY } from "../../app/jobs/outbox.server";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";
import { decryptSecret, encryptSecret } from "../../app/security/secrets.server";
import { orderOutboxHandlers } from "../../app/orders/handlers.server";
import { ORDER_TOPICS } from "../../app/orders/webhook-handler.server";
import { NO_ENDPOINT } from "../../app/orders/deliver-order-event.server";
import { errorsOf, validateOrderEvent2026, validateOrderEventLegacy } from "./schemas";

const SHOPIFY_SECRET = "orders-flow-shopify-secret";
const AGENT_SECRET = "agent-order-events-secret-123";
const SHOP = DEMO_SHOP_DOMAIN;
const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = SHOPIFY_SECRET;
process.env.SHOPIFY_API_KEY = "orders-flow-key";
process.env.OUTBOUND_ALLOW_PRIVATE = "1"; // stand-ins on 127.0.0.1 (docs/decisions/0115)

type Route = { action: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response> };
let route: Route;
let bridge: Server;
let bridgeUrl: string;
let shopify: ShopifySim;
let stripe: StripeSim;
let receiver: WebhookReceiver;
let shopId: string;
let variantGid: string;
let clock = Date.now();

const handlers = () =>
  orderOutboxHandlers({
    db: t.db,
    maxAttempts: 3,
    gatewayFor: (shop) => (shop.stripeSecretKeyEnc ? createStripeGateway({ secretKey: decryptSecret(shop.stripeSecretKeyEnc, { table: "Shop", column: "stripeSecretKeyEnc", row: shop.id }), apiBase: stripe.url, maxNetworkRetries: 0 }) : null),
  });
const policy = { ...DEFAULT_POLICY, maxAttempts: 3, baseDelayMs: 1000 };

async function callRoute(request: Request): Promise<Response> {
  return route.action({ request, params: {}, context: {} }).catch((e: unknown) => {
    if (e instanceof Response) return e;
    throw e;
  });
}

/** Delivers everything due, pass after pass (a Stripe refund enqueues the order update it causes). */
async function drain(at = new Date(clock)) {
  const total = { delivered: 0, failed: 0, dead: 0 };
  for (let pass = 0; pass < 10; pass++) {
    const r = await deliverDue(t.db, handlers(), { now: at, policy });
    total.delivered += r.delivered;
    total.failed += r.failed;
    total.dead += r.dead;
    if (r.delivered + r.failed + r.dead === 0) break;
  }
  return total;
}

async function settle() {
  await shopify.waitForWebhookDeliveries();
  return drain();
}

let sessionCounter = 0;
/** What `complete` does (another engineer's service): charge the SPT, create the Shopify order, record the AgentOrder. */
async function agentCheckout({ apiVersion = "2026-04-17", quantity = 2 }: { apiVersion?: string; quantity?: number } = {}) {
  const sessionId = `cs_flow_${++sessionCounter}_${Date.now()}`;
  const totalMinor = 12900 * quantity + 500;
  const gateway = createStripeGateway({ secretKey: stripe.apiKey, apiBase: stripe.url, maxNetworkRetries: 0 });
  const token = stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: totalMinor }).id;
  const charge = await gateway.charge({ token, amountMinor: totalMinor, currency: "usd", idempotencyKey: `charge:${sessionId}`, metadata: { checkout_session_id: sessionId } });
  if (charge.kind !== "succeeded") throw new Error(`charge failed: ${charge.kind}`);
  await t.db.checkoutSession.create({
    data: { id: sessionId, shopId, apiVersion, status: "completed", currency: "usd", stateJson: "{}", totalMinor, paymentIntentId: charge.paymentIntentId, expiresAt: new Date(Date.now() + 3600_000) },
  });
  const order = shopify.createOrder(SHOP, {
    lineItems: [{ variantId: variantGid, quantity }],
    shippingLines: [{ title: "Standard", priceSet: { shopMoney: { amount: "5.00", currencyCode: "USD" } } }],
    transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe-acp", authorizationCode: charge.paymentIntentId, amountSet: { shopMoney: { amount: (totalMinor / 100).toFixed(2), currencyCode: "USD" } } }],
    sourceIdentifier: sessionId,
    tags: ["agentic-checkout"],
  });
  const orderGid = `gid://shopify/Order/${order.id}`;
  await t.db.agentOrder.create({
    data: { shopId, checkoutSessionId: sessionId, shopifyOrderId: orderGid, orderName: order.name, statusUrl: "https://demo-outfitters.example/orders/status", totalMinor, currency: "usd", paymentIntentId: charge.paymentIntentId, status: "confirmed" },
  });
  return { sessionId, order, orderGid, totalMinor, paymentIntentId: charge.paymentIntentId };
}

const eventsFor = (sessionId: string) => receiver.events().filter((e) => e.data.checkout_session_id === sessionId);
const lastEventFor = (sessionId: string) => eventsFor(sessionId).at(-1)!;

beforeAll(async () => {
  route = (await import("../../app/routes/webhooks.orders")) as unknown as Route;
  bridge = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await callRoute(new Request(`https://app.example${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status).end();
  });
  await new Promise<void>((r) => bridge.listen(0, "127.0.0.1", r));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/webhooks/orders`;
  shopify = await startShopifySim({ webhooks: { secret: SHOPIFY_SECRET, subscriptions: ORDER_TOPICS.map((topic) => ({ topic, uri: bridgeUrl })) } });
  stripe = await startStripeSim();
  receiver = await startWebhookReceiver({ secret: AGENT_SECRET });
  const variant = [...shopify.shop(SHOP).variants.values()].find((v) => v.price === 12900 && v.inventoryItem.requiresShipping)!;
  variantGid = `gid://shopify/ProductVariant/${variant.id}`;
  const shop = await t.db.shop.create({
    data: { id: "shop_flow", domain: SHOP, orderWebhookUrl: receiver.url, orderWebhookSecretEnc: encryptSecret(AGENT_SECRET, { table: "Shop", column: "orderWebhookSecretEnc", row: "shop_flow" }), stripeSecretKeyEnc: encryptSecret(stripe.apiKey, { table: "Shop", column: "stripeSecretKeyEnc", row: "shop_flow" }), orderEventNamesJson: JSON.stringify({ created: "order_create", updated: "order_update" }) },
  });
  shopId = shop.id;
  await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", scope: "read_orders" } });
});
afterAll(async () => {
  await shopify?.stop();
  await stripe?.stop();
  await receiver?.stop();
  await new Promise((r) => bridge?.close(r));
  await t.close();
});
beforeEach(async () => {
  clock += 3600_000; // every test starts with nothing due from an earlier one
  await drain();
  stripe.configure({});
  receiver.failNext(0);
  await t.db.shop.update({ where: { id: shopId }, data: { orderWebhookUrl: receiver.url, orderEventNamesJson: JSON.stringify({ created: "order_create", updated: "order_update" }) } });
});

describe("order events to the agent", () => {
  it("an agent order's creation reaches the agent once, signed, as a valid full Order", async () => {
    const { sessionId, orderGid } = await agentCheckout();
    await settle();
    const events = eventsFor(sessionId);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe("order_create");
    expect(validateOrderEvent2026(JSON.parse(events[0].raw)), errorsOf(validateOrderEvent2026)).toBe(true);
    expect(events[0].data).toMatchObject({ type: "order", id: orderGid, checkout_session_id: sessionId, status: "confirmed", order_number: expect.stringMatching(/^#\d+$/) });
    expect(events[0].requestId).toMatch(/^c/); // the outbox event id: stable across retries
    expect(receiver.rejected()).toHaveLength(0);
  });

  it("a fulfilment in Shopify sends one shipped update with tracking", async () => {
    const { sessionId, order } = await agentCheckout();
    await settle();
    shopify.fulfillOrder(SHOP, order.id, { trackingCompany: "UPS", trackingNumber: "1Z999AA1", trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA1" });
    await settle();
    const events = eventsFor(sessionId);
    expect(events.map((e) => e.type)).toEqual(["order_create", "order_update"]); // fulfillments/create and orders/updated: same state, one event
    const data = events[1].data as { status: string; fulfillments: Array<Record<string, unknown>>; line_items: Array<{ status: string }> };
    expect(validateOrderEvent2026(JSON.parse(events[1].raw)), errorsOf(validateOrderEvent2026)).toBe(true);
    expect(data.status).toBe("shipped");
    expect(data.fulfillments[0]).toMatchObject({ type: "shipping", status: "shipped", carrier: "UPS", tracking_number: "1Z999AA1", tracking_url: "https://www.ups.com/track?tracknum=1Z999AA1" });
    expect(data.line_items.every((l) => l.status === "fulfilled")).toBe(true);
  });

  it("a non-agent order sends nothing and records nothing", async () => {
    const outboxBefore = await t.db.outboxEvent.count();
    const order = shopify.createOrder(SHOP, { lineItems: [{ variantId: variantGid, quantity: 1 }], transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "manual", amountSet: { shopMoney: { amount: "129.00", currencyCode: "USD" } } }] });
    shopify.fulfillOrder(SHOP, order.id, {});
    shopify.refundOrder(SHOP, order.id, { amount: "10.00" });
    const received = receiver.events().length;
    await settle();
    expect(await t.db.agentOrder.count({ where: { shopifyOrderId: `gid://shopify/Order/${order.id}` } })).toBe(0);
    expect(await t.db.outboxEvent.count()).toBe(outboxBefore);
    expect(receiver.events()).toHaveLength(received);
    expect(shopify.webhookDeliveries.filter((d) => (d.payload as { id?: number; order_id?: number }).id === order.id || (d.payload as { order_id?: number }).order_id === order.id).every((d) => d.ok)).toBe(true);
  });

  it("a webhook with a bad HMAC is refused with 401 and enqueues nothing", async () => {
    const { orderGid } = await agentCheckout();
    await settle();
    const before = await t.db.outboxEvent.count();
    const body = { id: Number(orderGid.split("/").pop()), admin_graphql_api_id: orderGid, cancelled_at: new Date().toISOString(), updated_at: new Date(Date.now() + 60_000).toISOString(), line_items: [] };
    const res = await callRoute(signedWebhook("https://app.example/webhooks/orders", { topic: "orders/cancelled", shop: SHOP, body, secret: "not-the-secret" }));
    expect(res.status).toBe(401);
    expect(await t.db.outboxEvent.count()).toBe(before);
  });

  it("uses the event names the shop chose (OpenAI's docs: order_created / order_updated)", async () => {
    await t.db.shop.update({ where: { id: shopId }, data: { orderEventNamesJson: JSON.stringify({ created: "order_created", updated: "order_updated" }) } });
    const { sessionId, order } = await agentCheckout();
    await settle();
    shopify.fulfillOrder(SHOP, order.id, {});
    await settle();
    expect(eventsFor(sessionId).map((e) => e.type)).toEqual(["order_created", "order_updated"]);
  });

  it("a 2025-09-29 session gets the legacy event shape", async () => {
    const { sessionId, order } = await agentCheckout({ apiVersion: "2025-09-29" });
    await settle();
    shopify.fulfillOrder(SHOP, order.id, {});
    await settle();
    const events = eventsFor(sessionId);
    expect(events.map((e) => e.type)).toEqual(["order_create", "order_update"]);
    for (const e of events) expect(validateOrderEventLegacy(JSON.parse(e.raw)), errorsOf(validateOrderEventLegacy)).toBe(true);
    expect(events.map((e) => e.data.status)).toEqual(["confirmed", "shipped"]);
    expect(events[1].data.refunds).toEqual([]);
  });

  it("a failing endpoint is retried with backoff, dead-lettered, and delivered after a re-send", async () => {
    const { sessionId } = await agentCheckout();
    await shopify.waitForWebhookDeliveries();
    receiver.failNext(100, 503);
    const event = await t.db.outboxEvent.findFirstOrThrow({ where: { shopId, type: "order_event", deliveredAt: null, deadAt: null }, orderBy: { createdAt: "desc" } });
    let at = clock;
    for (let i = 0; i < 3; i++) {
      await drain(new Date(at));
      const row = await t.db.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
      expect(row.attempts).toBe(i + 1);
      if (i < 2) expect(row.nextAttemptAt.getTime()).toBeGreaterThan(at); // backed off, not due now
      at += 3600_000;
    }
    const dead = await t.db.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(dead.deadAt).not.toBeNull();
    expect(dead.lastError).toBe("http_5xx: The endpoint had a server error (HTTP 503).");
    expect(eventsFor(sessionId)).toHaveLength(0);
    receiver.failNext(0);
    expect(await resend(t.db, shopId, event.id, new Date(at))).toBe(true);
    await drain(new Date(at));
    expect(eventsFor(sessionId).map((e) => e.type)).toEqual(["order_create"]);
  });

  it("without an endpoint configured, events are dead-lettered with the reason (re-sendable later)", async () => {
    await t.db.shop.update({ where: { id: shopId }, data: { orderWebhookUrl: null } });
    const { sessionId } = await agentCheckout();
    await settle();
    const dead = await t.db.outboxEvent.findFirstOrThrow({ where: { shopId, type: "order_event", deadAt: { not: null } }, orderBy: { createdAt: "desc" } });
    expect(dead.lastError).toBe(NO_ENDPOINT);
    expect(dead.attempts).toBe(1);
    await t.db.shop.update({ where: { id: shopId }, data: { orderWebhookUrl: receiver.url } });
    await resend(t.db, shopId, dead.id, new Date(clock));
    await drain();
    expect(eventsFor(sessionId)).toHaveLength(1);
  });
});

describe("refunds that move money", () => {
  it("a partial refund in Shopify refunds exactly that amount on Stripe, then the agent gets the adjustment", async () => {
    const { sessionId, order, paymentIntentId } = await agentCheckout({ quantity: 2 });
    await settle();
    const line = order.lineItems[0];
    shopify.refundOrder(SHOP, order.id, { lineItems: [{ lineItemId: line.id, quantity: 1 }] });
    await settle();
    const refunds = stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 12900, currency: "usd", status: "succeeded", metadata: { shopify_refund_id: expect.stringMatching(/^gid:\/\/shopify\/Refund\//) } });
    const last = lastEventFor(sessionId);
    expect(validateOrderEvent2026(JSON.parse(last.raw)), errorsOf(validateOrderEvent2026)).toBe(true);
    const data = last.data as { adjustments: Array<Record<string, unknown>>; totals: Array<{ type: string; amount: number }>; line_items: Array<{ quantity: { current: number } }> };
    expect(data.adjustments).toEqual([expect.objectContaining({ type: "refund", status: "completed", amount: 12900, currency: "usd", line_items: [{ id: `gid://shopify/LineItem/${line.id}`, quantity: 1 }] })]);
    expect(data.totals.find((x) => x.type === "amount_refunded")?.amount).toBe(12900);
    expect(data.totals.find((x) => x.type === "total")?.amount).toBe(26300);
    expect(data.line_items[0].quantity.current).toBe(1);
    const agentOrder = await t.db.agentOrder.findFirstOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(agentOrder.refundedMinor).toBe(12900);
  });

  it("a duplicate refunds/create webhook (new webhook id) never refunds twice", async () => {
    const { order, paymentIntentId } = await agentCheckout();
    await settle();
    shopify.refundOrder(SHOP, order.id, { amount: "20.00" });
    await settle();
    const delivery = shopify.webhookDeliveries.find((d) => d.topic === "refunds/create" && (d.payload as { order_id: number }).order_id === order.id)!;
    for (let i = 0; i < 3; i++) {
      const res = await callRoute(signedWebhook("https://app.example/webhooks/orders", { topic: "refunds/create", shop: SHOP, body: delivery.payload, secret: SHOPIFY_SECRET }));
      expect(res.status).toBe(200);
    }
    await drain();
    const refunds = stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId);
    expect(refunds.map((r) => r.amount)).toEqual([2000]);
    expect(await t.db.stripeRefund.count({ where: { paymentIntentId } })).toBe(1);
  });

  it("with Stripe down, the refund waits in the outbox and is issued later, once", async () => {
    const { sessionId, order, paymentIntentId } = await agentCheckout();
    await settle();
    stripe.configure({ failureRate: 1, match: "POST /v1/refunds" });
    shopify.refundOrder(SHOP, order.id, { amount: "30.00" });
    await settle();
    expect(stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId)).toHaveLength(0);
    const row = await t.db.stripeRefund.findFirstOrThrow({ where: { paymentIntentId } });
    expect(row.status).toBe("pending");
    expect(row.lastError).toBeTruthy();
    const pendingEvent = lastEventFor(sessionId).data as { adjustments: Array<{ status: string }>; totals: Array<{ type: string; amount: number }> };
    expect(pendingEvent.adjustments[0].status).toBe("pending"); // the agent never hears "completed" before money moved
    expect(pendingEvent.totals.find((x) => x.type === "amount_refunded")?.amount).toBe(0);

    stripe.configure({});
    await drain(); // not due yet: backoff
    expect(stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId)).toHaveLength(0);
    await drain(new Date(clock + 10 * 60_000));
    await drain(new Date(clock + 60 * 60_000));
    const refunds = stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId);
    expect(refunds.map((r) => r.amount)).toEqual([3000]);
    expect((await t.db.stripeRefund.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("succeeded");
    const done = lastEventFor(sessionId).data as { adjustments: Array<{ status: string; amount: number }> };
    expect(done.adjustments[0]).toMatchObject({ status: "completed", amount: 3000 });
    const job = await t.db.outboxEvent.findFirstOrThrow({ where: { shopId, type: "stripe_refund", payloadJson: { contains: row.id } } });
    expect(job).toMatchObject({ attempts: 2, deadAt: null });
    expect(job.deliveredAt).not.toBeNull();
  });

  it("a cancel with refund refunds the whole charge on Stripe and reports the order canceled", async () => {
    const { sessionId, order, paymentIntentId, totalMinor } = await agentCheckout({ quantity: 1 });
    await settle();
    shopify.cancelOrder(SHOP, order.id, { refund: true, reason: "CUSTOMER" });
    await settle();
    const refunds = stripe.ledger().refunds.filter((r) => r.paymentIntent === paymentIntentId);
    expect(refunds.map((r) => r.amount)).toEqual([totalMinor]);
    const last = lastEventFor(sessionId);
    expect(validateOrderEvent2026(JSON.parse(last.raw)), errorsOf(validateOrderEvent2026)).toBe(true);
    const data = last.data as { status: string; adjustments: Array<{ type: string; status: string; amount?: number }> };
    expect(data.status).toBe("canceled");
    expect(data.adjustments.map((a) => [a.type, a.status, a.amount])).toEqual(expect.arrayContaining([["cancellation", "completed", undefined], ["refund", "completed", totalMinor]]));
  });
});

describe("hand-off mode (orders placed in Shopify's checkout)", () => {
  it("an order carrying the agent session as a cart attribute is recorded and reported; its refunds move no Stripe money", async () => {
    const sessionId = `cs_handoff_${Date.now()}`;
    await t.db.checkoutSession.create({ data: { id: sessionId, shopId, apiVersion: "2026-04-17", status: "ready_for_payment", currency: "usd", stateJson: "{}", totalMinor: 12900, expiresAt: new Date(Date.now() + 3600_000) } });
    const stripeRefundsBefore = stripe.ledger().refunds.length;
    const order = shopify.createOrder(SHOP, {
      lineItems: [{ variantId: variantGid, quantity: 1 }],
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "shopify_payments", amountSet: { shopMoney: { amount: "129.00", currencyCode: "USD" } } }],
      customAttributes: [{ key: "acp_session", value: sessionId }],
    });
    await settle();
    const agentOrder = await t.db.agentOrder.findFirstOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(agentOrder).toMatchObject({ shopifyOrderId: `gid://shopify/Order/${order.id}`, attribution: "handoff", paymentIntentId: null, totalMinor: 12900 });
    expect(eventsFor(sessionId).map((e) => e.type)).toEqual(["order_create"]);
    shopify.refundOrder(SHOP, order.id, { amount: "29.00" });
    await settle();
    expect(stripe.ledger().refunds).toHaveLength(stripeRefundsBefore);
    const data = lastEventFor(sessionId).data as { adjustments: Array<{ type: string; status: string; amount: number }> };
    expect(data.adjustments).toEqual([expect.objectContaining({ type: "refund", status: "completed", amount: 2900 })]);
  });

  it("an attribute naming a session this shop does not have is ignored", async () => {
    const before = await t.db.agentOrder.count();
    shopify.createOrder(SHOP, { lineItems: [{ variantId: variantGid, quantity: 1 }], customAttributes: [{ key: "acp_session", value: "cs_not_ours" }] });
    await settle();
    expect(await t.db.agentOrder.count()).toBe(before);
  });
});

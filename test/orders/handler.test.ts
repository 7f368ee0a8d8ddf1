// handleOrderWebhook and the outbox worker against a real SQLite database, without HTTP.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { handleOrderWebhook, OrderNotYetRecorded } from "../../app/orders/webhook-handler.server";
import { startOutboxWorker } from "../../app/orders/worker.server";
import { enqueue } from "../../app/jobs/outbox.server";
import { restFulfillment, restOrder, restRefund, ORDER_ID } from "./fixtures";

const t = freshDb();
afterAll(() => t.close());
const SHOP = "handler-shop.myshopify.com";
const ORDER_GID = `gid://shopify/Order/${ORDER_ID}`;
let shopId: string;

beforeEach(async () => {
  await t.db.shop.deleteMany({});
  shopId = (await t.db.shop.create({ data: { domain: SHOP } })).id;
});

async function paidSession(id = "cs_test_1") {
  await t.db.checkoutSession.create({ data: { id, shopId, apiVersion: "2026-04-17", status: "completed", currency: "usd", stateJson: "{}", totalMinor: 6872, paymentIntentId: "pi_123", expiresAt: new Date(Date.now() + 3600_000) } });
}
async function agentOrder(paymentIntentId: string | null = "pi_123") {
  return t.db.agentOrder.create({ data: { shopId, checkoutSessionId: "cs_test_1", shopifyOrderId: ORDER_GID, orderName: "#1001", statusUrl: "https://demo.example/s", totalMinor: 6872, currency: "usd", paymentIntentId } });
}
const deps = { db: t.db };

describe("handleOrderWebhook", () => {
  it("asks Shopify to retry when a paid session's order arrives before its AgentOrder is committed", async () => {
    await paidSession();
    await expect(handleOrderWebhook(deps, { shopDomain: SHOP, topic: "orders/create", payload: restOrder() })).rejects.toBeInstanceOf(OrderNotYetRecorded);
    expect(await t.db.outboxEvent.count()).toBe(0);
    await agentOrder();
    expect(await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "orders/create", payload: restOrder() })).toMatchObject({ kind: "recorded", eventEnqueued: true });
  });

  it("ignores unknown shops, other topics and malformed payloads", async () => {
    expect(await handleOrderWebhook(deps, { shopDomain: "other.myshopify.com", topic: "orders/create", payload: restOrder() })).toEqual({ kind: "ignored", reason: "unknown_shop" });
    expect(await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "orders/paid", payload: restOrder() })).toEqual({ kind: "ignored", reason: "unknown_topic" });
    expect(await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: { id: 1 } })).toEqual({ kind: "ignored", reason: "malformed" });
  });

  it("a refund or fulfillment before any order payload still produces a valid state; identical states are not re-sent", async () => {
    await paidSession();
    const order = await agentOrder();
    const r1 = await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: restRefund() });
    expect(r1).toMatchObject({ kind: "recorded", eventEnqueued: true, stripeRefundsQueued: 1 });
    const r2 = await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: restRefund() });
    expect(r2).toMatchObject({ kind: "recorded", eventEnqueued: false, stripeRefundsQueued: 0 });
    await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "fulfillments/create", payload: restFulfillment() });
    const events = await t.db.outboxEvent.findMany({ where: { shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }); // one transaction: one createdAt
    expect(events.map((e) => e.type)).toEqual(["stripe_refund", "order_event", "order_event"]);
    expect(JSON.parse(events[1].payloadJson).body.type).toBe("order_create");
    expect(JSON.parse(events[2].payloadJson).body.type).toBe("order_update");
    const row = await t.db.stripeRefund.findFirstOrThrow({ where: { agentOrderId: order.id } });
    expect(row).toMatchObject({ requestedMinor: 972, amountMinor: 972, status: "pending", idempotencyKey: `acp-shopify-refund-${shopId}-509562969` });
  });

  it("never asks Stripe for more than was charged minus earlier refunds", async () => {
    await paidSession();
    const order = await agentOrder();
    await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: restRefund({ id: 1, admin_graphql_api_id: "gid://shopify/Refund/1", transactions: [{ id: 1, kind: "refund", status: "success", gateway: "stripe-acp", amount: "60.00", currency: "USD" }] }) });
    await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: restRefund({ id: 2, admin_graphql_api_id: "gid://shopify/Refund/2", transactions: [{ id: 2, kind: "refund", status: "success", gateway: "stripe-acp", amount: "60.00", currency: "USD" }] }) });
    await handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload: restRefund({ id: 3, admin_graphql_api_id: "gid://shopify/Refund/3", transactions: [{ id: 3, kind: "refund", status: "success", gateway: "stripe-acp", amount: "5.00", currency: "USD" }] }) });
    const rows = await t.db.stripeRefund.findMany({ where: { agentOrderId: order.id }, orderBy: { shopifyRefundId: "asc" } });
    expect(rows.map((r) => [r.requestedMinor, r.amountMinor, r.status])).toEqual([
      [6000, 6000, "pending"],
      [6000, 872, "pending"],
      [500, 0, "skipped"],
    ]);
    expect(await t.db.outboxEvent.count({ where: { type: "stripe_refund" } })).toBe(2);
  });

  it("concurrent webhooks for one order lose no update (revision check and retry)", async () => {
    await paidSession();
    await agentOrder();
    const refunds = [1, 2, 3, 4, 5].map((n) => restRefund({ id: n, admin_graphql_api_id: `gid://shopify/Refund/${n}`, refund_line_items: [], transactions: [{ id: n, kind: "refund", status: "success", gateway: "stripe-acp", amount: "1.00", currency: "USD" }] }));
    await Promise.all([
      ...refunds.map((payload) => handleOrderWebhook(deps, { shopDomain: SHOP, topic: "refunds/create", payload })),
      handleOrderWebhook(deps, { shopDomain: SHOP, topic: "orders/updated", payload: restOrder() }),
      handleOrderWebhook(deps, { shopDomain: SHOP, topic: "fulfillments/create", payload: restFulfillment() }),
    ]);
    const stored = await t.db.agentOrder.findFirstOrThrow({ where: { shopId } });
    const snapshot = JSON.parse(stored.shopifyOrderJson!);
    expect(snapshot.refunds).toHaveLength(5);
    expect(snapshot.fulfillments).toHaveLength(1);
    expect(snapshot.lineItems).toHaveLength(2);
    expect(await t.db.stripeRefund.count()).toBe(5);
  });
});

describe("startOutboxWorker", () => {
  it("delivers on its timer, never runs two passes at once, and stops cleanly", async () => {
    let running = 0;
    let maxRunning = 0;
    const delivered: string[] = [];
    const handler = async (event: { id: string }) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 30));
      delivered.push(event.id);
      running--;
      return { ok: true as const };
    };
    for (let i = 0; i < 3; i++) await enqueue(t.db, { shopId, type: "order_event", aggregateId: `o${i}`, payload: { i } });
    const worker = startOutboxWorker({ db: t.db, handlers: { order_event: handler }, intervalMs: 5 });
    await Promise.all([worker.runOnce(), worker.runOnce()]);
    for (let i = 0; i < 50 && delivered.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(delivered).toHaveLength(3);
    expect(maxRunning).toBe(1);
    await enqueue(t.db, { shopId, type: "order_event", payload: { late: true } });
    await new Promise((r) => setTimeout(r, 50));
    expect(delivered).toHaveLength(3); // stopped: nothing more runs
  });
});

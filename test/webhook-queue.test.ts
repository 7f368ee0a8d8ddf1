// Shopify deliveries processed from the queue (docs/decisions/0138): the receiving request's one attempt within a
// budget (deliverNow), and what it leaves to the worker when the handler fails, runs long, or must wait its turn.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { deliverDue, deliverNow, enqueue } from "../app/jobs/outbox.server";
import { QUEUED_TOPICS, webhookAggregate } from "../app/webhooks/handlers.server";
import { webhookSubscriptions } from "../scripts/demo/webhook-subscriptions";

const t = freshDb();
afterAll(() => t.close());
let shopId: string;
beforeEach(async () => {
  await t.db.shop.deleteMany({});
  shopId = (await t.db.shop.create({ data: { domain: `queue-${Date.now()}.myshopify.com` } })).id;
});
const delivery = (aggregateId: string | null, n: number) => enqueue(t.db, { shopId, type: "shopify_webhook", aggregateId: aggregateId ?? undefined, payload: { n } }, new Date(Date.now() - 1000 + n));

describe("queued Shopify deliveries", () => {
  it("a quick handler is done before the answer; a slow one is answered within the budget and finishes after", async () => {
    const quick = await delivery("product:1", 1);
    const handled: number[] = [];
    const handler = (ms: number) => ({ shopify_webhook: async (e: { payloadJson: string }) => (await new Promise((r) => setTimeout(r, ms)), handled.push(JSON.parse(e.payloadJson).n), { ok: true as const }) });
    expect(await deliverNow(t.db, quick, handler(5), { budgetMs: 500 })).toBe("delivered");
    const slow = await delivery("product:2", 2);
    const started = Date.now();
    expect(await deliverNow(t.db, slow, handler(800), { budgetMs: 200 })).toBe("queued");
    expect(Date.now() - started).toBeLessThan(600);
    // The worker does not take it while the receiving request still works on it (its lock).
    expect((await deliverDue(t.db, handler(0))).delivered).toBe(0);
    await new Promise((r) => setTimeout(r, 900));
    expect(handled).toEqual([1, 2]);
    expect((await t.db.outboxEvent.findUniqueOrThrow({ where: { id: slow.id } })).deliveredAt).not.toBeNull();
  });

  it("a failed first attempt is the worker's to retry; a later delivery about the same product waits for it", async () => {
    const first = await delivery("product:3", 1);
    const second = await delivery("product:3", 2);
    const seen: number[] = [];
    let fail = true;
    const handler = { shopify_webhook: async (e: { payloadJson: string }) => (fail ? { ok: false as const, error: "Shopify 503" } : (seen.push(JSON.parse(e.payloadJson).n), { ok: true as const })) };
    expect(await deliverNow(t.db, first, handler)).toBe("failed");
    expect(await deliverNow(t.db, second, handler)).toBe("queued"); // its turn comes after the first
    const stored = await t.db.outboxEvent.findUniqueOrThrow({ where: { id: first.id } });
    expect(stored.lastError).toBe("Shopify 503");
    expect(stored.attempts).toBe(1);
    fail = false;
    await deliverDue(t.db, handler, { now: new Date(Date.now() + 3_600_000) });
    await deliverDue(t.db, handler, { now: new Date(Date.now() + 3_600_000) });
    expect(seen).toEqual([1, 2]);
  });

  it("orders deliveries by the resource they are about; every queued topic is one shopify.app.toml subscribes to", () => {
    expect(webhookAggregate("products/update", { id: 12 })).toBe("product:12");
    expect(webhookAggregate("inventory_levels/update", { inventory_item_id: 7, location_id: 1 })).toBe("inventory_item:7");
    expect(webhookAggregate("orders/updated", { id: 99 })).toBe("order:99");
    expect(webhookAggregate("refunds/create", { id: 5, order_id: 99 })).toBe("order:99");
    expect(webhookAggregate("fulfillments/update", { id: 6, order_id: 99 })).toBe("order:99");
    expect(webhookAggregate("bulk_operations/finish", { admin_graphql_api_id: "gid://shopify/BulkOperation/1" })).toBeNull();
    expect(webhookAggregate("products/update", { id: { nested: true } })).toBeNull();
    const subscribed = new Set(webhookSubscriptions("https://app.example").map((s) => s.topic));
    for (const topic of QUEUED_TOPICS) expect(subscribed.has(topic), topic).toBe(true);
  });
});

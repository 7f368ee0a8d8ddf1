// The whole sale on the demo stack, as an agent platform sees it: read the published feed → create → address →
// shipping → complete with a freshly minted Stripe shared payment token → one order in the simulated shop with
// decremented stock → a signed order_create at the agent's webhook receiver (verified there, independently) →
// a fulfilment in Shopify sends a shipped update → a refund in Shopify refunds the Stripe charge and sends an
// update with the adjustment.
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { createAgentClient, shapes } from "../../sim/agent/client";
import { startWebhookReceiver, type WebhookReceiver } from "../../sim/agent/webhook-receiver";
import { freePort } from "../support/ports";
import { expectValidSession } from "../acp/assertions";
import { schemaErrors } from "../acp/harness";

const SECRET = "agent-order-events-e2e-secret";
let stack: DemoStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
  process.env.DEMO_ORDER_WEBHOOK_URL = receiver.url;
  process.env.DEMO_ORDER_WEBHOOK_SECRET = SECRET;
  try {
    stack = await startDemoStack({ port: await freePort(), build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), "demo-complete-")) });
  } finally {
    delete process.env.DEMO_ORDER_WEBHOOK_URL;
    delete process.env.DEMO_ORDER_WEBHOOK_SECRET;
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };
const amount = (totals: Array<{ type: string; amount: number }>, type: string) => totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);

it("feed → create → address → shipping → complete → order, order_create, shipped, refunded", async () => {
  const V = "2026-04-17";
  const shop = stack.urls.shop;

  // 1. The agent reads the feed and picks a checkout-eligible, in-stock item.
  const feed = await fetch(stack.urls.feed);
  expect(feed.status).toBe(200);
  const rows = gunzipSync(Buffer.from(await feed.arrayBuffer())).toString("utf8").trim().split("\n").map((l) => JSON.parse(l));
  const row = rows.find((r) => r.is_eligible_checkout && r.availability === "in_stock" && stack.shopify.inventory(shop, Number(String(r.item_id).split("/").pop())) > 5);
  expect(row, "an eligible in-stock item in the feed").toBeTruthy();

  // 2. Create → address → the last (dearest) shipping option.
  const agent = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version: V });
  const created = await agent.create(shapes.create(V, [{ id: row.item_id, quantity: 2 }], buyer));
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  const addressed = await agent.update(id, shapes.address(V, address, buyer.email));
  const options = addressed.body.fulfillment_options as Array<{ id: string }>;
  const chosen = await agent.update(id, shapes.option(V, options[options.length - 1].id, [row.item_id]));
  expectValidSession(V, chosen.body);
  expect(chosen.body.status).toBe("ready_for_payment");
  const total = amount(chosen.body.totals as Array<{ type: string; amount: number }>, "total");
  const variantGid = (chosen.body.line_items as Array<{ variant_id: string }>)[0].variant_id;
  const variantId = Number(variantGid.split("/").pop());
  const stockBefore = stack.shopify.inventory(shop, variantId);

  // 3. Complete with a freshly minted token scoped to this total.
  const token = stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: total }).id;
  const completed = await agent.complete(id, shapes.complete(V, token));
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  expect(schemaErrors(V, "CheckoutSessionWithOrder", completed.body)).toEqual([]);
  expect(completed.body.status).toBe("completed");
  const order = completed.body.order as { id: string; permalink_url: string };

  // 4. One order in the shop, the right lines and total, the Stripe charge as its transaction, stock taken.
  const orders = stack.shopify.orders(shop).filter((o) => o.sourceIdentifier === id);
  expect(orders).toHaveLength(1);
  expect(order.id).toBe(`gid://shopify/Order/${orders[0].id}`);
  expect(orders[0].lineItems.map((l) => [l.variantId, l.quantity])).toEqual([[variantId, 2]]);
  const charges = stack.stripe.ledger().paymentIntents.filter((p) => p.metadata.checkout_session_id === id);
  expect(charges).toHaveLength(1);
  expect(charges[0]).toMatchObject({ status: "succeeded", amount: total });
  expect(orders[0].transactions[0]).toMatchObject({ gateway: "stripe", amount: total, authorizationCode: charges[0].id, kind: "SALE", status: "SUCCESS" });
  expect(stack.shopify.inventory(shop, variantId)).toBe(stockBefore - 2);
  // Attributed to the agent: tagged with the name the merchant gave its API key ("Demo agent").
  expect(orders[0].tags).toEqual(expect.arrayContaining(["agentic-checkout", "agent:Demo agent"]));

  // 5. The agent receives order_create, signature verified by the receiver itself.
  const createdEvent = await receiver.waitFor((e) => e.type === "order_create" && (e.data as { id?: string }).id === order.id, 15_000);
  expect(createdEvent.data).toMatchObject({ checkout_session_id: id, permalink_url: order.permalink_url });
  expect(receiver.rejected()).toEqual([]);

  // 6. The merchant ships: an update with the fulfilment.
  stack.shopify.fulfillOrder(shop, orders[0].id, { trackingCompany: "UPS", trackingNumber: "1Z999", trackingUrl: "https://ups.example/1Z999" });
  const shipped = await receiver.waitFor((e) => e.type === "order_update" && (e.data as { id?: string }).id === order.id && ["shipped", "completed"].includes(String((e.data as { status?: string }).status)), 15_000);
  expect(JSON.stringify(shipped.data.fulfillments)).toContain("1Z999");

  // 7. The merchant refunds 10.00 in Shopify: Stripe refunds it, and the agent sees the adjustment.
  stack.shopify.refundOrder(shop, orders[0].id, { amount: "10.00", note: "goodwill" });
  const refunded = await receiver.waitFor((e) => e.type === "order_update" && JSON.stringify(e.data.adjustments ?? []).includes('"completed"'), 20_000);
  expect(JSON.stringify(refunded.data.adjustments)).toContain("1000");
  const after = stack.stripe.ledger().paymentIntents.find((p) => p.id === charges[0].id)!;
  expect(after.amountRefunded).toBe(1000);
  expect(receiver.rejected()).toEqual([]);
}, 90_000);

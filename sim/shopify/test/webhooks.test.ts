// Genuinely signed webhooks delivered to a local receiver; retries on non-2xx; unsubscribed topics are not sent.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopifyHmac, type ShopifySim } from "../index.js";
import { client, SHOP, startSim, variantGid } from "./helpers.js";

const SECRET = "test-app-secret";
interface Received {
  topic: string;
  headers: IncomingMessage["headers"];
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let failNext = 0;
let sim: ShopifySim;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ topic: String(req.headers["x-shopify-topic"]), headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
  const topics = ["products/update", "products/delete", "inventory_levels/update", "orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/paid", "fulfillments/create", "refunds/create", "bulk_operations/finish", "app/uninstalled"];
  sim = await startSim({ webhooks: { secret: SECRET, subscriptions: topics.map((topic) => ({ topic, uri: receiverUrl })) } });
});
afterAll(async () => {
  await sim.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const byTopic = (t: string) => received.filter((r) => r.topic === t);

describe("webhooks", () => {
  it("signs products/update with the app secret and sends Shopify's headers", async () => {
    received.length = 0;
    const p = [...sim.shop().products.values()].find((x) => x.handle === "summit-rain-jacket")!;
    sim.updateProduct(SHOP, p.id, { title: "Summit Rain Jacket v2" });
    await sim.waitForWebhookDeliveries();
    const [w] = byTopic("products/update");
    expect(w).toBeDefined();
    expect(w.headers["x-shopify-hmac-sha256"]).toBe(shopifyHmac(w.raw, SECRET));
    expect(w.headers["x-shopify-hmac-sha256"]).not.toBe(shopifyHmac(w.raw, "wrong-secret"));
    expect(w.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(w.headers["x-shopify-api-version"]).toBe("2026-10");
    expect(w.headers["x-shopify-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.headers["x-shopify-event-id"]).toBeTruthy();
    expect(w.headers["x-shopify-triggered-at"]).toBeTruthy();
    expect(w.headers["content-type"]).toBe("application/json");
    expect(w.body).toMatchObject({ id: p.id, title: "Summit Rain Jacket v2", admin_graphql_api_id: `gid://shopify/Product/${p.id}`, status: "active", tags: "rain, outerwear, waterproof" });
    expect(w.body.variants[0]).toMatchObject({ id: p.variants[0].id, product_id: p.id, price: "129.00", sku: "NB-SRJ-S", inventory_item_id: p.variants[0].inventoryItem.id, inventory_policy: "deny", admin_graphql_api_id: `gid://shopify/ProductVariant/${p.variants[0].id}` });
  });

  it("inventory_levels/update and products/delete payloads", async () => {
    received.length = 0;
    const v = variantGid(sim, "titanium-mug-450ml");
    const variant = sim.variant(SHOP, v)!;
    sim.setInventory(SHOP, v, 3);
    const p = [...sim.shop().products.values()].find((x) => x.handle === "camp-pillow")!;
    sim.deleteProduct(SHOP, p.id);
    await sim.waitForWebhookDeliveries();
    expect(byTopic("inventory_levels/update")[0].body).toMatchObject({ inventory_item_id: variant.inventoryItem.id, location_id: sim.shop().locations[0].id, available: 3 });
    expect(byTopic("inventory_levels/update")[0].body.admin_graphql_api_id).toMatch(/^gid:\/\/shopify\/InventoryLevel\//);
    expect(byTopic("products/delete")[0].body).toEqual({ id: p.id });
  });

  it("order lifecycle: create, paid, fulfilled, refunds, cancelled (REST shapes)", async () => {
    received.length = 0;
    const gql = client(sim);
    const v = variantGid(sim, "enamel-camp-mug", "White");
    const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });
    const res = await gql(`mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } userErrors { message } } }`, {
      o: { lineItems: [{ variantId: v, quantity: 1, priceSet: money("18.00") }], transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe", amountSet: money("18.00") }], sourceIdentifier: "cs_hook", customAttributes: [{ key: "k", value: "v" }], email: "a@b.example" },
    });
    const orderId = Number(res.body.data.orderCreate.order.id.split("/").pop());
    sim.fulfillOrder(SHOP, orderId, { trackingCompany: "USPS", trackingNumber: "9400", trackingUrl: "https://usps.example/9400" });
    sim.refundOrder(SHOP, orderId, { amount: "5.00", note: "sorry" });
    await sim.waitForWebhookDeliveries();
    const created = byTopic("orders/create")[0].body;
    expect(created).toMatchObject({ id: orderId, admin_graphql_api_id: `gid://shopify/Order/${orderId}`, name: "#1001", email: "a@b.example", financial_status: "paid", fulfillment_status: null, currency: "USD", total_price: "18.00", source_identifier: "cs_hook", note_attributes: [{ name: "k", value: "v" }] });
    expect(created.line_items[0]).toMatchObject({ variant_id: sim.variant(SHOP, v)!.id, quantity: 1, current_quantity: 1, fulfillable_quantity: 1, price: "18.00", sku: "CG-ECM-WHIT" });
    expect(created.order_status_url).toMatch(/\/orders\/[0-9a-f]{32}\/authenticate\?key=/);
    expect(byTopic("orders/paid")).toHaveLength(1);
    expect(byTopic("fulfillments/create")[0].body).toMatchObject({ order_id: orderId, status: "success", tracking_company: "USPS", tracking_number: "9400", tracking_url: "https://usps.example/9400" });
    expect(byTopic("orders/fulfilled")[0].body.fulfillment_status).toBe("fulfilled");
    const refund = byTopic("refunds/create")[0].body;
    expect(refund).toMatchObject({ order_id: orderId, note: "sorry" });
    expect(refund.transactions[0]).toMatchObject({ amount: "5.00", kind: "refund", gateway: "stripe", status: "success" });
    expect(byTopic("orders/updated").length).toBeGreaterThanOrEqual(2);
  });

  it("retries on non-2xx and records attempts", async () => {
    received.length = 0;
    failNext = 2;
    sim.uninstallApp(SHOP);
    await sim.waitForWebhookDeliveries();
    const d = sim.webhookDeliveries.filter((x) => x.topic === "app/uninstalled").at(-1)!;
    expect(d).toMatchObject({ ok: true, statusCode: 200, attempts: 3 });
    expect(byTopic("app/uninstalled")[0].body.myshopify_domain).toBe(SHOP);
  });

  it("does not send topics nobody subscribed to", async () => {
    const before = sim.webhookDeliveries.length;
    const p = [...sim.shop().products.values()][5];
    sim.setWebhooks({ secret: SECRET, subscriptions: [{ topic: "orders/create", uri: receiverUrl }] });
    sim.updateProduct(SHOP, p.id, { title: "Renamed" });
    await sim.waitForWebhookDeliveries();
    expect(sim.webhookDeliveries.length).toBe(before);
  });
});

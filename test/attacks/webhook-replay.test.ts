// Item 5: a captured, genuinely signed Shopify delivery replayed with altered headers (Shopify's HMAC covers the
// body only). Real routes, real signatures, a real migrated SQLite database.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { parse } from "smol-toml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { signedWebhook } from "../support/shopify-webhook";

const SECRET = "replay-test-secret";
const SHOP = "victim-shop.myshopify.com";
const OTHER = "attacker-shop.myshopify.com";
const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = SECRET;
process.env.SHOPIFY_API_KEY = "replay-test-key";

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> };
let compliance: Route, scopes: Route, uninstalled: Route, products: Route;
const call = (route: Route, request: Request) => route.action({ request, params: {}, context: {} }).catch((e: unknown) => e as Response);
const url = (path: string) => `https://app.example${path}`;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  compliance = await import("../../app/routes/webhooks.compliance");
  scopes = await import("../../app/routes/webhooks.app.scopes_update");
  uninstalled = await import("../../app/routes/webhooks.app.uninstalled");
  products = await import("../../app/routes/webhooks.products");
});
afterAll(() => t.close());

beforeEach(async () => {
  await t.db.shop.deleteMany({});
  await t.db.session.deleteMany({});
  await t.db.webhookReceipt.deleteMany({});
  for (const domain of [SHOP, OTHER]) {
    await t.db.shop.create({ data: { domain, name: domain } });
    await t.db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x", scope: "read_products" } });
  }
});

const shopExists = async (domain: string) => (await t.db.shop.count({ where: { domain } })) === 1;

describe("a signed delivery replayed under another topic", () => {
  it("an app/scopes_update body sent as shop/redact is refused and the shop is not deleted", async () => {
    const body = { id: 1, previous: ["read_products"], current: ["read_products", "write_orders"], updated_at: new Date().toISOString(), created_at: new Date().toISOString() };
    const captured = signedWebhook(url("/webhooks/app/scopes_update"), { topic: "app/scopes_update", shop: SHOP, body, secret: SECRET });
    const replay = new Request(url("/webhooks/compliance"), { method: "POST", headers: captured.headers, body: await captured.text() });
    replay.headers.set("X-Shopify-Topic", "shop/redact");
    const res = await call(compliance, replay);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await shopExists(SHOP)).toBe(true);
  });

  it("a topic the route is not subscribed to is refused (scopes_update body at the uninstall address)", async () => {
    const body = { id: 1, previous: [], current: ["read_products"] };
    const res = await call(uninstalled, signedWebhook(url("/webhooks/app/uninstalled"), { topic: "app/scopes_update", shop: SHOP, body, secret: SECRET }));
    expect(res.status).toBe(400);
    expect((await t.db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).uninstalledAt).toBeNull();
  });

  it("a customers/redact body sent as shop/redact is refused", async () => {
    const body = { shop_id: 1, shop_domain: SHOP, customer: { id: 7, email: "ada@example.com" }, orders_to_redact: [] };
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body, secret: SECRET }));
    expect(res.status).toBe(400);
    expect(await shopExists(SHOP)).toBe(true);
  });

  it("a product body sent as products/delete is refused", async () => {
    const body = { id: 42, title: "Spork", variants: [{ id: 1 }], status: "active" };
    const res = await call(products, signedWebhook(url("/webhooks/products"), { topic: "products/delete", shop: SHOP, body, secret: SECRET }));
    expect(res.status).toBe(400);
  });
});

describe("a signed delivery replayed for another shop", () => {
  it("a shop/redact body for shop X sent with header shop Y is refused; neither shop is deleted", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: OTHER, body: { shop_id: 1, shop_domain: SHOP }, secret: SECRET }));
    expect(res.status).toBe(401);
    expect(await shopExists(SHOP)).toBe(true);
    expect(await shopExists(OTHER)).toBe(true);
  });

  it("an app/uninstalled body for shop X sent as shop Y is refused", async () => {
    const res = await call(uninstalled, signedWebhook(url("/webhooks/app/uninstalled"), { topic: "app/uninstalled", shop: OTHER, body: { id: 1, myshopify_domain: SHOP }, secret: SECRET }));
    expect(res.status).toBe(401);
    expect((await t.db.shop.findUniqueOrThrow({ where: { domain: OTHER } })).uninstalledAt).toBeNull();
  });

  it("a compliance body that names no shop is refused", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body: { shop_id: 1 }, secret: SECRET }));
    expect(res.status).toBe(400);
    expect(await shopExists(SHOP)).toBe(true);
  });
});

describe("the same event delivered again", () => {
  it("the same X-Shopify-Event-Id under a new webhook id is processed once", async () => {
    const body = { id: 1, previous: ["read_products"], current: ["read_products", "write_orders"] };
    const send = (webhookId: string) => call(scopes, signedWebhook(url("/webhooks/app/scopes_update"), { topic: "app/scopes_update", shop: SHOP, body, secret: SECRET, webhookId, eventId: "event-1" }));
    expect((await send("wh-1")).status).toBe(200);
    // The merchant changes the scopes again; a replay of the first event must not undo it.
    await t.db.session.update({ where: { id: `offline_${SHOP}` }, data: { scope: "read_products,write_orders,read_inventory" } });
    expect((await send("wh-2")).status).toBe(200);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).scope).toBe("read_products,write_orders,read_inventory");
    expect(await t.db.webhookReceipt.count()).toBe(1);
  });
});

describe("an old delivery", () => {
  it("an X-Shopify-Triggered-At older than Shopify's retry window is refused", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP }, secret: SECRET, triggeredAt: hoursAgo(30) }));
    expect(res.status).toBe(401);
    expect(await shopExists(SHOP)).toBe(true);
  });

  it("a delivery without X-Shopify-Triggered-At is refused (dropping the header must not skip the age check)", async () => {
    const request = signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP }, secret: SECRET });
    request.headers.delete("X-Shopify-Triggered-At");
    const res = await call(compliance, request);
    expect(res.status).toBe(400);
    expect(await shopExists(SHOP)).toBe(true);
  });

  it("a scopes change whose signed updated_at is old is refused even with a fresh header", async () => {
    const body = { id: 1, previous: ["read_products", "write_orders"], current: ["read_products"], updated_at: hoursAgo(48) };
    const res = await call(scopes, signedWebhook(url("/webhooks/app/scopes_update"), { topic: "app/scopes_update", shop: SHOP, body, secret: SECRET }));
    expect(res.status).toBe(401);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).scope).toBe("read_products");
  });

  it("a fresh, well-formed delivery within the window is still handled (a Shopify retry 3 hours later)", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP }, secret: SECRET, triggeredAt: hoursAgo(3) }));
    expect(res.status).toBe(200);
    expect(await shopExists(SHOP)).toBe(false);
    expect(await shopExists(OTHER)).toBe(true);
  });
});

describe("each route's topics are exactly what shopify.app.toml sends it", () => {
  it("so a subscription is never refused as a foreign topic, and nothing else is accepted", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const toml = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as { webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] } };
    for (const sub of toml.webhooks.subscriptions) {
      const file = path.join(root, "app/routes", `${sub.uri.replace(/^\//, "").replaceAll("/", ".")}.ts`);
      const route = (await import(file)) as { TOPICS?: readonly string[] };
      expect([...(route.TOPICS ?? [])].sort(), sub.uri).toEqual([...(sub.topics ?? []), ...(sub.compliance_topics ?? [])].sort());
    }
  });
});

// Webhook routes with genuinely signed requests, against a real migrated SQLite database.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { signedWebhook } from "./support/shopify-webhook";

const SECRET = "webhook-test-secret";
const SHOP = "webhook-shop.myshopify.com";
const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = SECRET;
process.env.SHOPIFY_API_KEY = "webhook-test-key";

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> };
let uninstalled: Route, compliance: Route, scopes: Route;
const call = (route: Route, request: Request) => route.action({ request, params: {}, context: {} });
const url = (path: string) => `https://app.example${path}`;

beforeAll(async () => {
  uninstalled = await import("../app/routes/webhooks.app.uninstalled");
  compliance = await import("../app/routes/webhooks.compliance");
  scopes = await import("../app/routes/webhooks.app.scopes_update");
});
afterAll(() => t.close());

let shopId: string;
beforeEach(async () => {
  await t.db.shop.deleteMany({});
  await t.db.session.deleteMany({});
  await t.db.complianceRequest.deleteMany({});
  await t.db.webhookReceipt.deleteMany({});
  const shop = await t.db.shop.create({ data: { domain: SHOP, name: "Webhook shop" } });
  shopId = shop.id;
  await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", scope: "read_products" } });
  await t.db.agentApiKey.create({ data: { shopId, name: "ChatGPT", prefix: "acp_abc", keyHash: "hash-1" } });
  await t.db.checkoutSession.create({
    data: {
      id: "cs_buyer1", shopId, apiVersion: "2026-04-17", status: "ready_for_payment", currency: "usd", expiresAt: new Date(Date.now() + 3600_000),
      stateJson: JSON.stringify({ buyer: { email: "ada@example.com", first_name: "Ada" }, fulfillmentDetails: { address: { lineOne: "1 Main St", city: "Springfield" } }, lineItems: [{ itemId: "v1", quantity: 2 }] }),
    },
  });
});

describe("app/uninstalled", () => {
  it("forgets the shop's sessions, revokes its agent keys and marks it uninstalled", async () => {
    const res = await call(uninstalled, signedWebhook(url("/webhooks/app/uninstalled"), { topic: "app/uninstalled", shop: SHOP, body: { id: 1, myshopify_domain: SHOP }, secret: SECRET }));
    expect(res.status).toBe(200);
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(0);
    const shop = await t.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(shop.uninstalledAt).not.toBeNull();
    expect(await t.db.agentApiKey.count({ where: { shopId, revokedAt: null } })).toBe(0);
  });

  it("rejects a bad signature with 401 and changes nothing", async () => {
    const request = signedWebhook(url("/webhooks/app/uninstalled"), { topic: "app/uninstalled", shop: SHOP, body: { id: 1, myshopify_domain: SHOP }, secret: "not-the-secret" });
    const res = await call(uninstalled, request).catch((e: unknown) => e as Response);
    expect(res.status).toBe(401);
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(1);
    expect((await t.db.shop.findUniqueOrThrow({ where: { id: shopId } })).uninstalledAt).toBeNull();
    expect(await t.db.agentApiKey.count({ where: { shopId, revokedAt: null } })).toBe(1);
    expect(await t.db.webhookReceipt.count()).toBe(0);
  });

  it("rejects a body altered after signing", async () => {
    const signed = signedWebhook(url("/webhooks/app/uninstalled"), { topic: "app/uninstalled", shop: SHOP, body: { id: 1, myshopify_domain: SHOP }, secret: SECRET });
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ id: 2 }) });
    const res = await call(uninstalled, tampered).catch((e: unknown) => e as Response);
    expect(res.status).toBe(401);
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(1);
  });
});

describe("app/scopes_update", () => {
  it("stores the granted scopes on the shop's session", async () => {
    const body = { previous: ["read_products"], current: ["read_products", "write_orders"] };
    const res = await call(scopes, signedWebhook(url("/webhooks/app/scopes_update"), { topic: "app/scopes_update", shop: SHOP, body, secret: SECRET }));
    expect(res.status).toBe(200);
    expect((await t.db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } })).scope).toBe("read_products,write_orders");
  });
});

describe("compliance topics", () => {
  const customer = { shop_id: 1, shop_domain: SHOP, customer: { id: 7, email: "ada@example.com", phone: null }, orders_requested: [], orders_to_redact: [] };

  it("customers/data_request exports the customer's sessions, encrypted", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "customers/data_request", shop: SHOP, body: { ...customer, data_request: { id: 9 } }, secret: SECRET }));
    expect(res.status).toBe(200);
    const request = await t.db.complianceRequest.findFirstOrThrow({ where: { topic: "customers/data_request" } });
    expect(request.recordCount).toBe(1);
    expect(request.exportEnc).toBeTruthy();
    expect(request.exportEnc).not.toContain("ada@example.com");
  });

  it("customers/redact scrubs personal data from the customer's sessions, once per webhook id", async () => {
    const request = () => signedWebhook(url("/webhooks/compliance"), { topic: "customers/redact", shop: SHOP, body: customer, secret: SECRET, webhookId: "wh-redact-1" });
    expect((await call(compliance, request())).status).toBe(200);
    expect((await call(compliance, request())).status).toBe(200); // a duplicate delivery
    const session = await t.db.checkoutSession.findUniqueOrThrow({ where: { id: "cs_buyer1" } });
    expect(session.stateJson).not.toContain("ada@example.com");
    expect(session.stateJson).not.toContain("1 Main St");
    expect(JSON.parse(session.stateJson).lineItems).toEqual([{ itemId: "v1", quantity: 2 }]);
    expect(await t.db.complianceRequest.count({ where: { topic: "customers/redact" } })).toBe(1);
  });

  it("shop/redact deletes everything the app holds for the shop", async () => {
    const res = await call(compliance, signedWebhook(url("/webhooks/compliance"), { topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP }, secret: SECRET }));
    expect(res.status).toBe(200);
    expect(await t.db.shop.count({ where: { domain: SHOP } })).toBe(0);
    expect(await t.db.checkoutSession.count({ where: { shopId } })).toBe(0);
    expect(await t.db.agentApiKey.count({ where: { shopId } })).toBe(0);
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(0);
  });
});

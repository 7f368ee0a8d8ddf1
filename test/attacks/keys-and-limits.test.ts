// Issue 12, item 7: keys and limits. Each test is the attack: bypass the per-key budget by respelling `Bearer`,
// buy fresh budgets with a spoofed X-Forwarded-For or with guessed keys, drain the shop's Shopify bucket from one
// key until everyone's completes fail, hoard open sessions, read another agent's idempotent response, keep using a
// revoked key. The limits are tested through the app's own composition root (services.acp(), configured by env as
// in production) on a real SQLite file; the rest through composeAcp with the real Shopify and Stripe stand-ins.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify/index";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { createAdminClient } from "../../app/shopify/admin-client";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";
import { createShopifyBudget } from "../../app/protection/shopify-budget";
import { freshDb } from "../support/db";
import { BASE, call, harness } from "../acp/harness";
import { expectSpecError } from "../acp/assertions";

const create = { currency: "usd", capabilities: {}, line_items: [{ id: "item_123", quantity: 1 }] };

describe("limits through the composition root (env-configured, as in production)", () => {
  let database: ReturnType<typeof freshDb>;
  let services: typeof import("../../app/services.server").services;
  let key: string;

  beforeAll(async () => {
    database = freshDb();
    process.env.DATABASE_URL = database.url;
    process.env.ACP_RATE_LIMIT = "5/0.01"; // five requests per key, then nothing for 100 s
    process.env.ACP_ADDRESS_RATE_LIMIT = "3/0.01"; // three unauthenticated requests per address
    process.env.TRUSTED_PROXIES = "10.0.0.1";
    ({ services } = await import("../../app/services.server"));
    const shop = await services.db.shop.create({ data: { domain: `limits-${randomUUID().slice(0, 8)}.myshopify.com`, name: "Limits", currencyCode: "USD" } });
    ({ key } = await services.acp().keys.create(shop.id, "ChatGPT"));
  });
  afterAll(async () => {
    await database?.close();
  });

  async function get(headers: Record<string, string>, clientAddress = "203.0.113.9") {
    // An unsupported API-Version: answered (400) right after authentication and the limits, before any Shopify call.
    const response = await services.acp().handle(new Request(`${BASE}/checkout_sessions/cs_missing`, { headers: { "API-Version": "2000-01-01", ...headers } }), { clientAddress });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined, retryAfter: response.headers.get("retry-after") };
  }

  it("`Bearer`, `bearer`, `BEARER` and extra whitespace are one key with one budget", async () => {
    const spellings = [`Bearer ${key}`, `bearer ${key}`, `BEARER ${key}`, `Bearer  ${key}`, `bearer\t${key}`];
    for (const authorization of spellings) expect((await get({ Authorization: authorization })).status, authorization).toBe(400);
    const sixth = await get({ Authorization: `BeArEr   ${key}` });
    expect(sixth.status).toBe(429);
    expectSpecError(sixth.json);
    expect(sixth.json.code).toBe("rate_limited");
    expect(Number(sixth.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("a spoofed X-Forwarded-For does not buy a fresh budget; a trusted proxy's client is the right-most untrusted hop", async () => {
    const spoofed = () => ({ "X-Forwarded-For": `198.51.100.${Math.floor(Math.random() * 250) + 1}` });
    for (let i = 0; i < 3; i++) expect((await get(spoofed(), "203.0.113.20")).status).toBe(401);
    const limited = await get(spoofed(), "203.0.113.20");
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe("rate_limited");
    // Behind our proxy (10.0.0.1): whatever the client writes on the left, it is the address the proxy saw.
    const viaProxy = (claimed: string) => ({ "X-Forwarded-For": `${claimed}, 192.0.2.44` });
    for (let i = 0; i < 3; i++) expect((await get(viaProxy(`198.51.100.${i + 1}`), "10.0.0.1")).status).toBe(401);
    expect((await get(viaProxy("198.51.100.99"), "10.0.0.1")).status).toBe(429);
    expect((await get({ "X-Forwarded-For": "192.0.2.45" }, "10.0.0.1")).status).toBe(401); // another client of the proxy
    // IPv4-mapped IPv6 is the same client as its IPv4 form.
    expect((await get({}, "::ffff:203.0.113.20")).status).toBe(429);
  });

  it("guessing keys from one address is limited by the address, not given a fresh budget per guess", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get({ Authorization: `Bearer acp_sk_${randomBytes(16).toString("hex")}` }, "203.0.113.30")).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });
});

describe("keys", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({ maxOpenSessionsPerKey: 3 }); // default key cache: a revocation must still be immediate
  });
  afterAll(() => h.close());

  it("a revoked key is refused on the very next request", async () => {
    const { key, shop, keyId } = await h.addShop();
    expect((await call(h.acp.handler, "/checkout_sessions/cs_missing", { key })).status).toBe(404);
    expect(await h.acp.keys.revoke(shop.id, keyId)).toBe(true);
    const next = await call(h.acp.handler, "/checkout_sessions/cs_missing", { key });
    expect(next.status).toBe(401);
    expect(next.json.code).toBe("unauthorized");
    expect((await call(h.acp.handler, "/checkout_sessions", { key, body: create })).status).toBe(401);
  });

  it("one key holds at most the cap of open sessions (429 too_many_open_sessions); other keys and finished sessions do not count", async () => {
    const { key, shop } = await h.addShop();
    const { key: other } = await h.acp.keys.create(shop.id, "Another agent");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const made = await call(h.acp.handler, "/checkout_sessions", { key, body: create });
      expect(made.status).toBe(201);
      ids.push(made.json.id);
    }
    const fourth = await call(h.acp.handler, "/checkout_sessions", { key, body: create, idempotencyKey: "cap-4" });
    expect(fourth.status).toBe(429);
    expectSpecError(fourth.json);
    expect(fourth.json.code).toBe("too_many_open_sessions");
    expect((await call(h.acp.handler, "/checkout_sessions", { key: other, body: create })).status).toBe(201);
    expect((await call(h.acp.handler, `/checkout_sessions/${ids[0]}/cancel`, { key, body: {} })).status).toBe(200);
    // The refusal was not stored under its key: the same key and body now create the session.
    const retried = await call(h.acp.handler, "/checkout_sessions", { key, body: create, idempotencyKey: "cap-4" });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("two agent keys of one shop using the same Idempotency-Key get their own sessions, never the other's response", async () => {
    const { key, shop } = await h.addShop();
    const { key: second } = await h.acp.keys.create(shop.id, "Second agent");
    const a = await call(h.acp.handler, "/checkout_sessions", { key, body: create, idempotencyKey: "shared-key-1" });
    const b = await call(h.acp.handler, "/checkout_sessions", { key: second, body: create, idempotencyKey: "shared-key-1" });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(b.json.id).not.toBe(a.json.id);
    // Another body under the same key is the second agent's own business, not a conflict with the first's.
    const c = await call(h.acp.handler, "/checkout_sessions", { key: second, body: { ...create, line_items: [{ id: "item_123", quantity: 3 }] }, idempotencyKey: "shared-key-2" });
    const d = await call(h.acp.handler, "/checkout_sessions", { key, body: create, idempotencyKey: "shared-key-2" });
    expect(c.status).toBe(201);
    expect(d.status).toBe(201);
    // Each agent's own retry still replays its own answer.
    const again = await call(h.acp.handler, "/checkout_sessions", { key: second, body: create, idempotencyKey: "shared-key-1" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json.id).toBe(b.json.id);
  });
});

describe("the shop's Shopify budget", () => {
  let shopify: ShopifySim;
  let stripe: StripeSim;
  let h: Awaited<ReturnType<typeof harness>>;
  afterAll(async () => {
    await h?.close();
    await Promise.all([shopify?.stop(), stripe?.stop()]);
  });

  it("one key flooding creates gets 429 before the bucket is empty; another key's completes still succeed, and nobody gets a 503", async () => {
    shopify = await startShopifySim();
    shopify.setThrottle({ maximumAvailable: 1000, restoreRate: 50 });
    stripe = await startStripeSim({ port: 0 });
    const budget = createShopifyBudget();
    const admin = createAdminClient({
      shop: DEMO_SHOP_DOMAIN,
      accessToken: shopify.accessToken(DEMO_SHOP_DOMAIN),
      urlTemplate: shopify.adminUrlTemplate,
      // Throttle retries wait briefly here (not the bucket's full refill), so a drained bucket shows up as what
      // the agent sees after the retries — 503 — within the test's time, instead of as a slow test.
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
      onCost: (cost, operation) => budget.record(DEMO_SHOP_DOMAIN, cost.throttleStatus, cost.requestedQueryCost, operation, Date.now()),
      onThrottle: (operation, cost) => cost && budget.record(DEMO_SHOP_DOMAIN, cost.throttleStatus, cost.requestedQueryCost, operation, Date.now()),
    });
    const gateway = createStripeGateway({ secretKey: stripe.apiKey, apiBase: stripe.url, maxNetworkRetries: 0 });
    h = await harness({ adapters: undefined, adminFor: async () => admin, shopifyBudget: budget, gatewayFor: () => gateway, maxOpenSessionsPerKey: 100_000 });
    h.now.value = new Date();
    const { shop, key: flooder } = await h.addShop({ domain: DEMO_SHOP_DOMAIN });
    await h.db.shop.update({ where: { id: shop.id }, data: { selectionRule: "all", stripeSecretKeyEnc: "configured-in-test", stripeMode: "test" } });
    const { key: buyerAgent } = await h.acp.keys.create(shop.id, "The other agent");
    const state = shopify.shop(DEMO_SHOP_DOMAIN);
    const stocked = [...state.products.values()]
      .filter((p) => p.status === "ACTIVE")
      .flatMap((p) => p.variants)
      .filter((v) => v.inventoryItem.tracked && v.inventoryPolicy === "DENY" && v.price >= 1000 && v.price <= 20000);
    const item = `gid://shopify/ProductVariant/${stocked[0].id}`;
    shopify.setInventory(DEMO_SHOP_DOMAIN, stocked[0].id, 100_000);
    const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
    const ready = async () => {
      const res = await call(h.acp.handler, "/checkout_sessions", {
        key: buyerAgent,
        body: { currency: "usd", capabilities: {}, line_items: [{ id: item, quantity: 1 }], buyer: { first_name: "Ann", last_name: "Lee", email: "ann@example.com" }, fulfillment_details: { name: "Ann Lee", email: "ann@example.com", address } },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.json.status).toBe("ready_for_payment");
      return res.json;
    };
    const readies = [await ready(), await ready()];

    // The flood: creates from one key, four at a time, until a run of 429s (bounded, in case none ever comes).
    const statuses: number[] = [];
    let limited = 0;
    const flood = async () => {
      for (let i = 0; i < 100 && limited < 20; i++) {
        const res = await call(h.acp.handler, "/checkout_sessions", { key: flooder, body: { ...create, line_items: [{ id: item, quantity: 1 }] } });
        statuses.push(res.status);
        if (res.status === 429) {
          limited++;
          expect(res.json.code).toBe("rate_limited");
          expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        }
      }
    };
    const flooding = Promise.all([flood(), flood(), flood(), flood()]);
    // While the flood runs against the reserve, the other agent completes its checkouts.
    while (limited === 0 && statuses.length < 400) await new Promise((resolve) => setTimeout(resolve, 10));
    const completes = [];
    for (const session of readies) {
      const total = session.totals.find((t: { type: string }) => t.type === "total").amount;
      const token = stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: total }).id;
      completes.push(
        await call(h.acp.handler, `/checkout_sessions/${session.id}/complete`, {
          key: buyerAgent,
          body: { payment_data: { handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token } }, billing_address: address } },
        }),
      );
    }
    await flooding;

    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    for (const done of completes) {
      expect(done.status, done.text).toBe(200);
      expect(done.json.status).toBe("completed");
      expect(done.json.order?.id).toBeTruthy();
    }
  });
});

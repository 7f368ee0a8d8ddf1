// Attack: privacy law done wrong. A customers/redact for `z%@example.com` must not scrub zoe@example.com (SQL LIKE
// wildcards), a data request must export exactly one buyer, redaction must reach every copy of the buyer's data,
// shop/redact must leave nothing naming the shop, exports are the shop's own and expire, and Shopify's tokens are
// not stored in plaintext. Real SQLite, the real ACP handler, signed webhooks through the real route.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createClient } from "@libsql/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, harness } from "../acp/harness";
import { signedWebhook } from "../support/shopify-webhook";

const SECRET = "privacy-test-webhook-secret";
const DEMO_SHOP = "privacy-admin.myshopify.com"; // the shop "signed in" to the admin (demo mode)
process.env.SHOPIFY_API_SECRET = SECRET;
process.env.SHOPIFY_API_KEY = "privacy-test-key";
process.env.DEMO_MODE = "1";
process.env.DEMO_SHOP = DEMO_SHOP;

type Route = { action: (args: ActionFunctionArgs) => Promise<Response> };
type Loader = { loader: (args: LoaderFunctionArgs) => Promise<Response> };
let h: Awaited<ReturnType<typeof harness>>;
let compliance: Route;

beforeAll(async () => {
  h = await harness();
  process.env.DATABASE_URL = h.url; // the app's own db client (services.db) opens the same file
  compliance = await import("../../app/routes/webhooks.compliance");
});
afterAll(() => h.close());

async function webhook(topic: string, shop: string, body: Record<string, unknown>) {
  const request = signedWebhook("https://app.example/webhooks/compliance", { topic, shop, body: { shop_domain: shop, shop_id: 1, ...body }, secret: SECRET });
  const res = await compliance.action({ request, params: {}, context: {} });
  expect(res.status).toBe(200);
}

const address = (name: string, line: string, city: string) => ({ name, line_one: line, city, state: "TX", country: "US", postal_code: "78701" });

/** A checkout session with the buyer's data, created and updated through the ACP handler (so idempotency records hold it too). */
async function checkout(key: string, buyer: { email: string; first_name?: string; last_name?: string }, addr = address("Jo Doe", "1 Main St", "Austin")) {
  const created = await call(h.acp.handler, "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: "item_123" }], buyer } });
  expect(created.status).toBe(201);
  const updated = await call(h.acp.handler, `/checkout_sessions/${created.json.id}`, { key, body: { fulfillment_details: { address: addr } } });
  expect(updated.status).toBe(200);
  return updated.json as { id: string; continue_url: string };
}

const stateOf = async (id: string) => (await h.db.checkoutSession.findUniqueOrThrow({ where: { id } })).stateJson;

/** Every row of every table, as text, by table: the raw database, not what the app chooses to read. */
async function rowsAsText(): Promise<Record<string, string>> {
  if (h.provider === "postgres") return postgresRowsAsText();
  const client = createClient({ url: h.url });
  try {
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations'");
    const out: Record<string, string> = {};
    for (const row of tables.rows) {
      const name = String(row.name);
      const rows = await client.execute(`SELECT * FROM "${name}"`);
      out[name] = JSON.stringify(rows.rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    }
    return out;
  } finally {
    client.close();
  }
}

/** The same on PostgreSQL: every row of every table in the public schema, through node-postgres (not Prisma). */
async function postgresRowsAsText(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: h.url });
  await client.connect();
  try {
    const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name != '_app_migrations'`);
    const out: Record<string, string> = {};
    for (const row of tables.rows as Array<{ table_name: string }>) {
      const rows = await client.query(`SELECT * FROM "${row.table_name}"`);
      out[row.table_name] = JSON.stringify(rows.rows);
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The tables where any of the strings (or their URL-encoded form) appear, case-insensitively. */
async function tablesMentioning(...needles: string[]): Promise<string[]> {
  const forms = needles.flatMap((n) => [n, encodeURIComponent(n)]).map((n) => n.toLowerCase());
  return Object.entries(await rowsAsText())
    .filter(([, text]) => forms.some((f) => text.toLowerCase().includes(f)))
    .map(([name]) => name);
}

describe("customers/redact and customers/data_request match the buyer exactly", () => {
  it("a redact for z%@example.com / a_c@example.com leaves zoe@example.com / abc@example.com untouched", async () => {
    const { key } = await h.addShop({ domain: "privacy-like.myshopify.com" });
    const zoe = await checkout(key, { email: "zoe@example.com", first_name: "Zoe" });
    const abc = await checkout(key, { email: "abc@example.com", first_name: "Abe" });
    await webhook("customers/redact", "privacy-like.myshopify.com", { customer: { id: 9001, email: "z%@example.com", phone: null }, orders_to_redact: [] });
    await webhook("customers/redact", "privacy-like.myshopify.com", { customer: { id: 9002, email: "a_c@example.com", phone: null }, orders_to_redact: [] });
    expect(await stateOf(zoe.id)).toContain("zoe@example.com");
    expect(await stateOf(abc.id)).toContain("abc@example.com");
  });

  it("a data_request exports only the exact buyer, whatever the case of the stored email", async () => {
    const shop = "privacy-export.myshopify.com";
    const { key } = await h.addShop({ domain: shop });
    await checkout(key, { email: "abc@example.com" });
    const mine = await checkout(key, { email: "A_C@Example.com" });
    await webhook("customers/data_request", shop, { customer: { id: 9003, email: "a_c@example.com", phone: null }, orders_requested: [], data_request: { id: 1 } });
    const request = await h.db.complianceRequest.findFirstOrThrow({ where: { shopDomain: shop, topic: "customers/data_request" } });
    expect(request.recordCount).toBe(1);
    const { exportForDownload } = await import("../../app/privacy/requests.server");
    const download = await exportForDownload(h.db, shop, request.id);
    if (download.kind !== "ok") throw new Error(`export not downloadable: ${download.kind}`);
    const data = JSON.parse(download.json) as { checkoutSessions: Array<{ checkoutSessionId: string }> };
    expect(data.checkoutSessions.map((s) => s.checkoutSessionId)).toEqual([mine.id]);
    expect(download.json).not.toContain("abc@example.com");
  });

  it("redaction by Shopify customer id and by order id", async () => {
    const shop = "privacy-ids.myshopify.com";
    const { shop: row, key } = await h.addShop({ domain: shop });
    const byCustomer = await checkout(key, { email: "cust-one@example.com", first_name: "Ingrid" });
    const byOrder = await checkout(key, { email: "cust-two@example.com", first_name: "Oskar" });
    const untouched = await checkout(key, { email: "cust-three@example.com", first_name: "Petra" });
    const order = (sessionId: string, n: number, customerId: string | null) =>
      h.db.agentOrder.create({ data: { shopId: row.id, checkoutSessionId: sessionId, shopifyOrderId: `gid://shopify/Order/${n}`, orderName: `#${n}`, statusUrl: "https://x.example/s", totalMinor: 100, currency: "usd", shopifyCustomerId: customerId } });
    await order(byCustomer.id, 5001, "777");
    await order(byOrder.id, 5002, null);
    await order(untouched.id, 5003, "888");
    // The email Shopify sends may differ from the one the agent gave: the customer id still finds the order.
    await webhook("customers/redact", shop, { customer: { id: 777, email: "changed@example.com", phone: null }, orders_to_redact: [] });
    await webhook("customers/redact", shop, { customer: { id: 4444, email: "other@example.com", phone: null }, orders_to_redact: [5002] });
    expect(await stateOf(byCustomer.id)).not.toContain("cust-one@example.com");
    expect(await stateOf(byCustomer.id)).not.toContain("Ingrid");
    expect(await stateOf(byOrder.id)).not.toContain("cust-two@example.com");
    expect(await stateOf(untouched.id)).toContain("cust-three@example.com");
  });

  it("after customers/redact the buyer's email, name and address appear in no table", async () => {
    const shop = "privacy-everywhere.myshopify.com";
    const { shop: row, key } = await h.addShop({ domain: shop });
    const pii = { email: "Quentin.Marlowe@example.org", first: "Quentin", last: "Marlowe", line: "742 Evergreen Terrace", city: "Shelbyville" };
    const s = await checkout(key, { email: pii.email, first_name: pii.first, last_name: pii.last }, address(`${pii.first} ${pii.last}`, pii.line, pii.city));
    const other = await checkout(key, { email: "someone.else@example.org", first_name: "Edna" });
    const agentOrder = await h.db.agentOrder.create({ data: { shopId: row.id, checkoutSessionId: s.id, shopifyOrderId: "gid://shopify/Order/6001", orderName: "#6001", statusUrl: "https://x.example/s", totalMinor: 100, currency: "usd", shopifyCustomerId: "6060" } });
    // An order event queued for the agent carries the session as the agent saw it.
    const { enqueue } = await import("../../app/jobs/outbox.server");
    await enqueue(h.db, { shopId: row.id, type: "order_event", aggregateId: agentOrder.id, payload: { body: { buyer: { email: pii.email, first_name: pii.first }, note: `Ship to ${pii.first} ${pii.last}, ${pii.line}` } } });
    await webhook("customers/data_request", shop, { customer: { id: 6060, email: pii.email, phone: null }, orders_requested: [6001], data_request: { id: 2 } });
    expect((await tablesMentioning(pii.email)).length).toBeGreaterThan(0); // the scan sees it before

    await webhook("customers/redact", shop, { customer: { id: 6060, email: pii.email, phone: null }, orders_to_redact: [6001] });
    expect(await tablesMentioning(pii.email)).toEqual([]);
    expect(await tablesMentioning(pii.first, pii.last, pii.line, pii.city)).toEqual([]);
    // The earlier export held the same data: it is gone too.
    const exported = await h.db.complianceRequest.findFirstOrThrow({ where: { shopDomain: shop, topic: "customers/data_request" } });
    expect(exported.exportEnc).toBeNull();
    // Another buyer of the same shop is untouched, and the session still works for the agent.
    expect(await stateOf(other.id)).toContain("someone.else@example.org");
    const read = await call(h.acp.handler, `/checkout_sessions/${s.id}`, { key });
    expect(read.status).toBe(200);
  });

  it("continue_url carries no buyer email", async () => {
    const { key } = await h.addShop({ domain: "privacy-url.myshopify.com" });
    const s = await checkout(key, { email: "url.buyer@example.com" });
    expect(s.continue_url).not.toContain("url.buyer");
    expect(s.continue_url).not.toContain("email");
    expect(await stateOf(s.id)).not.toMatch(/checkout%5Bemail%5D|checkout\[email\]/);
  });
});

describe("shop/redact", () => {
  it("leaves no row mentioning the shop's domain in any table, and keeps other shops' data", async () => {
    const shop = "privacy-gone.myshopify.com";
    const { key } = await h.addShop({ domain: shop });
    const { key: otherKey } = await h.addShop({ domain: "privacy-stays.myshopify.com" });
    await checkout(key, { email: "gone.buyer@example.com" });
    await checkout(otherKey, { email: "stays.buyer@example.com" });
    await h.db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_gone" } });
    await webhook("customers/data_request", shop, { customer: { id: 1, email: "gone.buyer@example.com", phone: null }, orders_requested: [], data_request: { id: 3 } });
    await webhook("customers/redact", shop, { customer: { id: 1, email: "gone.buyer@example.com", phone: null }, orders_to_redact: [] });
    expect(await tablesMentioning(shop)).not.toEqual([]);

    await webhook("shop/redact", shop, {});
    expect(await tablesMentioning(shop)).toEqual([]);
    expect(await tablesMentioning("gone.buyer@example.com")).toEqual([]);
    expect(await tablesMentioning("privacy-stays.myshopify.com")).toContain("Shop");
    expect(await tablesMentioning("stays.buyer@example.com")).toContain("CheckoutSession");
  });
});

describe("data-request exports in the admin", () => {
  it("the signed-in shop downloads its own export; another shop's is not found; an expired one is gone", async () => {
    await h.addShop({ domain: DEMO_SHOP });
    await h.db.session.create({ data: { id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "", accessToken: "shpat_admin" } });
    const { key: otherKey } = await h.addShop({ domain: "privacy-neighbour.myshopify.com" });
    await checkout(otherKey, { email: "neighbour.buyer@example.com" });
    await webhook("customers/data_request", "privacy-neighbour.myshopify.com", { customer: { id: 2, email: "neighbour.buyer@example.com", phone: null }, orders_requested: [], data_request: { id: 4 } });
    await webhook("customers/data_request", DEMO_SHOP, { customer: { id: 3, email: "nobody@example.com", phone: null }, orders_requested: [], data_request: { id: 5 } });
    const theirs = await h.db.complianceRequest.findFirstOrThrow({ where: { shopDomain: "privacy-neighbour.myshopify.com", topic: "customers/data_request" } });
    const mine = await h.db.complianceRequest.findFirstOrThrow({ where: { shopDomain: DEMO_SHOP, topic: "customers/data_request" } });

    const route = (await import("../../app/routes/app.privacy.$id.export")) as Loader;
    const get = (id: string) => route.loader({ request: new Request(`https://app.example/app/privacy/${id}/export`), params: { id }, context: {} });

    const other = await get(theirs.id);
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain("neighbour.buyer");

    const own = await get(mine.id);
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    expect(own.headers.get("Cache-Control")).toBe("no-store");
    expect(JSON.parse(await own.text())).toMatchObject({ shop: DEMO_SHOP, request: { email: "nobody@example.com" } });

    // Thirty-one days later (the request as it would have been recorded then).
    const { onCustomerDataRequest } = await import("../../app/webhooks/lifecycle.server");
    await onCustomerDataRequest(h.db, DEMO_SHOP, "wh-old-request", { customer: { id: 4, email: "old@example.com" } }, new Date(Date.now() - 31 * 86_400_000));
    const old = await h.db.complianceRequest.findUniqueOrThrow({ where: { webhookId: "wh-old-request" } });
    expect((await get(old.id)).status).toBe(410);
    expect((await h.db.complianceRequest.findUniqueOrThrow({ where: { id: old.id } })).exportEnc).toBeNull(); // purged
    expect((await get(mine.id)).status).toBe(200); // the fresh one is still there
  });
});

describe("Shopify session tokens at rest", () => {
  it("the raw Session row holds no plaintext token; loadSession returns it; a legacy plaintext row still loads", async () => {
    const { sessionStorage } = await import("../../app/shopify.server");
    const { Session } = await import("@shopify/shopify-app-remix/server");
    const session = new Session({ id: "offline_privacy-tokens.myshopify.com", shop: "privacy-tokens.myshopify.com", state: "s", isOnline: false, scope: "read_products" });
    session.accessToken = "shpat_0123456789abcdef_secret";
    session.refreshToken = "shprt_refresh_abcdef_secret";
    expect(await sessionStorage.storeSession(session)).toBe(true);

    const raw = await rowsAsText();
    expect(raw.Session).not.toContain("shpat_0123456789abcdef_secret");
    expect(raw.Session).not.toContain("shprt_refresh_abcdef_secret");
    const loaded = await sessionStorage.loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_0123456789abcdef_secret");
    expect(loaded?.refreshToken).toBe("shprt_refresh_abcdef_secret");
    expect((await sessionStorage.findSessionsByShop("privacy-tokens.myshopify.com"))[0]?.accessToken).toBe("shpat_0123456789abcdef_secret");

    // A row copied to another session id does not decrypt there.
    const row = await h.db.session.findUniqueOrThrow({ where: { id: session.id } });
    await h.db.session.create({ data: { ...row, id: "offline_thief.myshopify.com", shop: "thief.myshopify.com" } });
    await expect(sessionStorage.loadSession("offline_thief.myshopify.com")).rejects.toThrow();

    // Written by an earlier release: plaintext. It loads, and is sealed on the way.
    await h.db.session.create({ data: { id: "offline_privacy-legacy.myshopify.com", shop: "privacy-legacy.myshopify.com", state: "", accessToken: "shpat_legacy_plaintext" } });
    expect((await sessionStorage.loadSession("offline_privacy-legacy.myshopify.com"))?.accessToken).toBe("shpat_legacy_plaintext");
    expect((await h.db.session.findUniqueOrThrow({ where: { id: "offline_privacy-legacy.myshopify.com" } })).accessToken).not.toContain("shpat_legacy_plaintext");
  });
});

// The catalog end to end against the Shopify simulator and a real SQLite database: full sync by bulk
// operation, served feeds, selection, signed webhooks through the routes, and the Feed API push.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { randomUUID } from "node:crypto";
import { freshDb } from "../support/db";
import { signedWebhook } from "../support/shopify-webhook";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify/index";
import { startFeedApiSim, feedSchemaValidator, type FeedApiSim } from "../../sim/agent/feed-api";
import type { FlatFeedRow } from "../../app/catalog/feed-item";
import { feedRowViolations } from "../../app/catalog/feed-rules";
import type { Problem } from "../../app/catalog/problems";

const SECRET = "catalog-webhook-secret";
const SHOP = DEMO_SHOP_DOMAIN;
const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = SECRET;
process.env.SHOPIFY_API_KEY = "catalog-test-key";
process.env.OUTBOUND_ALLOW_PRIVATE = "1"; // stand-ins on 127.0.0.1 (docs/decisions/0115)

type Route = { action: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response> };
type Mods = {
  service: typeof import("../../app/catalog/service.server");
  serve: typeof import("../../app/catalog/feed-serve.server");
  token: typeof import("../../app/catalog/feed-token.server");
  selections: typeof import("../../app/db/product-selections.server");
  admin: typeof import("../../app/shopify/admin-client");
  routes: Record<string, Route>;
};
let m: Mods;
let sim: ShopifySim;
let bridge: Server;
let bridgeUrl = "";

/** Shopify's webhook deliveries → the app's webhook routes, as the Remix server would dispatch them. */
function startBridge(): Promise<void> {
  bridge = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = m.routes[req.url ?? ""];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`https://app.example${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) });
    const response = await route.action({ request, params: {}, context: {} }).catch((e: unknown) => e as Response);
    res.writeHead(response.status).end();
  });
  return new Promise((r) => bridge.listen(0, "127.0.0.1", () => {
    bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
    r();
  }));
}

function subscribe() {
  sim.setWebhooks({
    secret: SECRET,
    subscriptions: [
      { topic: "products/create", uri: `${bridgeUrl}/webhooks/products` },
      { topic: "products/update", uri: `${bridgeUrl}/webhooks/products` },
      { topic: "products/delete", uri: `${bridgeUrl}/webhooks/products` },
      { topic: "inventory_levels/update", uri: `${bridgeUrl}/webhooks/inventory` },
      { topic: "bulk_operations/finish", uri: `${bridgeUrl}/webhooks/bulk_operations/finish` },
    ],
  });
}

async function shopRow() {
  return t.db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
}
async function ctx() {
  const shop = await shopRow();
  return { db: t.db, shop, admin: m.admin.createAdminClient({ shop: SHOP, accessToken: sim.accessToken(SHOP), urlTemplate: sim.adminUrlTemplate }) };
}
async function feed(file: "products.jsonl.gz" | "products.csv.gz", headers: Record<string, string> = {}): Promise<Response> {
  const shop = await shopRow();
  const token = await m.token.feedTokenFor(t.db, shop);
  return m.serve.serveFeedFile(t.db, token, file, new Request(`https://app.example/feeds/${token}/${file}`, { headers }));
}
async function feedRows(): Promise<FlatFeedRow[]> {
  const res = await feed("products.jsonl.gz");
  const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as FlatFeedRow);
}
async function settle() {
  await sim.waitForWebhookDeliveries();
  await m.service.catalogBackgroundWork();
}
const variantsOf = async (productTitle: string) =>
  t.db.catalogItem.findMany({ where: { productTitle, deletedAt: null }, orderBy: { position: "asc" } });
const problemCodes = (rows: Array<{ problemsJson: string }>) => [...new Set(rows.flatMap((r) => (JSON.parse(r.problemsJson) as Problem[]).map((p) => p.code)))].sort();

beforeAll(async () => {
  sim = await startShopifySim();
  process.env.SHOPIFY_ADMIN_URL_TEMPLATE = sim.adminUrlTemplate;
  m = {
    service: await import("../../app/catalog/service.server"),
    serve: await import("../../app/catalog/feed-serve.server"),
    token: await import("../../app/catalog/feed-token.server"),
    selections: await import("../../app/db/product-selections.server"),
    admin: await import("../../app/shopify/admin-client"),
    routes: {
      "/webhooks/products": (await import("../../app/routes/webhooks.products")) as unknown as Route,
      "/webhooks/inventory": (await import("../../app/routes/webhooks.inventory")) as unknown as Route,
      "/webhooks/bulk_operations/finish": (await import("../../app/routes/webhooks.bulk_operations.finish")) as unknown as Route,
    },
  };
  await startBridge();
  subscribe();
  const { recordShop } = await import("../../app/shop/install.server");
  const c = await ctx().catch(() => null);
  const admin = c?.admin ?? m.admin.createAdminClient({ shop: SHOP, accessToken: sim.accessToken(SHOP), urlTemplate: sim.adminUrlTemplate });
  await recordShop(t.db, admin);
  await t.db.shop.update({ where: { domain: SHOP }, data: { selectionRule: "all" } });
  await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: sim.accessToken(SHOP), scope: "read_products,read_inventory" } });
  await m.service.startFullSync(await ctx(), { wait: true });
  await settle();
});
afterAll(async () => {
  await settle();
  await sim.stop();
  await new Promise((r) => bridge.close(r));
  await t.close();
});

describe("full sync from a bulk operation", () => {
  it("stores one row per variant of every product", async () => {
    const shopVariants = sim.listShops().find((s) => s.domain === SHOP)!.variants;
    expect(await t.db.catalogItem.count({ where: { deletedAt: null } })).toBe(shopVariants);
    const run = await t.db.feedRun.findFirstOrThrow({ where: { kind: "full_sync" } });
    expect(run).toMatchObject({ status: "succeeded", itemsDone: shopVariants });
  });

  it("shows every seeded product with missing data with its precise problems", async () => {
    expect(problemCodes(await variantsOf("Trucker Cap"))).toEqual(expect.arrayContaining(["missing_brand", "missing_description"]));
    expect(problemCodes(await variantsOf("Camp Slippers"))).toEqual(expect.arrayContaining(["missing_category", "missing_image"]));
    expect(problemCodes(await variantsOf("Approach Shoe"))).toEqual(["missing_gtin"]);
    const pack = await variantsOf("Backpacking Pack 55L");
    expect(problemCodes([pack[0]])).toContain("invalid_gtin");
    expect(problemCodes([pack[1]])).not.toContain("invalid_gtin");
    expect(problemCodes(await variantsOf("Compass"))).toEqual(expect.arrayContaining(["missing_brand", "missing_gtin"]));
    expect(problemCodes(await variantsOf("Trail Map Bundle"))).toEqual(expect.arrayContaining(["missing_description", "missing_gtin", "missing_image"]));
    expect(problemCodes(await variantsOf("Expedition Parka"))).toContain("description_truncated");
    for (const title of ["Trucker Cap", "Camp Slippers", "Trail Map Bundle"]) {
      expect((await variantsOf(title)).every((r) => r.feedStatus === "needs_attention")).toBe(true);
    }
    for (const title of ["Prototype Bivy Sack", "Retired Logo Fleece"]) {
      expect((await variantsOf(title)).every((r) => r.feedStatus === "excluded")).toBe(true);
    }
    expect((await variantsOf("Storm Shell Pro Jacket"))[0].availability).toBe("backorder");
  });
});

describe("served feeds", () => {
  it("every row of jsonl.gz and csv.gz passes the feed rules, and only eligible variants are in it", async () => {
    const rows = await feedRows();
    expect(rows.length).toBe(await t.db.catalogItem.count({ where: { eligible: true, deletedAt: null } }));
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) expect(feedRowViolations(row), row.item_id).toEqual([]);
    expect(new Set(rows.map((r) => r.item_id)).size).toBe(rows.length);
    const gift = rows.find((r) => r.title.startsWith("Demo Outfitters Gift Card"));
    expect(gift?.is_digital).toBe(true);
    const csv = gunzipSync(Buffer.from(await (await feed("products.csv.gz")).arrayBuffer())).toString("utf8");
    expect(csv.startsWith("is_eligible_search,is_eligible_checkout,item_id,")).toBe(true);
  });

  it("answers 304 to a matching If-None-Match and 404 to an unknown or rotated token", async () => {
    const first = await feed("products.jsonl.gz");
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("last-modified")).toBeTruthy();
    await first.arrayBuffer();
    expect((await feed("products.jsonl.gz", { "If-None-Match": etag })).status).toBe(304);
    expect((await m.serve.serveFeedFile(t.db, "f_" + "x".repeat(32), "products.jsonl.gz", new Request("https://app.example/"))).status).toBe(404);
    const shop = await shopRow();
    const old = await m.token.feedTokenFor(t.db, shop);
    await m.token.rotateFeedToken(t.db, shop.id);
    expect((await m.serve.serveFeedFile(t.db, old, "products.jsonl.gz", new Request("https://app.example/"))).status).toBe(404);
    expect((await feed("products.jsonl.gz")).status).toBe(200);
  });
});

describe("selection", () => {
  it("turning a product off removes it from the feed; on adds it back", async () => {
    const [tee] = await variantsOf("Organic Cotton Logo Tee");
    const ids = async () => new Set((await feedRows()).map((r) => r.group_id));
    expect((await ids()).has(tee.productId)).toBe(true);
    const c = await ctx();
    const { sync } = m.service.catalogFor(c);
    await new m.selections.ProductSelectionRepository(t.db, c.shop.id).set([tee.productId], false);
    await sync.applySelection([tee.productId]);
    expect((await ids()).has(tee.productId)).toBe(false);
    expect((await variantsOf("Organic Cotton Logo Tee")).every((r) => r.feedStatus === "excluded")).toBe(true);
    await new m.selections.ProductSelectionRepository(t.db, c.shop.id).set([tee.productId], true);
    await sync.applySelection([tee.productId]);
    expect((await ids()).has(tee.productId)).toBe(true);
  });
});

describe("webhooks from the simulator", () => {
  it("a price change shows in the feed after products/update", async () => {
    const [row] = await variantsOf("Titanium Mug 450ml");
    sim.setVariantPrice(SHOP, row.variantId, "41.50");
    await settle();
    const fresh = (await feedRows()).find((r) => r.item_id === row.variantId)!;
    expect(fresh.price).toBe("41.50 USD");
  });

  it("a stock change shows in the feed after inventory_levels/update", async () => {
    const [row] = await variantsOf("Rechargeable Headlamp");
    sim.setInventory(SHOP, row.variantId, 0);
    await settle();
    let fresh = (await feedRows()).find((r) => r.item_id === row.variantId)!;
    expect(fresh).toMatchObject({ availability: "out_of_stock", inventory_quantity: 0 });
    sim.setInventory(SHOP, row.variantId, 7);
    await settle();
    fresh = (await feedRows()).find((r) => r.item_id === row.variantId)!;
    expect(fresh.availability).toBe("in_stock");
  });

  it("a deleted product leaves the feed", async () => {
    const [row] = await variantsOf("First Aid Kit");
    expect((await feedRows()).some((r) => r.group_id === row.productId)).toBe(true);
    sim.deleteProduct(SHOP, row.productId);
    await settle();
    expect((await feedRows()).some((r) => r.group_id === row.productId)).toBe(false);
    expect(await t.db.catalogItem.count({ where: { productId: row.productId, deletedAt: null } })).toBe(0);
  });

  it("a new product enters the feed after products/create", async () => {
    const p = sim.createProduct(SHOP, { title: "Camp Chair", vendor: "Campfire Goods", price: "59.00", stock: 4, images: 1, descriptionHtml: "<p>Folds flat.</p>" });
    await settle();
    const rows = await t.db.catalogItem.findMany({ where: { productId: `gid://shopify/Product/${p.id}` } });
    expect(rows).toHaveLength(1);
  });

  it("hostile product data from Shopify becomes problems, never a crash or a broken row", async () => {
    const html = `<script>alert("x")</script>${"<p>Wärme 🧥, \"quoted\", <b>bold</b> &amp; more</p>".repeat(260)}<style>p{}</style>`;
    expect(html.length).toBeGreaterThan(10_000);
    const p = sim.createProduct(SHOP, {
      title: "🔥 HOSTILE <i>PARKA</i>, \"TEST\"",
      vendor: "",
      descriptionHtml: html,
      price: "0.00",
      images: 0,
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [{ sku: "DUP-1", barcode: "123" }, { sku: "DUP-1", price: "10.00" }],
    });
    await settle();
    const rows = await t.db.catalogItem.findMany({ where: { productId: `gid://shopify/Product/${p.id}` }, orderBy: { position: "asc" } });
    expect(rows).toHaveLength(2);
    expect(problemCodes([rows[0]])).toEqual(expect.arrayContaining(["description_truncated", "duplicate_sku", "invalid_gtin", "missing_brand", "missing_image", "price_not_positive", "title_all_caps"]));
    expect(problemCodes([rows[1]])).not.toContain("price_not_positive");
    expect(rows.every((r) => r.feedStatus === "needs_attention")).toBe(true);
    const fields = JSON.parse(rows[0].feedItemJson) as { description: string; title: string };
    expect(fields.description).not.toMatch(/<script|alert|<p>/);
    expect(fields.title).toBe('🔥 HOSTILE PARKA, "TEST" - S');
    for (const row of await feedRows()) expect(feedRowViolations(row)).toEqual([]);
  });

  it("a webhook with a bad HMAC gets 401 and changes nothing", async () => {
    const [row] = await variantsOf("Spork");
    const before = await t.db.catalogItem.findUniqueOrThrow({ where: { id: row.id } });
    const receipts = await t.db.webhookReceipt.count();
    const body = { id: Number(row.productId.split("/").pop()), admin_graphql_api_id: row.productId };
    const res = await m.routes["/webhooks/products"]
      .action({ request: signedWebhook("https://app.example/webhooks/products", { topic: "products/delete", shop: SHOP, body, secret: "wrong" }), params: {}, context: {} })
      .catch((e: unknown) => e as Response);
    expect(res.status).toBe(401);
    expect(await t.db.catalogItem.findUniqueOrThrow({ where: { id: row.id } })).toEqual(before);
    expect(await t.db.webhookReceipt.count()).toBe(receipts);
  });

  it("a duplicate webhook id is applied once", async () => {
    const [row] = await variantsOf("Liner Socks");
    const body = { id: Number(row.productId.split("/").pop()), admin_graphql_api_id: row.productId };
    const webhookId = randomUUID();
    const send = () =>
      m.routes["/webhooks/products"].action({ request: signedWebhook("https://app.example/webhooks/products", { topic: "products/update", shop: SHOP, body, secret: SECRET, webhookId }), params: {}, context: {} });
    const reads = () => sim.callCounts(SHOP).CatalogProductsById ?? 0;
    const before = reads();
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect(reads() - before).toBe(1);
  });

  it("the periodic reconcile catches a change whose webhook never arrived", async () => {
    const [row] = await variantsOf("Backpacking Stove");
    sim.setWebhooks(null);
    try {
      sim.setVariantPrice(SHOP, row.variantId, "71.25");
      await settle();
      expect((await feedRows()).find((r) => r.item_id === row.variantId)!.price).toBe("69.00 USD");
      const result = await m.service.reconcileCatalog(await ctx());
      expect(result?.products).toBeGreaterThan(0);
      expect((await feedRows()).find((r) => r.item_id === row.variantId)!.price).toBe("71.25 USD");
    } finally {
      subscribe();
    }
  });

  it("bulk_operations/finish imports a sync started without waiting", async () => {
    const c = await ctx();
    const { sync, runs } = m.service.catalogFor(c);
    const { runId } = await sync.startFullSync();
    await sim.waitForBulkOperations();
    await settle();
    const run = (await runs.recent("full_sync")).find((r) => r.id === runId)!;
    expect(run.status).toBe("succeeded");
  });
});

describe("ACP Feed API push", () => {
  let agent: FeedApiSim;
  beforeEach(async () => {
    agent = await startFeedApiSim({ apiKey: "agent-key" });
    const { encryptSecret } = await import("../../app/security/secrets.server");
    const { id } = await t.db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    await t.db.shop.update({ where: { domain: SHOP }, data: { feedPushUrl: agent.url, feedPushKeyEnc: encryptSecret("agent-key", { table: "Shop", column: "feedPushKeyEnc", row: id }), feedPushFeedId: null } });
    await t.db.catalogItem.updateMany({ data: { pushedHash: null } });
  });
  afterAll(async () => {
    await t.db.shop.update({ where: { domain: SHOP }, data: { feedPushUrl: null, feedPushKeyEnc: null, feedPushFeedId: null } });
  });

  it("creates the feed, upserts every eligible product in batches with API-Version and Idempotency-Key, then only changes", async () => {
    const c = await ctx();
    const first = await m.service.catalogFor(c).push();
    expect(first).toMatchObject({ outcome: "PUSHED" });
    const feedId = (await shopRow()).feedPushFeedId!;
    const stored = agent.feeds.get(feedId)!;
    const eligibleProducts = (await t.db.catalogItem.groupBy({ by: ["productId"], where: { eligible: true, deletedAt: null } })).length;
    expect(stored.products.size).toBeGreaterThanOrEqual(eligibleProducts);
    const validate = feedSchemaValidator("Product");
    for (const p of stored.products.values()) expect(validate(p), JSON.stringify(validate.errors)).toBe(true);
    expect(agent.requests.every((r) => r.apiVersion === "2026-04-17")).toBe(true);
    expect(agent.requests.filter((r) => r.method !== "GET").every((r) => r.idempotencyKey)).toBe(true);

    // A price change pushes just that product.
    const [row] = await variantsOf("Enamel Camp Mug");
    agent.requests.length = 0;
    sim.setVariantPrice(SHOP, row.variantId, "19.00");
    await settle();
    const patches = agent.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.products)).toEqual([1]);
    const variant = stored.products.get(row.productId)!.variants as Array<{ id: string; price: { amount: number } }>;
    expect(variant.find((v) => v.id === row.variantId)!.price.amount).toBe(1900);
  });

  it("retries with backoff when the endpoint fails, reusing the same Idempotency-Key", async () => {
    agent.failNext(2, 503);
    const c = await ctx();
    const outcome = await m.service.catalogFor({ ...c, sleep: async () => undefined }).push();
    expect(outcome).toMatchObject({ outcome: "PUSHED" });
    const posts = agent.requests.filter((r) => r.method === "POST");
    expect(posts.length).toBe(3);
    expect(new Set(posts.map((r) => r.idempotencyKey)).size).toBe(1);
    const history = await t.db.feedRun.findFirstOrThrow({ where: { kind: "push" }, orderBy: { startedAt: "desc" } });
    expect(history.status).toBe("succeeded");
  });
});

describe("admin pages", () => {
  const pageUrl = (q: string) => new URL(`https://app.example/app/products?${q}`);
  it("lists products with filters by status, problem, vendor, tag, collection and search, paged", async () => {
    const { productsPageData } = await import("../../app/catalog/products-page.server");
    const c = await ctx();
    const all = await productsPageData(t.db, c.shop, c.admin, pageUrl(""));
    expect(all.total).toBe(all.counts.all);
    expect(all.products.length).toBe(Math.min(50, all.total));
    const attention = await productsPageData(t.db, c.shop, c.admin, pageUrl("status=needs_attention"));
    expect(attention.products.length).toBeGreaterThan(0);
    expect(attention.products.every((p) => p.feedStatus === "needs_attention" && p.problems.some((x) => x.severity === "error"))).toBe(true);
    const noImage = await productsPageData(t.db, c.shop, c.admin, pageUrl("problem=missing_image"));
    expect(noImage.products.map((p) => p.title)).toEqual(expect.arrayContaining(["Camp Slippers", "Camp Pillow"]));
    expect(noImage.problemOptions.find((o) => o.code === "missing_image")?.label).toBe("The product has no image.");
    const vendor = await productsPageData(t.db, c.shop, c.admin, pageUrl("vendor=Woolpack"));
    expect(vendor.products.length).toBeGreaterThan(0);
    expect(vendor.products.every((p) => p.vendor === "Woolpack")).toBe(true);
    const tag = await productsPageData(t.db, c.shop, c.admin, pageUrl("tag=rain"));
    expect(tag.products.map((p) => p.title)).toEqual(expect.arrayContaining(["Summit Rain Jacket", "Rain Pants"]));
    const footwear = all.collections.find((x) => x.title === "Footwear")!;
    const coll = await productsPageData(t.db, c.shop, c.admin, pageUrl(`collection=${encodeURIComponent(footwear.id)}`));
    expect(coll.products.map((p) => p.title)).toContain("Ridge Hiking Boot");
    const search = await productsPageData(t.db, c.shop, c.admin, pageUrl("q=mug"));
    expect(search.products.every((p) => /mug/i.test(p.title))).toBe(true);
    const page2 = await productsPageData(t.db, c.shop, c.admin, pageUrl("page=1"));
    expect(page2.products[0]?.productId).not.toBe(all.products[0].productId);
    const boot = all.products.find((p) => p.title === "Ridge Hiking Boot") ?? coll.products.find((p) => p.title === "Ridge Hiking Boot")!;
    expect(boot.priceRange).toBe("189.00 USD");
    expect(boot.variantCount).toBe(5);
  });

  it("bulk exclude and include from the page, and the shop rule by tag", async () => {
    const { productsPageData, productsPageAction } = await import("../../app/catalog/products-page.server");
    const c = await ctx();
    const mugs = (await productsPageData(t.db, c.shop, c.admin, pageUrl("q=mug"))).products.map((p) => p.productId);
    const form = new FormData();
    form.set("intent", "exclude");
    for (const id of mugs) form.append("productId", id);
    expect(await productsPageAction(t.db, c.shop, c.admin, form)).toMatchObject({ ok: true });
    const after = await productsPageData(t.db, c.shop, c.admin, pageUrl("q=mug"));
    expect(after.products.every((p) => p.feedStatus === "excluded")).toBe(true);
    form.set("intent", "reset");
    await productsPageAction(t.db, c.shop, c.admin, form);

    const rule = new FormData();
    rule.set("intent", "rule");
    rule.set("selectionRule", "tag");
    rule.set("selectionValue", "waterproof");
    expect(await productsPageAction(t.db, c.shop, c.admin, rule)).toMatchObject({ ok: true });
    const groups = new Set((await feedRows()).map((r) => r.group_id));
    const waterproof = await t.db.catalogItem.findMany({ where: { tagsJson: { contains: '"waterproof"' }, deletedAt: null, problemCodes: { not: { contains: "missing_image" } } } });
    expect(waterproof.length).toBeGreaterThan(0);
    for (const w of waterproof) if (w.feedStatus === "eligible") expect(groups.has(w.productId)).toBe(true);
    expect(groups.size).toBeLessThan(10);
    rule.set("selectionRule", "all");
    await productsPageAction(t.db, c.shop, c.admin, rule);
    expect((await feedRows()).length).toBeGreaterThan(50);
  });

  it("feed settings: validation, save, and settings problems keep the feed empty rather than broken", async () => {
    const { feedPageAction, feedPageData } = await import("../../app/catalog/feed-page.server");
    const c = await ctx();
    const bad = new FormData();
    bad.set("intent", "settings");
    bad.set("sellerUrl", "not a url");
    bad.set("targetCountries", "USA");
    const res = await feedPageAction(t.db, c.shop, c.admin, bad);
    expect(res.ok).toBe(false);
    expect(Object.keys(res.errors ?? {})).toEqual(expect.arrayContaining(["sellerUrl", "targetCountries"]));
    const data = await feedPageData(t.db, (await ctx()).shop, "https://app.example");
    expect(data.feedUrls.map((f) => f.url)).toEqual([expect.stringMatching(/^https:\/\/app\.example\/feeds\/f_.+\/products\.jsonl\.gz$/), expect.stringMatching(/products\.csv\.gz$/)]);
    expect(data.settings.returnPolicyUrl).toMatch(/^https:\/\//);

    // A return policy link the feed cannot use: the feed goes empty and the page says why.
    await t.db.shop.update({ where: { domain: SHOP }, data: { feedSettingsJson: JSON.stringify({ returnPolicyUrl: "ftp://nope" }) } });
    expect(await feedRows()).toEqual([]);
    expect((await feedPageData(t.db, (await ctx()).shop, "https://app.example")).problems.map((p) => p.code)).toContain("invalid_return_policy");
    const good = new FormData();
    good.set("intent", "settings");
    good.set("targetCountries", "US, CA");
    good.set("enableCheckout", "true");
    expect(await feedPageAction(t.db, (await ctx()).shop, c.admin, good)).toMatchObject({ ok: true });
    const rows = await feedRows();
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0].target_countries).toEqual(["US", "CA"]);
  });
});

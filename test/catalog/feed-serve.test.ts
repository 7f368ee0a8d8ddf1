// The served feed is a prepared gzip file per version (docs/decisions/0170): built once, answered from memory or
// with a 304, and rebuilt when a price changes or a product is opted out — through the real sync against the
// Shopify simulator, on SQLite and (TEST_DATABASE=postgres) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gunzipSync } from "node:zlib";
import { freshDb } from "../support/db";
import { SHOP, syncedDemoShop } from "./synced-shop";

const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = "feed-serve-secret";
process.env.SHOPIFY_API_KEY = "feed-serve-key";

let world: Awaited<ReturnType<typeof syncedDemoShop>>;
let m: {
  token: typeof import("../../app/catalog/feed-token.server");
  selections: typeof import("../../app/db/product-selections.server");
  catalog: typeof import("../../app/db/catalog.server");
};

const shopRow = () => world.shopRow();
const ctx = () => world.ctx();
const get = (headers: Record<string, string> = {}, file = "products.jsonl.gz", token?: string) => world.feed(headers, file, token);
const rowsOf = (res: Response) => world.rowsOf(res);
/** How many times the feed rows were read out of the database (one per file built). */
let builds: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  world = await syncedDemoShop(t.db);
  m = {
    token: await import("../../app/catalog/feed-token.server"),
    selections: await import("../../app/db/product-selections.server"),
    catalog: await import("../../app/db/catalog.server"),
  };
  builds = vi.spyOn(m.catalog.CatalogRepository.prototype, "eligibleFeedFields");
});
afterAll(async () => {
  await world.stop();
  await t.close();
});

describe("the prepared feed file", () => {
  it("is built once per version: the same bytes again without reading the rows, a 304 for its ETag", async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get("content-length")).toBe(String(bytes.length));
    expect(first.headers.get("content-type")).toBe("application/gzip");
    expect(first.headers.get("content-encoding")).toBeNull(); // the body is the .gz file, not an encoding of it
    const rows = gunzipSync(bytes).toString("utf8").split("\n").filter(Boolean);
    expect(rows.length).toBe(await t.db.catalogItem.count({ where: { eligible: true, deletedAt: null } }));
    const built = builds.mock.calls.length;

    const again = await get({ "Accept-Encoding": "gzip" });
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    const notModified = await get({ "If-None-Match": first.headers.get("etag")! });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    expect(builds.mock.calls.length).toBe(built);

    // The CSV is its own file of the same version.
    const csv = await get({}, "products.csv.gz");
    expect(gunzipSync(Buffer.from(await csv.arrayBuffer())).toString("utf8")).toMatch(/^is_eligible_search,/);
    expect(csv.headers.get("etag")).not.toBe(first.headers.get("etag"));
  });

  it("a price change is in the next response: a new ETag, the old one no longer 304", async () => {
    const before = await get();
    const etag = before.headers.get("etag")!;
    await before.arrayBuffer();
    const [row] = await t.db.catalogItem.findMany({ where: { productTitle: "Titanium Mug 450ml", deletedAt: null, eligible: true } });
    world.sim.setVariantPrice(SHOP, row.variantId, "43.25");
    await world.service.catalogFor(await ctx()).sync.applyProductChanges([row.productId], false);

    const stale = await get({ "If-None-Match": etag });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("etag")).not.toBe(etag);
    expect((await rowsOf(stale)).find((r) => r.item_id === row.variantId)?.price).toBe("43.25 USD");
  });

  it("an opted-out product leaves the served file, and comes back when opted in", async () => {
    const [tee] = await t.db.catalogItem.findMany({ where: { productTitle: "Organic Cotton Logo Tee", deletedAt: null } });
    const groups = async () => new Set((await rowsOf(await get())).map((r) => r.group_id));
    expect((await groups()).has(tee.productId)).toBe(true);
    const c = await ctx();
    const selections = new m.selections.ProductSelectionRepository(t.db, c.shop.id);
    await selections.set([tee.productId], false);
    await world.service.catalogFor(c).sync.applySelection([tee.productId]);
    expect((await groups()).has(tee.productId)).toBe(false);
    await selections.set([tee.productId], true);
    await world.service.catalogFor(c).sync.applySelection([tee.productId]);
    expect((await groups()).has(tee.productId)).toBe(true);
  });

  it("a settings change rebuilds the file; a rotated token is refused at once; an uninstalled shop gets 404", async () => {
    const before = await get();
    await before.arrayBuffer();
    const shop = await shopRow();
    const settings = JSON.parse(shop.feedSettingsJson || "{}") as Record<string, unknown>;
    await t.db.shop.update({ where: { id: shop.id }, data: { feedSettingsJson: JSON.stringify({ ...settings, returnDeadlineDays: 17 }) } });
    const after = await get();
    await after.arrayBuffer();
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect((await rowsOf(await get())).every((r) => r.return_deadline_in_days === 17)).toBe(true);

    const old = await m.token.feedTokenFor(t.db, await shopRow());
    expect((await get({}, "products.jsonl.gz", old)).status).toBe(200);
    await m.token.rotateFeedToken(t.db, shop.id);
    expect((await get({}, "products.jsonl.gz", old)).status).toBe(404);
    expect((await get({}, "products.jsonl.gz", "f_" + "x".repeat(32))).status).toBe(404);
    for (const file of ["nope.gz", "__proto__", "constructor"]) expect((await get({}, file)).status).toBe(404);
    await t.db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect((await get()).status).toBe(404);
    await t.db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: null } });
  });
});

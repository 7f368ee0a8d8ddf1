// Issue 16: the merchant excludes one variant of a selected product (VariantExclusion). The rule, the form's ids,
// and through the real sync against the Shopify simulator: the variant leaves the served feed file and agent
// discovery (MCP) while its sibling stays, survives a re-read from Shopify, and comes back on include.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { syncedDemoShop } from "./synced-shop";
import { isVariantSelected, MAX_PRODUCTS_PER_CHANGE, parseVariantChange } from "../../app/catalog/selection";

const vgid = (n: number) => `gid://shopify/ProductVariant/${n}`;

describe("the variant rule", () => {
  it("a variant goes out only when its product is selected and the variant is not excluded", () => {
    expect(isVariantSelected(true, false)).toBe(true);
    expect(isVariantSelected(true, true)).toBe(false);
    expect(isVariantSelected(false, false)).toBe(false); // including a variant never selects its product
    expect(isVariantSelected(false, true)).toBe(false);
  });

  it("reads exclude/include over Shopify variant ids, each once; refuses anything else", () => {
    expect(parseVariantChange("exclude_variant", [vgid(1), ` ${vgid(2)} `, vgid(1)])).toEqual({ ok: true, intent: "exclude_variant", excluded: true, variantIds: [vgid(1), vgid(2)] });
    expect(parseVariantChange("include_variant", [vgid(3)])).toMatchObject({ ok: true, excluded: false });
    expect(parseVariantChange("exclude", [vgid(1)])).toEqual({ ok: false, message: "Unknown action." });
    expect(parseVariantChange("exclude_variant", [])).toEqual({ ok: false, message: "Choose at least one variant." });
    const many = Array.from({ length: MAX_PRODUCTS_PER_CHANGE + 1 }, (_, i) => vgid(i + 1));
    expect(parseVariantChange("exclude_variant", many)).toMatchObject({ ok: false, message: expect.stringContaining(`at most ${MAX_PRODUCTS_PER_CHANGE}`) });
    expect(parseVariantChange("exclude_variant", many.slice(1))).toMatchObject({ ok: true });
    for (const bad of ["gid://shopify/Product/1", "gid://shopify/ProductVariant/0", "gid://shopify/ProductVariant/1 OR 1=1", "1"]) {
      expect(parseVariantChange("exclude_variant", [bad]), bad).toEqual({ ok: false, message: "One of the chosen variants is not a Shopify variant." });
    }
  });
});

const t = freshDb();
process.env.DATABASE_URL = t.url;
process.env.SHOPIFY_API_SECRET = "variant-exclusion-secret";
process.env.SHOPIFY_API_KEY = "variant-exclusion-key";

let world: Awaited<ReturnType<typeof syncedDemoShop>>;
let m: {
  page: typeof import("../../app/catalog/products-page.server");
  mcp: typeof import("../../app/mcp/product-catalog.server");
};

const shopRow = () => world.shopRow();
const adminClient = () => world.admin();
async function feedItemIds(): Promise<Set<string>> {
  return new Set((await world.rowsOf(await world.feed())).map((r) => r.item_id));
}
function variantForm(intent: string, ...ids: string[]) {
  const f = new FormData();
  f.set("intent", intent);
  for (const id of ids) f.append("variantId", id);
  return f;
}

beforeAll(async () => {
  world = await syncedDemoShop(t.db);
  m = {
    page: await import("../../app/catalog/products-page.server"),
    mcp: await import("../../app/mcp/product-catalog.server"),
  };
});
afterAll(async () => {
  await world.stop();
  await t.close();
});

describe("an excluded variant (products page action, real sync)", () => {
  it("leaves the feed file and discovery while its sibling stays; a re-read from Shopify keeps it out; include brings it back", async () => {
    const rows = await t.db.catalogItem.findMany({ where: { productTitle: "Organic Cotton Logo Tee", deletedAt: null, eligible: true }, orderBy: { position: "asc" } });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const [excluded, sibling] = rows;
    const shop = await shopRow();
    const before = await feedItemIds();
    expect(before.has(excluded.variantId) && before.has(sibling.variantId)).toBe(true);

    const res = await m.page.productsPageAction(t.db, shop, adminClient(), variantForm("exclude_variant", excluded.variantId, vgid(404)));
    expect(res).toMatchObject({ ok: true, message: expect.stringContaining("is excluded") });
    const after = await feedItemIds();
    expect(after.has(excluded.variantId)).toBe(false);
    expect(after.has(sibling.variantId)).toBe(true);
    expect(after.size).toBe(before.size - 1);
    expect(await t.db.variantExclusion.findMany({ select: { shopId: true, productId: true, variantId: true } })).toEqual([{ shopId: shop.id, productId: excluded.productId, variantId: excluded.variantId }]);

    // The products page: the variant says the merchant excluded it; the product stays selected and, its other
    // variants all eligible, "eligible" (an excluded variant is not a problem to fix).
    const pageData = await m.page.productsPageData(t.db, shop, adminClient(), new URL("https://app.example/app/products?q=Organic%20Cotton%20Logo%20Tee"));
    const listed = pageData.products.find((p) => p.productId === excluded.productId)!;
    expect(listed).toMatchObject({ selected: true, feedStatus: "eligible" });
    expect(listed.variants.find((v) => v.variantId === excluded.variantId)).toMatchObject({ excluded: true, feedStatus: "excluded" });
    expect(listed.variants.find((v) => v.variantId === sibling.variantId)).toMatchObject({ excluded: false, feedStatus: "eligible" });

    // Agent discovery (MCP) shows the product without that variant, and does not resolve the variant itself.
    const mcp = m.mcp.createPrismaProductCatalog(t.db);
    const product = await mcp.product(shop.id, "usd", excluded.productId);
    expect(product?.variants.map((v) => v.item_id)).toContain(sibling.variantId);
    expect(product?.variants.map((v) => v.item_id)).not.toContain(excluded.variantId);
    expect((await mcp.product(shop.id, "usd", excluded.variantId))?.variants.map((v) => v.item_id) ?? []).not.toContain(excluded.variantId);

    // A webhook's re-read of the product from Shopify evaluates it again: the exclusion still holds.
    await world.service.catalogFor({ db: t.db, shop, admin: adminClient() }).sync.applyProductChanges([excluded.productId], false);
    expect((await feedItemIds()).has(excluded.variantId)).toBe(false);

    expect(await m.page.productsPageAction(t.db, shop, adminClient(), variantForm("include_variant", excluded.variantId))).toMatchObject({ ok: true, message: expect.stringContaining("follows its product again") });
    expect(await feedItemIds()).toEqual(before);
    expect(await t.db.variantExclusion.count()).toBe(0);
  });

  it("stores nothing for variant ids the shop's catalog does not have", async () => {
    const shop = await shopRow();
    expect(await m.page.productsPageAction(t.db, shop, adminClient(), variantForm("exclude_variant", vgid(404)))).toMatchObject({ ok: false, message: expect.stringContaining("None of the chosen variants") });
    expect(await m.page.productsPageAction(t.db, shop, adminClient(), variantForm("exclude_variant", "gid://shopify/Product/1"))).toMatchObject({ ok: false });
    expect(await t.db.variantExclusion.count()).toBe(0);
  });
});

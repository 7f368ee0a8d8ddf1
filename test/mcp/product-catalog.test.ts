// The discovery tools' SQL on CatalogItem rows: only eligible, undeleted rows of the asked shop in its currency;
// every word must match; LIKE wildcards in a query are literal; price and availability filter variants; pages
// by (title, product id) never repeat or skip a product.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { createPrismaProductCatalog } from "../../app/mcp/product-catalog.server";
import { createDiscoveryTools } from "../../app/mcp/discovery-tools";
import type { Product } from "../../app/mcp/products";

const t = freshDb();
const catalog = createPrismaProductCatalog(t.db);
const tools = createDiscoveryTools(catalog);
let shopA: string;
let shopB: string;

let n = 0;
async function row(shopId: string, fields: { product: string; title: string; price: number; availability?: string; eligible?: boolean; deleted?: boolean; currency?: string; vendor?: string; variant?: string; sale?: number }) {
  n += 1;
  const variantId = `gid://shopify/ProductVariant/${n}`;
  const feed = { item_id: variantId, title: fields.title, description: `About ${fields.title}`, image_url: "https://cdn.shopify.com/x.jpg", price: fields.sale ? `${(fields.sale / 100).toFixed(2)} USD` : `${(fields.price / 100).toFixed(2)} USD`, ...(fields.sale ? { sale_price: `${(fields.price / 100).toFixed(2)} USD` } : {}), variant_dict: fields.variant ? { Size: fields.variant } : undefined };
  await t.db.catalogItem.create({
    data: {
      id: `ci_${n}`, shopId, variantId, productId: `gid://shopify/Product/${fields.product}`, position: n, title: `${fields.title}${fields.variant ? ` - ${fields.variant}` : ""}`,
      productTitle: fields.title, variantTitle: fields.variant ?? "Default Title", vendor: fields.vendor ?? "Acme", priceMinor: fields.price, currency: fields.currency ?? "USD",
      availability: fields.availability ?? "in_stock", inventoryQuantity: 5, feedItemJson: JSON.stringify(feed), contentHash: String(n),
      selected: true, eligible: fields.eligible ?? true, feedStatus: "eligible", deletedAt: fields.deleted ? new Date() : null,
    },
  });
}

beforeAll(async () => {
  shopA = (await t.db.shop.create({ data: { domain: "a.myshopify.com", currencyCode: "USD" } })).id;
  shopB = (await t.db.shop.create({ data: { domain: "b.myshopify.com", currencyCode: "USD" } })).id;
  await row(shopA, { product: "1", title: "Alpine Jacket", price: 24900, variant: "S" });
  await row(shopA, { product: "1", title: "Alpine Jacket", price: 25900, variant: "M", availability: "out_of_stock" });
  await row(shopA, { product: "2", title: "Camp Lantern", price: 3900, sale: 4900, vendor: "Lumen" });
  await row(shopA, { product: "3", title: "Trail 100% Wool Sock", price: 1900 });
  await row(shopA, { product: "4", title: "Hidden Tent", price: 34900, eligible: false });
  await row(shopA, { product: "5", title: "Gone Stove", price: 6900, deleted: true });
  await row(shopA, { product: "6", title: "Euro Mug", price: 900, currency: "EUR" });
  await row(shopB, { product: "7", title: "Other Shop Jacket", price: 100 });
  for (let i = 0; i < 9; i++) await row(shopA, { product: `p${i}`, title: `Bulk Item ${i}`, price: 1000 + i });
});
afterAll(() => t.close());

const A = () => ({ id: shopA, currency: "usd" });
const titles = (products: Product[]) => products.map((p) => p.title);

describe("search_products on CatalogItem rows", () => {
  it("returns only the shop's eligible, undeleted rows in its currency", async () => {
    const all: Product[] = [];
    let cursor: string | undefined;
    do {
      const page = await tools.search_products(A(), { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.products.length).toBeLessThanOrEqual(4);
      all.push(...page.products);
      cursor = page.next_cursor;
    } while (cursor);
    expect(titles(all)).toEqual(["Alpine Jacket", ...Array.from({ length: 9 }, (_, i) => `Bulk Item ${i}`), "Camp Lantern", "Trail 100% Wool Sock"]);
    expect((await tools.search_products({ id: shopB, currency: "usd" }, { query: "jacket" })).products.map((p) => p.title)).toEqual(["Other Shop Jacket"]);
  });

  it("matches every word in title, brand or SKU, case-insensitively, with LIKE wildcards taken literally", async () => {
    expect(titles((await tools.search_products(A(), { query: "JACKET alpine" })).products)).toEqual(["Alpine Jacket"]);
    expect(titles((await tools.search_products(A(), { query: "lumen" })).products)).toEqual(["Camp Lantern"]);
    expect(titles((await tools.search_products(A(), { query: "100%" })).products)).toEqual(["Trail 100% Wool Sock"]);
    expect(titles((await tools.search_products(A(), { query: "%" })).products)).toEqual(["Trail 100% Wool Sock"]);
    expect(titles((await tools.search_products(A(), { query: "_" })).products)).toEqual([]);
    expect(titles((await tools.search_products(A(), { query: "jacket tent" })).products)).toEqual([]);
  });

  it("filters variants by price and availability and describes the product from the matching ones", async () => {
    const cheap = await tools.search_products(A(), { query: "jacket", max_price: 25000 });
    expect(cheap.products[0].variants.map((v) => v.price)).toEqual([24900]);
    const inStock = await tools.search_products(A(), { query: "jacket", availability: ["in_stock"] });
    expect(inStock.products[0].variants.map((v) => v.title)).toEqual(["S"]);
    const jacket = (await tools.search_products(A(), { query: "jacket" })).products[0];
    expect(jacket).toMatchObject({ price_range: { min: 24900, max: 25900 }, availability: "in_stock", variant_count: 2, currency: "usd", brand: "Acme" });
    expect(jacket.variants[0].options).toEqual([{ name: "Size", value: "S" }]);
    const lantern = (await tools.search_products(A(), { query: "lantern" })).products[0];
    expect(lantern.variants[0]).toMatchObject({ price: 3900, regular_price: 4900 });
    await expect(tools.search_products(A(), { min_price: 10, max_price: 5 })).rejects.toMatchObject({ code: -32000, data: { param: "$.min_price" } });
    await expect(tools.search_products(A(), { cursor: "not-ours" })).rejects.toMatchObject({ data: { param: "$.cursor" } });
    await expect(tools.search_products(A(), { availability: ["sold"] })).rejects.toMatchObject({ data: { param: "$.availability[0]" } });
  });
});

describe("get_product", () => {
  it("finds a product by product id or item id, with all its sellable variants, only in the asking shop", async () => {
    const byProduct = await tools.get_product(A(), { id: "gid://shopify/Product/1" });
    const byItem = await tools.get_product(A(), { id: byProduct.product.variants[1].item_id });
    expect(byItem).toEqual(byProduct);
    expect(byProduct.product.variants.map((v) => v.availability)).toEqual(["in_stock", "out_of_stock"]);
    expect(byProduct.product.default_item_id).toBe(byProduct.product.variants[0].item_id);
    for (const id of ["gid://shopify/Product/4", "gid://shopify/Product/5", "gid://shopify/Product/6", "gid://shopify/Product/7"]) {
      await expect(tools.get_product(A(), { id })).rejects.toMatchObject({ code: -32000, data: { code: "product_not_found" } });
    }
  });
});

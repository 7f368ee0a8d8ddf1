// Paging, sorting and Shopify search syntax over the demo catalog.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShopifySim } from "../index.js";
import { client, SHOP, startSim } from "./helpers.js";

let sim: ShopifySim;
let gql: ReturnType<typeof client>;
beforeAll(async () => {
  // Big pages cost ~250 points each; this suite is about paging/search, not throttling.
  sim = await startSim({ throttle: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 } });
  gql = client(sim);
});
afterAll(() => sim.stop());

async function ids(query: string, extra = ""): Promise<string[]> {
  const res = await gql(`query S($q: String) { products(first: 250, query: $q${extra}) { nodes { id } } }`, { q: query });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.products.nodes.map((n: { id: string }) => n.id);
}
const titles = async (query: string) => {
  const res = await gql(`query S($q: String) { products(first: 250, query: $q) { nodes { title } } }`, { q: query });
  return res.body.data.products.nodes.map((n: { title: string }) => n.title) as string[];
};

describe("paging", () => {
  it("walks every product forwards with cursors, then backwards with last/before", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await gql(`query P($after: String) { products(first: 7, after: $after, sortKey: TITLE) { pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { cursor node { id title } } } }`, { after });
      const c = res.body.data.products;
      pages++;
      expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(c.edges[c.edges.length - 1].cursor).toBe(c.pageInfo.endCursor);
      seen.push(...c.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    const total = sim.shop().products.size;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 7));
    const all = await gql(`{ products(first: 250, sortKey: TITLE) { nodes { title } } }`);
    const sorted = all.body.data.products.nodes.map((n: { title: string }) => n.title);
    expect(sorted).toEqual([...sorted].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));

    const last = await gql(`{ products(last: 3, sortKey: TITLE) { pageInfo { hasPreviousPage hasNextPage startCursor } nodes { title } } }`);
    expect(last.body.data.products.nodes.map((n: { title: string }) => n.title)).toEqual(sorted.slice(-3));
    expect(last.body.data.products.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await gql(`query B($b: String) { products(last: 3, before: $b, sortKey: TITLE) { nodes { title } } }`, { b: last.body.data.products.pageInfo.startCursor });
    expect(before.body.data.products.nodes.map((n: { title: string }) => n.title)).toEqual(sorted.slice(-6, -3));
  });

  it("reverse and UPDATED_AT sorting", async () => {
    const res = await gql(`{ products(first: 250, sortKey: UPDATED_AT, reverse: true) { nodes { updatedAt } } }`);
    const dates = res.body.data.products.nodes.map((n: { updatedAt: string }) => n.updatedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("rejects more than 250 per page", async () => {
    const res = await gql(`{ products(first: 251) { nodes { id } } }`);
    expect(res.body.errors[0].message).toMatch(/250/);
  });
});

describe("search syntax", () => {
  it("status, tag, vendor, product_type", async () => {
    const active = await ids("status:active");
    expect(active.length).toBe([...sim.shop().products.values()].filter((p) => p.status === "ACTIVE").length);
    expect(await titles("status:draft")).toEqual(["Prototype Bivy Sack"]);
    expect(await titles("status:draft,archived")).toEqual(["Prototype Bivy Sack", "Retired Logo Fleece"]);
    expect((await titles("tag:rain")).sort()).toEqual(["Rain Pants", "Storm Shell Pro Jacket", "Summit Rain Jacket"]);
    expect(await titles("vendor:'Granite Footwear' AND product_type:Shoes")).toEqual(["Approach Shoe"]);
  });

  it("ids, ranges and dates", async () => {
    const first = [...sim.shop().products.values()][0];
    expect(await ids(`id:${first.id}`)).toEqual([`gid://shopify/Product/${first.id}`]);
    const after = await ids(`id:>${first.id + 45}`);
    expect(after).toHaveLength(sim.shop().products.size - 46);
    const recent = await titles("updated_at:>'2026-03-01T00:00:00Z'");
    expect(recent.length).toBeGreaterThan(0);
    for (const p of sim.shop().products.values()) expect(recent.includes(p.title)).toBe(p.updatedAt > "2026-03-01T00:00:00Z");
  });

  it("sku, barcode, title wildcards, free text, OR and NOT", async () => {
    expect(await titles("sku:GF-RHB-10")).toEqual(["Ridge Hiking Boot"]);
    expect(await titles("barcode:12345ABC")).toEqual(["Backpacking Pack 55L"]);
    expect((await titles("title:summit*")).sort()).toEqual(["Summit Rain Jacket"]);
    expect((await titles("mug")).sort()).toEqual(["Enamel Camp Mug", "Insulated Travel Mug", "Titanium Mug 450ml"]);
    expect((await titles("tag:mug OR tag:bottle")).length).toBe(4);
    expect((await titles("tag:mug -title:Titanium*")).sort()).toEqual(["Enamel Camp Mug", "Insulated Travel Mug"]);
    expect((await titles("tag:mug AND NOT vendor:nobody")).length).toBe(3);
    expect((await titles("(tag:mug OR tag:tent) status:active")).length).toBe(7);
  });

  it("productVariants by product_id and sku; nodes() and node()", async () => {
    const p = [...sim.shop().products.values()].find((x) => x.handle === "ridge-hiking-boot")!;
    const res = await gql(`query V($q: String) { productVariants(first: 50, query: $q) { nodes { id sku product { id } } } }`, { q: `product_id:${p.id}` });
    expect(res.body.data.productVariants.nodes).toHaveLength(5);
    const bySku = await gql(`{ productVariants(first: 5, query: "sku:CG-SPK") { nodes { title sku inventoryItem { tracked } } } }`);
    expect(bySku.body.data.productVariants.nodes).toEqual([{ title: "Default Title", sku: "CG-SPK", inventoryItem: { tracked: false } }]);
    const v = p.variants[0];
    const nodes = await gql(`query N($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on ProductVariant { price availableForSale } } }`, { ids: [`gid://shopify/ProductVariant/${v.id}`, "gid://shopify/ProductVariant/1", `gid://shopify/Product/${p.id}`] });
    expect(nodes.body.data.nodes).toEqual([{ __typename: "ProductVariant", id: `gid://shopify/ProductVariant/${v.id}`, price: "189.00", availableForSale: true }, null, { __typename: "Product", id: `gid://shopify/Product/${p.id}` }]);
  });

  it("availability derives from policy and stock", async () => {
    const res = await gql(`{ productVariants(first: 250, query: "product_type:Tents") { nodes { availableForSale inventoryQuantity inventoryPolicy product { title } } } }`);
    const byTitle = Object.fromEntries(res.body.data.productVariants.nodes.map((n: { product: { title: string } }) => [n.product.title, n]));
    expect(byTitle["Ultralight 1-Person Tent"]).toMatchObject({ availableForSale: false, inventoryQuantity: 0, inventoryPolicy: "DENY" });
    expect(byTitle["Four-Season Mountaineering Tent"]).toMatchObject({ availableForSale: true, inventoryQuantity: 0, inventoryPolicy: "CONTINUE" });
    expect(byTitle["Prototype Bivy Sack"]).toMatchObject({ availableForSale: false });
  });

  it("collections with products, locations", async () => {
    const res = await gql(`{ collections(first: 10) { nodes { handle products(first: 50) { nodes { title } } } } locations(first: 5) { nodes { name isActive } } }`);
    const rain = res.body.data.collections.nodes.find((c: { handle: string }) => c.handle === "rain-gear");
    expect(rain.products.nodes.length).toBe(3);
    expect(res.body.data.locations.nodes.map((l: { name: string }) => l.name)).toEqual(["Portland Warehouse", "Seattle Store"]);
  });

  it("merchant edits show up in updated_at searches", async () => {
    const p = [...sim.shop(SHOP).products.values()].find((x) => x.handle === "spork")!;
    const before = [...sim.shop(SHOP).products.values()].map((x) => x.updatedAt).sort().at(-1)!;
    sim.setVariantPrice(SHOP, p.variants[0].id, "5.25");
    const res = await gql(`query Q($q: String) { products(first: 5, query: $q) { nodes { handle variants(first: 1) { nodes { price } } } } }`, { q: `updated_at:>'${before}'` });
    expect(res.body.data.products.nodes).toEqual([{ handle: "spork", variants: { nodes: [{ price: "5.25" }] } }]);
  });
});

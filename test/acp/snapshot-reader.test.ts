// The checkout's catalog reader answers from the synced snapshot and asks Shopify only for what it lacks.
import { afterAll, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { createSnapshotCatalogReader } from "../../app/db/catalog-snapshot-reader.server";
import type { CatalogReader, CatalogVariant } from "../../app/checkout/ports";

const t = freshDb();
afterAll(() => t.close());

const V = (n: number) => `gid://shopify/ProductVariant/${n}`;

async function seed() {
  const shop = await t.db.shop.create({ data: { domain: `snap-${Math.random().toString(36).slice(2)}.myshopify.com` } });
  const base = { shopId: shop.id, currency: "USD", contentHash: "h", feedItemJson: JSON.stringify({ image_url: "https://cdn.example/jacket.png" }) };
  await t.db.catalogItem.createMany({
    data: [
      { ...base, variantId: V(1), productId: "gid://shopify/Product/10", title: "Jacket - M", productTitle: "Jacket", variantTitle: "M", sku: "JK-M", priceMinor: 12900, inventoryQuantity: 7, availability: "in_stock", tagsJson: '["agents"]' },
      { ...base, variantId: V(2), productId: "gid://shopify/Product/11", title: "Mug", productTitle: "Mug", variantTitle: "Default Title", priceMinor: 1500, inventoryQuantity: 0, availability: "backorder" },
      { ...base, variantId: V(3), productId: "gid://shopify/Product/12", title: "Tent", productTitle: "Tent", priceMinor: 30000, inventoryQuantity: 0, availability: "out_of_stock" },
      { ...base, variantId: V(4), productId: "gid://shopify/Product/13", title: "Gone", productTitle: "Gone", priceMinor: 100, availability: "in_stock", deletedAt: new Date() },
    ],
  });
  return shop;
}

function countingFallback(): CatalogReader & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async resolve(ids) {
      asked.push(ids);
      return new Map(ids.map((id) => [id, id === V(5) ? ({ itemId: id, variantId: id, productId: "p5", title: "Live", unitAmount: 500, currency: "usd", availableForSale: true, optedIn: true } as CatalogVariant) : null]));
    },
  };
}

describe("snapshot catalog reader", () => {
  it("answers from CatalogItem rows with the merchant's opt-in, and asks the live reader only for the rest", async () => {
    const shop = await seed();
    const fallback = countingFallback();
    const reader = createSnapshotCatalogReader(t.db, shop.id, {
      currency: "usd",
      optIn: async (products) => new Set(products.filter((p) => p.tags.includes("agents")).map((p) => p.productId)),
      fallback,
    });
    const result = await reader.resolve([V(1), V(2), V(3), V(4), V(5), "not-an-id"]);
    expect(result.get(V(1))).toMatchObject({ title: "Jacket", variantTitle: "M", sku: "JK-M", unitAmount: 12900, inventoryQuantity: 7, availableForSale: true, optedIn: true, imageUrl: "https://cdn.example/jacket.png" });
    expect(result.get(V(2))).toMatchObject({ variantTitle: undefined, inventoryQuantity: undefined, availableForSale: true, optedIn: false });
    expect(result.get(V(3))).toMatchObject({ availableForSale: false });
    expect(result.get(V(5))).toMatchObject({ title: "Live" });
    expect(result.get("not-an-id")).toBeNull();
    // Deleted rows and unknown ids go to the live reader, in one call; known rows never do.
    expect(fallback.asked).toEqual([[V(4), V(5)]]);
    expect(result.get(V(4))).toBeNull();
  });

  it("never reads another shop's rows", async () => {
    const a = await seed();
    const b = await t.db.shop.create({ data: { domain: "snap-other.myshopify.com" } });
    const fallback = countingFallback();
    const reader = createSnapshotCatalogReader(t.db, b.id, { currency: "usd", optIn: async () => new Set(), fallback });
    const result = await reader.resolve([V(1)]);
    expect(result.get(V(1))).toBeNull();
    expect(fallback.asked).toEqual([[V(1)]]);
    expect(a.id).not.toBe(b.id);
  });
});

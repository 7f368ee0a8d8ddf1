// Small builders for catalog tests: a complete, eligible product unless told otherwise.
import type { SourceProduct, SourceVariant } from "../../app/catalog/source";
import type { MappingContext } from "../../app/catalog/mapping";
import type { FeedSettings } from "../../app/catalog/feed-settings";
import { defaultFeedSettings } from "../../app/catalog/feed-settings";

let seq = 1000;

export function variant(over: Partial<SourceVariant> = {}): SourceVariant {
  const n = seq++;
  return {
    id: `gid://shopify/ProductVariant/${n}`,
    title: "Default Title",
    position: 1,
    sku: `SKU-${n}`,
    barcode: "4006381333931",
    gtinMetafield: null,
    price: "79.99",
    compareAtPrice: null,
    inventoryPolicy: "DENY",
    inventoryQuantity: 5,
    tracked: true,
    requiresShipping: true,
    selectedOptions: [{ name: "Title", value: "Default Title" }],
    weight: { value: 1.2, unit: "KILOGRAMS" },
    image: null,
    inventoryItemId: `gid://shopify/InventoryItem/${n}`,
    ...over,
  };
}

export function product(over: Partial<SourceProduct> = {}, variants?: SourceVariant[]): SourceProduct {
  const n = seq++;
  return {
    id: `gid://shopify/Product/${n}`,
    handle: `trail-jacket-${n}`,
    title: "Trail Jacket",
    descriptionHtml: "<p>A <strong>light</strong> jacket for wet trails.</p>",
    vendor: "Northwind",
    productType: "Jackets",
    status: "ACTIVE",
    tags: ["outdoor"],
    onlineStoreUrl: `https://demo-outfitters.com/products/trail-jacket-${n}`,
    updatedAt: "2026-11-01T10:00:00Z",
    categoryFullName: "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
    images: [{ url: `https://cdn.shopify.com/s/files/1/trail-${n}.jpg`, altText: "Trail jacket" }],
    collectionIds: ["gid://shopify/Collection/1"],
    variants: variants ?? [variant()],
    ...over,
  };
}

export const settings: FeedSettings = {
  ...defaultFeedSettings({
    name: "Demo Outfitters",
    primaryUrl: "https://demo-outfitters.com",
    countryCode: "US",
    policies: {
      REFUND_POLICY: "https://demo-outfitters.com/policies/refund-policy",
      PRIVACY_POLICY: "https://demo-outfitters.com/policies/privacy-policy",
      TERMS_OF_SERVICE: "https://demo-outfitters.com/policies/terms-of-service",
    },
  }),
};

export const ctx: MappingContext = { shop: { currency: "USD", storefrontUrl: "https://demo-outfitters.com" }, settings };

export async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}

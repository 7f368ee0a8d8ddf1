// The catalog as the domain reads it from Shopify: one normalized shape for bulk-operation rows,
// single-product reads and test fixtures. Money stays a decimal string here, exactly as Shopify sends it;
// it becomes integer minor units in money.ts.

export type ProductStatus = "ACTIVE" | "ARCHIVED" | "DRAFT" | "UNLISTED";
export type WeightUnit = "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS";

export interface SourceImage {
  url: string;
  altText: string | null;
  width?: number | null;
  height?: number | null;
}

export interface SourceVariant {
  id: string; // gid://shopify/ProductVariant/…
  title: string;
  position: number;
  sku: string | null;
  barcode: string | null;
  /** The value of the configured GTIN metafield, when the feed settings take GTINs from one. */
  gtinMetafield: string | null;
  price: string; // Shopify Money: decimal string in the shop currency
  compareAtPrice: string | null;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryQuantity: number | null;
  tracked: boolean;
  requiresShipping: boolean;
  selectedOptions: Array<{ name: string; value: string }>;
  weight: { value: number; unit: WeightUnit } | null;
  image: SourceImage | null;
  inventoryItemId: string | null;
}

export interface SourceProduct {
  id: string; // gid://shopify/Product/…
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus | string;
  tags: string[];
  onlineStoreUrl: string | null;
  updatedAt: string | null;
  /** Shopify Standard Product Taxonomy path, e.g. "Apparel & Accessories > Clothing > Shirts & Tops". */
  categoryFullName: string | null;
  images: SourceImage[];
  collectionIds: string[];
  variants: SourceVariant[];
}

/** What the feed needs to know about the shop that Shopify, not the merchant's settings, decides. */
export interface ShopFacts {
  currency: string; // ISO 4217, upper case
  /** The storefront's primary URL, e.g. https://demo-outfitters.com; used when a product has no onlineStoreUrl. */
  storefrontUrl: string | null;
}

/** The numeric part of a Shopify GID ("gid://shopify/ProductVariant/42" → "42"). */
export function legacyId(gid: string): string {
  const slash = gid.lastIndexOf("/");
  const tail = slash >= 0 ? gid.slice(slash + 1) : gid;
  const q = tail.indexOf("?");
  return q >= 0 ? tail.slice(0, q) : tail;
}

/** The GID type ("gid://shopify/ProductVariant/42" → "ProductVariant"). */
export function gidType(gid: string): string {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid);
  return m ? m[1] : "";
}

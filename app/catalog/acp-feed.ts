// CatalogItem rows → ACP Feed API 2026-04-17 `Product`/`Variant` (schema.feed.json; acp.md §5.2).
// Prices are integer minor units, as the schema wants. A variant that left the feed is sent as
// unavailable/discontinued, because the Feed API has no delete (upserts only).
import type { CatalogRecord } from "./catalog-item";
import type { FeedSettings } from "./feed-settings";
import { parseFeedPrice } from "./money";

export const FEED_API_VERSION = "2026-04-17";

export interface AcpPrice { amount: number; currency: string }
export interface AcpMedia { type: string; url: string; alt_text?: string }
export interface AcpVariant {
  id: string;
  title: string;
  description?: { plain: string };
  url?: string;
  barcodes?: Array<{ type: string; value: string }>;
  price?: AcpPrice;
  list_price?: AcpPrice;
  availability?: { available: boolean; status: string };
  categories?: Array<{ value: string; taxonomy: string }>;
  condition?: string[];
  variant_options?: Array<{ name: string; value: string }>;
  media?: AcpMedia[];
  seller?: { name?: string; links?: Array<{ type: string; title?: string; url: string }> };
}
export interface AcpProduct {
  id: string;
  title?: string;
  description?: { plain: string };
  url?: string;
  media?: AcpMedia[];
  variants: AcpVariant[];
}

const STATUS: Record<string, string> = { in_stock: "in_stock", out_of_stock: "out_of_stock", backorder: "backorder", pre_order: "preorder" };

function sellerOf(settings: FeedSettings): AcpVariant["seller"] {
  const links: Array<{ type: string; title?: string; url: string }> = [];
  if (settings.privacyPolicyUrl) links.push({ type: "privacy_policy", title: "Privacy policy", url: settings.privacyPolicyUrl });
  if (settings.termsOfServiceUrl) links.push({ type: "terms_of_service", title: "Terms of service", url: settings.termsOfServiceUrl });
  if (settings.returnPolicyUrl) links.push({ type: "refund_policy", title: "Refund policy", url: settings.returnPolicyUrl });
  return { name: settings.sellerName, ...(links.length ? { links } : {}) };
}

export function toAcpVariant(record: CatalogRecord, settings: FeedSettings, live: boolean): AcpVariant {
  const f = record.fields;
  const title = f.title || record.productTitle || record.variantId;
  if (!live) return { id: record.variantId, title, availability: { available: false, status: "discontinued" } };
  const regular = parseFeedPrice(f.price);
  const sale = f.sale_price ? parseFeedPrice(f.sale_price) : null;
  const variant: AcpVariant = { id: record.variantId, title };
  if (f.url) variant.url = f.url;
  if (f.gtin) variant.barcodes = [{ type: "GTIN", value: f.gtin }];
  if (regular) {
    variant.price = { amount: (sale ?? regular).minor, currency: regular.currency };
    if (sale) variant.list_price = { amount: regular.minor, currency: regular.currency };
  }
  variant.availability = { available: f.availability === "in_stock" || f.availability === "backorder", status: STATUS[f.availability] ?? "out_of_stock" };
  if (f.product_category) variant.categories = [{ value: f.product_category, taxonomy: "shopify" }];
  if (f.variant_dict) variant.variant_options = Object.entries(f.variant_dict).map(([name, value]) => ({ name, value }));
  if (f.image_url) variant.media = [{ type: "image", url: f.image_url }];
  variant.seller = sellerOf(settings);
  return variant;
}

/** One ACP Product from the stored rows of one product (all its variants, live or not). */
export function toAcpProduct(productId: string, records: CatalogRecord[], settings: FeedSettings, isLive: (r: CatalogRecord) => boolean): AcpProduct {
  const first = records.find(isLive) ?? records[0];
  const product: AcpProduct = { id: productId, variants: records.map((r) => toAcpVariant(r, settings, isLive(r))) };
  if (first) {
    const f = first.fields;
    product.title = first.productTitle || f.item_group_title || f.title;
    if (f.description) product.description = { plain: f.description };
    if (f.url) product.url = f.url.split("?")[0];
    const images = [f.image_url, ...(f.additional_image_urls ? f.additional_image_urls.split(",") : [])].filter(Boolean);
    if (images.length) product.media = [...new Set(images)].map((url) => ({ type: "image", url }));
  }
  return product;
}

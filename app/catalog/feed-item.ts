// The OpenAI flat product feed row, v2 field names (acp.md §5.1; docs/decisions/0040). One row per variant.
// `ProductFeedFields` is what a product and variant decide; `ShopFeedFields` comes from the feed settings and
// is merged in when the feed is written, so a settings change never needs a catalog re-read.
import { checkoutAllowed, type FeedSettings } from "./feed-settings";

export type Availability = "in_stock" | "out_of_stock" | "backorder" | "pre_order" | "unknown";

export interface ProductFeedFields {
  item_id: string;
  title: string;
  description: string;
  url: string;
  brand: string;
  image_url: string;
  price: string;
  availability: Availability;
  group_id: string;
  listing_has_variations: boolean;
  gtin?: string;
  product_category?: string;
  additional_image_urls?: string;
  sale_price?: string;
  inventory_quantity?: number;
  item_group_title?: string;
  variant_dict?: Record<string, string>;
  color?: string;
  size?: string;
  custom_variant1_category?: string;
  custom_variant1_option?: string;
  custom_variant2_category?: string;
  custom_variant2_option?: string;
  custom_variant3_category?: string;
  custom_variant3_option?: string;
  weight?: string;
  item_weight_unit?: string;
  is_digital?: boolean;
}

export interface ShopFeedFields {
  is_eligible_search: boolean;
  is_eligible_checkout: boolean;
  seller_name: string;
  seller_url: string;
  seller_privacy_policy?: string;
  seller_tos?: string;
  return_policy: string;
  return_deadline_in_days?: number;
  target_countries: string[];
  store_country: string;
}

export type FlatFeedRow = ProductFeedFields & ShopFeedFields;

/** Column order of the CSV feed (and key order of each JSONL row). */
export const FLAT_FEED_COLUMNS = [
  "is_eligible_search", "is_eligible_checkout", "item_id", "gtin", "title", "description", "url", "brand",
  "product_category", "image_url", "additional_image_urls", "price", "sale_price", "availability", "inventory_quantity",
  "group_id", "listing_has_variations", "item_group_title", "variant_dict", "color", "size",
  "custom_variant1_category", "custom_variant1_option", "custom_variant2_category", "custom_variant2_option",
  "custom_variant3_category", "custom_variant3_option", "weight", "item_weight_unit", "is_digital",
  "seller_name", "seller_url", "seller_privacy_policy", "seller_tos", "return_policy", "return_deadline_in_days",
  "target_countries", "store_country",
] as const satisfies ReadonlyArray<keyof FlatFeedRow>;

export function shopFeedFields(settings: FeedSettings): ShopFeedFields {
  const checkout = checkoutAllowed(settings);
  const fields: ShopFeedFields = {
    is_eligible_search: true,
    is_eligible_checkout: checkout,
    seller_name: settings.sellerName,
    seller_url: settings.sellerUrl,
    return_policy: settings.returnPolicyUrl,
    target_countries: settings.targetCountries,
    store_country: settings.storeCountry,
  };
  if (settings.privacyPolicyUrl) fields.seller_privacy_policy = settings.privacyPolicyUrl;
  if (settings.termsOfServiceUrl) fields.seller_tos = settings.termsOfServiceUrl;
  if (settings.returnDeadlineDays && settings.returnDeadlineDays > 0) fields.return_deadline_in_days = settings.returnDeadlineDays;
  return fields;
}

const SHOP_COLUMNS = new Set<string>(["is_eligible_search", "is_eligible_checkout", "seller_name", "seller_url", "seller_privacy_policy", "seller_tos", "return_policy", "return_deadline_in_days", "target_countries", "store_country"]);

/** A full row in column order, with absent optional fields left out. Runs once per feed row: no spreads. */
export function composeRow(product: ProductFeedFields, shop: ShopFeedFields): FlatFeedRow {
  const p = product as unknown as Record<string, unknown>;
  const s = shop as unknown as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const column of FLAT_FEED_COLUMNS) {
    const v = SHOP_COLUMNS.has(column) ? s[column] : p[column];
    if (v !== undefined) row[column] = v;
  }
  return row as unknown as FlatFeedRow;
}

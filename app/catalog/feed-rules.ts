// The flat feed's field rules (acp.md §5.1), checked on a complete row. The mapper is written to obey them;
// this is the independent check the diagnostics, the feed writers and the tests all use.
import { parseFeedPrice } from "./money";
import { FLAT_FEED_COLUMNS, type FlatFeedRow } from "./feed-item";
import { checkGtin } from "./gtin";
import { isHttpUrl } from "./feed-settings";

export interface RuleViolation {
  field: string;
  rule: string;
}

const AVAILABILITY = new Set(["in_stock", "out_of_stock", "pre_order", "backorder", "unknown"]);
const WEIGHT_UNITS = new Set(["lb", "oz", "g", "kg"]);
const MAX_LENGTH: Record<string, number> = {
  item_id: 100, title: 150, description: 5000, brand: 70, group_id: 70, item_group_title: 150, color: 40, size: 20,
  seller_name: 70, mpn: 70, material: 100,
};
const REQUIRED = ["item_id", "title", "description", "url", "brand", "image_url", "price", "availability", "group_id",
  "seller_name", "seller_url", "return_policy", "target_countries", "store_country"] as const;
const URL_FIELDS = ["url", "image_url", "seller_url", "seller_privacy_policy", "seller_tos", "return_policy"] as const;
const COLUMNS = new Set<string>(FLAT_FEED_COLUMNS);

// The feed writer checks every row on the way out, and four of a row's URLs are the shop's, the same on every
// row: URL verdicts are remembered (a bounded map, cleared when full) so each is parsed once per feed, not per row.
const urlVerdicts = new Map<string, boolean>();
function httpUrl(value: string): boolean {
  let ok = urlVerdicts.get(value);
  if (ok === undefined) {
    ok = isHttpUrl(value);
    if (urlVerdicts.size >= 2048) urlVerdicts.clear();
    urlVerdicts.set(value, ok);
  }
  return ok;
}

/** Every rule the row breaks; an empty list means the row may be published. */
export function feedRowViolations(row: FlatFeedRow): RuleViolation[] {
  const out: RuleViolation[] = [];
  const r = row as unknown as Record<string, unknown>;
  const bad = (field: string, rule: string) => out.push({ field, rule });

  for (const key of Object.keys(r)) if (!COLUMNS.has(key)) bad(key, "unknown field");
  for (const field of REQUIRED) {
    const v = r[field];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) bad(field, "required");
  }
  if (typeof row.is_eligible_search !== "boolean") bad("is_eligible_search", "boolean");
  if (typeof row.is_eligible_checkout !== "boolean") bad("is_eligible_checkout", "boolean");
  if (row.is_eligible_checkout && !row.is_eligible_search) bad("is_eligible_checkout", "needs is_eligible_search");
  if (row.is_eligible_checkout && (!row.seller_privacy_policy || !row.seller_tos)) bad("is_eligible_checkout", "needs privacy policy and terms");
  for (const [field, max] of Object.entries(MAX_LENGTH)) {
    const v = r[field];
    // Characters are code points; a string's UTF-16 length is never below its code point count.
    if (typeof v === "string" && v.length > max && [...v].length > max) bad(field, `at most ${max} characters`);
  }
  for (const field of URL_FIELDS) {
    const v = r[field];
    if (v !== undefined && (typeof v !== "string" || !httpUrl(v))) bad(field, "http(s) URL");
  }
  if (row.additional_image_urls !== undefined && !row.additional_image_urls.split(",").every((u) => httpUrl(u))) bad("additional_image_urls", "comma-separated URLs");
  if (typeof row.description === "string" && /<\/?[a-zA-Z][^>]*>/.test(row.description)) bad("description", "plain text");
  if (typeof row.title === "string" && /<\/?[a-zA-Z][^>]*>/.test(row.title)) bad("title", "plain text");
  const price = typeof row.price === "string" ? parseFeedPrice(row.price) : null;
  if (!price) bad("price", "amount and ISO 4217 code, e.g. 79.99 USD");
  else if (price.minor <= 0) bad("price", "above zero");
  if (row.sale_price !== undefined) {
    const sale = parseFeedPrice(row.sale_price);
    if (!sale) bad("sale_price", "amount and ISO 4217 code");
    else if (price && (sale.currency !== price.currency || sale.minor > price.minor)) bad("sale_price", "at most price, same currency");
  }
  if (!AVAILABILITY.has(row.availability)) bad("availability", "in_stock|out_of_stock|pre_order|backorder|unknown");
  if (row.gtin !== undefined && checkGtin(row.gtin) !== "valid") bad("gtin", "valid GTIN");
  if (row.inventory_quantity !== undefined && !(Number.isInteger(row.inventory_quantity) && row.inventory_quantity >= 0)) bad("inventory_quantity", "integer ≥ 0");
  if (typeof row.listing_has_variations !== "boolean") bad("listing_has_variations", "boolean");
  if ((row.weight === undefined) !== (row.item_weight_unit === undefined)) bad("weight", "weight and unit together");
  if (row.weight !== undefined && !/^\d+(\.\d+)?$/.test(row.weight)) bad("weight", "number");
  if (row.item_weight_unit !== undefined && !WEIGHT_UNITS.has(row.item_weight_unit)) bad("item_weight_unit", "lb|oz|g|kg");
  if (row.product_category !== undefined && !row.product_category.trim()) bad("product_category", "taxonomy path");
  if (row.variant_dict !== undefined && !Object.values(row.variant_dict).every((v) => typeof v === "string")) bad("variant_dict", "object of strings");
  if (!/^[A-Z]{2}$/.test(String(row.store_country))) bad("store_country", "ISO 3166-1 alpha-2");
  if (!Array.isArray(row.target_countries) || !row.target_countries.every((c) => /^[A-Z]{2}$/.test(c))) bad("target_countries", "ISO 3166-1 alpha-2 list");
  if (row.return_deadline_in_days !== undefined && !(Number.isInteger(row.return_deadline_in_days) && row.return_deadline_in_days > 0)) bad("return_deadline_in_days", "positive integer");
  for (let i = 1; i <= 3; i++) {
    const c = r[`custom_variant${i}_category`];
    const o = r[`custom_variant${i}_option`];
    if ((c === undefined) !== (o === undefined)) bad(`custom_variant${i}_option`, "category and option together");
  }
  return out;
}

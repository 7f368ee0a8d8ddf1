// Shopify product + variant → flat feed fields, with every problem found on the way (acp.md §5.1 "Practical
// Shopify mapping"). Nothing is dropped silently: a field the feed cannot take becomes a Problem.
import { legacyId, type ShopFacts, type SourceImage, type SourceProduct, type SourceVariant } from "./source";
import { formatFeedPrice, toMinorUnits } from "./money";
import { htmlToPlainText, truncateText } from "./plain-text";
import { checkGtin } from "./gtin";
import { isHttpUrl, type FeedSettings } from "./feed-settings";
import { problem, type Problem } from "./problems";
import type { Availability, ProductFeedFields } from "./feed-item";

/** What the mapping needs beyond the product itself. */
export interface MappingContext {
  shop: ShopFacts;
  settings: Pick<FeedSettings, "brandFallback" | "gtinSource">;
}

export interface MappedVariant {
  variantId: string;
  fields: ProductFeedFields;
  problems: Problem[];
  priceMinor: number;
  availability: Availability;
}

const WEIGHT_UNITS = { GRAMS: "g", KILOGRAMS: "kg", OUNCES: "oz", POUNDS: "lb" } as const;
const COLOR_NAMES = new Set(["color", "colour"]);
const SIZE_NAMES = new Set(["size"]);
const DEFAULT_VARIANT_TITLE = "Default Title";

/** in_stock / out_of_stock / backorder from Shopify's inventory policy and quantity (docs/decisions/0042). */
export function availabilityOf(v: Pick<SourceVariant, "tracked" | "inventoryQuantity" | "inventoryPolicy">): Availability {
  if (!v.tracked) return "in_stock";
  if ((v.inventoryQuantity ?? 0) > 0) return "in_stock";
  return v.inventoryPolicy === "CONTINUE" ? "backorder" : "out_of_stock";
}

function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 6 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

function imageLooksJpegOrPng(url: string): boolean {
  const path = url.split("?")[0].toLowerCase();
  const ext = /\.([a-z0-9]+)$/.exec(path)?.[1];
  // Shopify's CDN serves any format at the same URL on request; only a known non-JPEG/PNG extension warns.
  return !ext || ["jpg", "jpeg", "png"].includes(ext) || !["webp", "gif", "avif", "svg", "heic", "bmp", "tiff"].includes(ext);
}

function productUrl(product: SourceProduct, variant: SourceVariant): string | null {
  if (!product.onlineStoreUrl) return null;
  const sep = product.onlineStoreUrl.includes("?") ? "&" : "?";
  return product.variants.length > 1 ? `${product.onlineStoreUrl}${sep}variant=${legacyId(variant.id)}` : product.onlineStoreUrl;
}

/** One plain-text description per product, computed once for all its variants. */
export function productDescription(product: SourceProduct): { text: string; truncated: boolean } {
  const text = htmlToPlainText(product.descriptionHtml ?? "");
  if (text.length <= 5000) return { text, truncated: false };
  return { text: truncateText(text, 5000), truncated: true };
}

function gtinOf(variant: SourceVariant, ctx: MappingContext): string | null {
  const raw = ctx.settings.gtinSource === "metafield" ? variant.gtinMetafield : variant.barcode;
  const value = raw?.trim().replace(/[\s-]/g, "");
  return value ? value : null;
}

/** Maps every variant of a product. Problems that concern the whole product are repeated on each variant,
 * because each variant is its own feed row and is judged on its own. */
export function mapProduct(product: SourceProduct, ctx: MappingContext): MappedVariant[] {
  const description = productDescription(product);
  const productTitle = normalizeTitle(product.title);
  const brandRaw = (product.vendor ?? "").trim() || ctx.settings.brandFallback.trim();
  const skuCounts = new Map<string, number>();
  for (const v of product.variants) if (v.sku?.trim()) skuCounts.set(v.sku.trim(), (skuCounts.get(v.sku.trim()) ?? 0) + 1);
  const hasVariations = product.variants.length > 1;
  const images = product.images.filter((i) => i.url);

  return product.variants.map((variant) => {
    const problems: Problem[] = [];
    const currency = ctx.shop.currency.toUpperCase();

    // Title: product title plus the variant title, unless Shopify's placeholder "Default Title".
    const variantTitle = variant.title && variant.title !== DEFAULT_VARIANT_TITLE ? normalizeTitle(variant.title) : "";
    let title = variantTitle && hasVariations ? `${productTitle} - ${variantTitle}` : productTitle;
    if (!productTitle) problems.push(problem("missing_title"));
    if ([...title].length > 150) {
      title = truncateText(title, 150);
      problems.push(problem("title_truncated"));
    }
    if (isAllCaps(productTitle)) problems.push(problem("title_all_caps"));

    if (!description.text) problems.push(problem("missing_description"));
    if (description.truncated) problems.push(problem("description_truncated"));

    const url = productUrl(product, variant);
    if (!url) problems.push(problem("missing_url"));
    else if (!isHttpUrl(url)) problems.push(problem("invalid_url"));

    const primary: SourceImage | undefined = variant.image?.url ? variant.image : images[0];
    if (!primary) problems.push(problem("missing_image"));
    else if (!isHttpUrl(primary.url)) problems.push(problem("invalid_image_url"));
    else if (!imageLooksJpegOrPng(primary.url)) problems.push(problem("image_format"));
    const additional = images.map((i) => i.url).filter((u) => u !== primary?.url && isHttpUrl(u) && !u.includes(",")).slice(0, 10);

    const priceMinor = toMinorUnits(variant.price, currency);
    const compareMinor = toMinorUnits(variant.compareAtPrice, currency);
    if (priceMinor === null) problems.push(problem("invalid_price"));
    else if (priceMinor <= 0) problems.push(problem("price_not_positive"));
    // Shopify's compare-at price is the regular price; the variant price is then the sale price.
    const onSale = priceMinor !== null && compareMinor !== null && compareMinor > priceMinor;
    const price = priceMinor === null ? "" : formatFeedPrice(onSale ? (compareMinor as number) : priceMinor, currency);

    let brand = brandRaw;
    if (!brand) problems.push(problem("missing_brand"));
    else if ([...brand].length > 70) {
      brand = [...brand].slice(0, 70).join("").trim();
      problems.push(problem("brand_truncated"));
    }

    const gtinRaw = gtinOf(variant, ctx);
    let gtin: string | undefined;
    if (!gtinRaw) problems.push(problem("missing_gtin"));
    else if (checkGtin(gtinRaw) !== "valid") problems.push(problem("invalid_gtin"));
    else gtin = gtinRaw;

    if (variant.sku?.trim() && (skuCounts.get(variant.sku.trim()) ?? 0) > 1) problems.push(problem("duplicate_sku"));
    if (!product.categoryFullName?.trim()) problems.push(problem("missing_category"));

    const itemId = variant.id;
    const groupId = product.id;
    if (itemId.length > 100 || groupId.length > 70) problems.push(problem("id_too_long"));
    if (product.status !== "ACTIVE") problems.push(problem("product_not_active"));

    const availability = availabilityOf(variant);
    const fields: ProductFeedFields = {
      item_id: itemId,
      title,
      description: description.text,
      url: url ?? "",
      brand,
      image_url: primary?.url ?? "",
      price,
      availability,
      group_id: groupId,
      listing_has_variations: hasVariations,
    };
    if (gtin) fields.gtin = gtin;
    if (product.categoryFullName?.trim()) fields.product_category = product.categoryFullName.trim();
    if (additional.length) fields.additional_image_urls = additional.join(",");
    if (onSale) fields.sale_price = formatFeedPrice(priceMinor as number, currency);
    if (variant.tracked && variant.inventoryQuantity !== null) fields.inventory_quantity = Math.max(0, variant.inventoryQuantity);
    if (hasVariations) fields.item_group_title = truncateText(productTitle, 150);
    applyOptions(fields, variant, problems);
    if (variant.weight && variant.weight.value > 0 && WEIGHT_UNITS[variant.weight.unit]) {
      fields.weight = String(Math.round(variant.weight.value * 1000) / 1000);
      fields.item_weight_unit = WEIGHT_UNITS[variant.weight.unit];
    }
    if (!variant.requiresShipping) fields.is_digital = true;

    return { variantId: variant.id, fields, problems: dedupe(problems), priceMinor: priceMinor ?? 0, availability };
  });
}

function normalizeTitle(text: string): string {
  return htmlToPlainText(text ?? "").replace(/\s+/g, " ").trim();
}

function applyOptions(fields: ProductFeedFields, variant: SourceVariant, problems: Problem[]): void {
  const options = variant.selectedOptions.filter((o) => o.name && o.value && !(o.name === "Title" && o.value === DEFAULT_VARIANT_TITLE));
  if (options.length === 0) return;
  fields.variant_dict = Object.fromEntries(options.map((o) => [o.name, o.value]));
  let custom = 0;
  for (const o of options) {
    const name = o.name.trim().toLowerCase();
    if (COLOR_NAMES.has(name)) {
      if ([...o.value].length <= 40) fields.color = o.value;
      else problems.push(problem("option_too_long", { field: "color" }));
    } else if (SIZE_NAMES.has(name)) {
      if ([...o.value].length <= 20) fields.size = o.value;
      else problems.push(problem("option_too_long", { field: "size" }));
    } else if (custom < 3) {
      custom += 1;
      const n = custom as 1 | 2 | 3;
      fields[`custom_variant${n}_category`] = o.name;
      fields[`custom_variant${n}_option`] = o.value;
    }
  }
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}:${p.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Every reason a product or the feed as a whole cannot go out, in the merchant's words, with how to fix it in
// Shopify. Codes are stable (filters, tests and the push history key on them); the words may change.
// "error" blocks the variant from the feed; "warning" lets it go out but costs visibility (docs/decisions/0045).

export type Severity = "error" | "warning";

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  /** The flat feed field the problem is about. */
  field: string;
  message: string;
  fix: string;
}

interface ProblemText {
  severity: Severity;
  field: string;
  message: string;
  fix: string;
}

export const PRODUCT_PROBLEMS = {
  product_not_active: { severity: "error", field: "availability", message: "The product is not active in Shopify (draft, archived or unlisted).", fix: "Set the product status to Active in Shopify." },
  missing_title: { severity: "error", field: "title", message: "The product has no title.", fix: "Add a title to the product in Shopify." },
  title_truncated: { severity: "warning", field: "title", message: "The title is longer than 150 characters, so the feed shows a shortened title.", fix: "Shorten the product or variant title in Shopify." },
  title_all_caps: { severity: "warning", field: "title", message: "The title is written in capital letters, which agents may rank lower.", fix: "Write the product title in normal case in Shopify." },
  missing_description: { severity: "error", field: "description", message: "The product has no description.", fix: "Add a product description in Shopify." },
  description_truncated: { severity: "warning", field: "description", message: "The description is longer than 5,000 characters, so the feed shows a shortened one.", fix: "Shorten the product description in Shopify." },
  missing_url: { severity: "error", field: "url", message: "The product has no page on your online store, so buyers cannot open it.", fix: "Make the product available on the Online Store sales channel in Shopify." },
  invalid_url: { severity: "error", field: "url", message: "The product page address is not a valid web address.", fix: "Check the product's handle and your store's domain in Shopify." },
  missing_image: { severity: "error", field: "image_url", message: "The product has no image.", fix: "Add a product image in Shopify." },
  invalid_image_url: { severity: "error", field: "image_url", message: "The product image address is not a valid web address.", fix: "Replace the product image in Shopify." },
  image_format: { severity: "warning", field: "image_url", message: "The main image is not a JPEG or PNG file, which agents may not show.", fix: "Upload the main product image as JPEG or PNG in Shopify." },
  price_not_positive: { severity: "error", field: "price", message: "The price is zero.", fix: "Set a price above zero on this variant in Shopify." },
  invalid_price: { severity: "error", field: "price", message: "The price cannot be read.", fix: "Re-enter the variant's price in Shopify." },
  missing_brand: { severity: "error", field: "brand", message: "The product has no brand (vendor).", fix: "Set the product's vendor in Shopify, or a brand fallback in Feed settings." },
  brand_truncated: { severity: "warning", field: "brand", message: "The brand is longer than 70 characters, so the feed shows a shortened one.", fix: "Shorten the product's vendor in Shopify." },
  missing_gtin: { severity: "warning", field: "gtin", message: "The variant has no barcode (GTIN), so agents match it less reliably.", fix: "Add the GTIN, UPC or EAN in the variant's Barcode field in Shopify." },
  invalid_gtin: { severity: "warning", field: "gtin", message: "Barcode is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit), so it is left out of the feed.", fix: "Correct the variant's Barcode in Shopify, or clear it if the product has no GTIN." },
  duplicate_sku: { severity: "warning", field: "item_id", message: "Another variant of this product has the same SKU.", fix: "Give every variant its own SKU in Shopify." },
  missing_category: { severity: "warning", field: "product_category", message: "The product has no category, so agents may place it less well.", fix: "Choose a category in the product's Category field in Shopify." },
  option_too_long: { severity: "warning", field: "variant_dict", message: "A colour or size value is too long for the feed (colour 40, size 20 characters), so it is left out.", fix: "Shorten the option value in Shopify." },
  id_too_long: { severity: "error", field: "item_id", message: "The variant id is too long for the feed.", fix: "Contact the app's support: this should not happen with Shopify ids." },
  invalid_field: { severity: "error", field: "", message: "A feed field breaks the feed rules.", fix: "See the field named in the problem." },
} as const satisfies Record<string, ProblemText>;

export const SHOP_PROBLEMS = {
  missing_seller_name: { severity: "error", field: "seller_name", message: "The feed has no seller name.", fix: "Enter your seller name in Feed settings." },
  seller_name_too_long: { severity: "error", field: "seller_name", message: "The seller name is longer than 70 characters.", fix: "Shorten the seller name in Feed settings." },
  missing_seller_url: { severity: "error", field: "seller_url", message: "The feed has no store address (seller URL).", fix: "Enter your store's address in Feed settings." },
  invalid_seller_url: { severity: "error", field: "seller_url", message: "The seller URL is not a valid https address.", fix: "Enter your store's full address, starting with https://, in Feed settings." },
  missing_return_policy: { severity: "error", field: "return_policy", message: "The feed has no return policy link.", fix: "Add a refund policy in Shopify (Settings → Policies) or enter its address in Feed settings." },
  invalid_return_policy: { severity: "error", field: "return_policy", message: "The return policy link is not a valid web address.", fix: "Correct the return policy address in Feed settings." },
  missing_privacy_policy: { severity: "warning", field: "seller_privacy_policy", message: "There is no privacy policy link, so agents can show products but not sell them.", fix: "Add a privacy policy in Shopify (Settings → Policies) or enter its address in Feed settings." },
  missing_terms: { severity: "warning", field: "seller_tos", message: "There is no terms of service link, so agents can show products but not sell them.", fix: "Add terms of service in Shopify (Settings → Policies) or enter its address in Feed settings." },
  invalid_store_country: { severity: "error", field: "store_country", message: "The store country is not a two-letter country code.", fix: "Choose your store country in Feed settings." },
  invalid_target_countries: { severity: "error", field: "target_countries", message: "Target countries must be two-letter country codes, at least one.", fix: "Choose the countries you sell to in Feed settings." },
  invalid_gtin_metafield: { severity: "error", field: "gtin", message: "The GTIN metafield must be written as namespace.key.", fix: "Enter the metafield as namespace.key (for example custom.gtin) in Feed settings." },
} as const satisfies Record<string, ProblemText>;

export type ProductProblemCode = keyof typeof PRODUCT_PROBLEMS;
export type ShopProblemCode = keyof typeof SHOP_PROBLEMS;
export type ProblemCode = ProductProblemCode | ShopProblemCode;

const ALL: Record<string, ProblemText> = { ...PRODUCT_PROBLEMS, ...SHOP_PROBLEMS };

export function problem(code: ProblemCode, overrides: Partial<Pick<Problem, "field" | "message">> = {}): Problem {
  const text = ALL[code];
  return { code, severity: text.severity, field: overrides.field ?? text.field, message: overrides.message ?? text.message, fix: text.fix };
}

export function isBlocking(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Plain-words label for a code, for filters. */
export function problemLabel(code: string): string {
  return ALL[code]?.message ?? code;
}

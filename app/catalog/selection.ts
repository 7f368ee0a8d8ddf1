// Which products go out: the shop's rule, then the merchant's per-product choice on top (issue 3, Build 2).

export type SelectionRule = "all" | "chosen" | "tag" | "collection";

export interface ShopSelection {
  rule: SelectionRule;
  /** The tag (rule "tag") or collection GID (rule "collection"). */
  value: string | null;
}

/** The merchant's explicit choice for one product: true = include, false = exclude, undefined = follow the rule. */
export type ProductOverride = boolean | undefined;

export interface SelectableProduct {
  status: string;
  tags: string[];
  collectionIds: string[];
}

export function parseSelectionRule(value: string | null | undefined): SelectionRule {
  return value === "all" || value === "tag" || value === "collection" ? value : "chosen";
}

/** Does the shop's rule alone pick this product? "All active products" skips drafts and archived ones. */
export function ruleSelects(selection: ShopSelection, product: SelectableProduct): boolean {
  switch (selection.rule) {
    case "all":
      return product.status === "ACTIVE";
    case "tag": {
      const tag = selection.value?.trim().toLowerCase();
      return !!tag && product.status === "ACTIVE" && product.tags.some((t) => t.trim().toLowerCase() === tag);
    }
    case "collection":
      return !!selection.value && product.status === "ACTIVE" && product.collectionIds.includes(selection.value);
    case "chosen":
      return false;
  }
}

/** The merchant's explicit choice wins over the rule. */
export function isSelected(selection: ShopSelection, product: SelectableProduct, override: ProductOverride): boolean {
  return override ?? ruleSelects(selection, product);
}

/**
 * A variant goes out when its product is selected (rule, then the product's override) and the merchant has not
 * excluded that variant (issue 16). Including a variant only lifts its exclusion: it never selects its product.
 */
export function isVariantSelected(productSelected: boolean, variantExcluded: boolean): boolean {
  return productSelected && !variantExcluded;
}

export type FeedStatus = "eligible" | "needs_attention" | "excluded";

export function feedStatusOf(selected: boolean, blocking: boolean): FeedStatus {
  if (!selected) return "excluded";
  return blocking ? "needs_attention" : "eligible";
}

/** The merchant's choice on a product as the products page shows it. */
export type ProductChoice = "included" | "excluded" | "rule";

export function choiceOf(override: ProductOverride): ProductChoice {
  return override === undefined ? "rule" : override ? "included" : "excluded";
}

/** Include, exclude, or hand the products back to the shop rule: one product's toggle or a bulk action. */
export type SelectionIntent = "include" | "exclude" | "reset";

/** At most this many products per change: more than one page of the table (50) selected twice over. */
export const MAX_PRODUCTS_PER_CHANGE = 250;

const PRODUCT_GID = /^gid:\/\/shopify\/Product\/[1-9][0-9]{0,19}$/;

const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/[1-9][0-9]{0,19}$/;

export type SelectionChange =
  | { ok: true; intent: SelectionIntent; included: boolean | null; productIds: string[] }
  | { ok: false; message: string };

/** The ids of a change, each once, trimmed; or why they cannot be one (none, too many, not of the kind). */
function parseIds(values: readonly string[], gid: RegExp, noun: "product" | "variant"): { ok: true; ids: string[] } | { ok: false; message: string } {
  const ids = [...new Set(values.map((id) => id.trim()))];
  if (!ids.length) return { ok: false, message: `Choose at least one ${noun}.` };
  if (ids.length > MAX_PRODUCTS_PER_CHANGE) return { ok: false, message: `Choose at most ${MAX_PRODUCTS_PER_CHANGE} ${noun}s at a time.` };
  if (ids.some((id) => !gid.test(id))) return { ok: false, message: `One of the chosen ${noun}s is not a Shopify ${noun}.` };
  return { ok: true, ids };
}

/** Reads a selection change from the page's form values; product ids are Shopify product GIDs, each once. */
export function parseSelectionChange(intent: string, productIds: readonly string[]): SelectionChange {
  if (intent !== "include" && intent !== "exclude" && intent !== "reset") return { ok: false, message: "Unknown action." };
  const parsed = parseIds(productIds, PRODUCT_GID, "product");
  if (!parsed.ok) return parsed;
  return { ok: true, intent, included: intent === "reset" ? null : intent === "include", productIds: parsed.ids };
}

/** Exclude a selected product's variant, or let it follow its product again (a variant row's own button). */
export type VariantIntent = "exclude_variant" | "include_variant";

export type VariantChange = { ok: true; intent: VariantIntent; excluded: boolean; variantIds: string[] } | { ok: false; message: string };

/** Reads a variant change from the page's form values; variant ids are Shopify ProductVariant GIDs, each once. */
export function parseVariantChange(intent: string, variantIds: readonly string[]): VariantChange {
  if (intent !== "exclude_variant" && intent !== "include_variant") return { ok: false, message: "Unknown action." };
  const parsed = parseIds(variantIds, VARIANT_GID, "variant");
  if (!parsed.ok) return parsed;
  return { ok: true, intent, excluded: intent === "exclude_variant", variantIds: parsed.ids };
}

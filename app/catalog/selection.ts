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

export type SelectionChange =
  | { ok: true; intent: SelectionIntent; included: boolean | null; productIds: string[] }
  | { ok: false; message: string };

/** Reads a selection change from the page's form values; product ids are Shopify product GIDs, each once. */
export function parseSelectionChange(intent: string, productIds: readonly string[]): SelectionChange {
  if (intent !== "include" && intent !== "exclude" && intent !== "reset") return { ok: false, message: "Unknown action." };
  const ids = [...new Set(productIds.map((id) => id.trim()))];
  if (!ids.length) return { ok: false, message: "Choose at least one product." };
  if (ids.length > MAX_PRODUCTS_PER_CHANGE) return { ok: false, message: `Choose at most ${MAX_PRODUCTS_PER_CHANGE} products at a time.` };
  const bad = ids.find((id) => !PRODUCT_GID.test(id));
  if (bad !== undefined) return { ok: false, message: "One of the chosen products is not a Shopify product." };
  return { ok: true, intent, included: intent === "reset" ? null : intent === "include", productIds: ids };
}

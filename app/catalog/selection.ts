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

// CatalogReader on the Admin API: one `nodes(ids:)` call re-reads every requested variant (price, stock,
// titles, image) with its product's selection facts; the merchant's opt-in is decided by the caller's policy.
import type { CatalogReader, CatalogVariant } from "../checkout/ports";
import { decimalToMinor } from "../money";
import type { AdminClient } from "./admin-client";
import { CHECKOUT_VARIANTS_QUERY, type CheckoutVariantsResult, type VariantFactsNode } from "./documents/checkout";

export interface ProductSelectionFacts {
  productId: string;
  status: string;
  tags: string[];
  collectionIds: string[];
}

/** Which of these products the merchant sells through agents (selection rule + per-product choice). */
export type OptInPolicy = (products: ProductSelectionFacts[]) => Promise<Set<string>>;

const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/(\d{1,20})$/;

/** Item ids are variant GIDs (the feed's item_id); a bare numeric variant id is accepted too. */
export function variantGidOf(itemId: string): string | null {
  if (VARIANT_GID.test(itemId)) return itemId;
  if (/^\d{1,20}$/.test(itemId)) return `gid://shopify/ProductVariant/${itemId}`;
  return null;
}

/** Units that can be sold now: only bounded when Shopify tracks the item and refuses to oversell. */
export function sellableQuantity(node: Pick<VariantFactsNode, "inventoryPolicy" | "inventoryQuantity" | "inventoryItem">): number | undefined {
  if (node.inventoryPolicy === "CONTINUE" || node.inventoryItem?.tracked === false || node.inventoryQuantity === null) return undefined;
  return node.inventoryQuantity;
}

export function createShopifyCatalogReader(admin: AdminClient, options: { currency: string; optIn: OptInPolicy }): CatalogReader {
  return {
    async resolve(itemIds) {
      const result = new Map<string, CatalogVariant | null>(itemIds.map((id) => [id, null]));
      const gids = new Map<string, string[]>(); // gid → item ids that name it
      for (const itemId of itemIds) {
        const gid = variantGidOf(itemId);
        if (gid) gids.set(gid, [...(gids.get(gid) ?? []), itemId]);
      }
      if (gids.size === 0) return result;
      const { nodes } = await admin.request<CheckoutVariantsResult>(CHECKOUT_VARIANTS_QUERY, { ids: [...gids.keys()] });
      const variants = nodes.filter((n): n is VariantFactsNode => !!n && "id" in n && typeof n.id === "string" && !!n.product);
      const optedIn = await options.optIn(
        variants.map((v) => ({ productId: v.product.id, status: v.product.status ?? "ACTIVE", tags: v.product.tags ?? [], collectionIds: v.product.collections?.nodes.map((c) => c.id) ?? [] })),
      );
      for (const v of variants) {
        for (const itemId of gids.get(v.id) ?? []) {
          result.set(itemId, {
            itemId,
            variantId: v.id,
            productId: v.product.id,
            title: v.product.title,
            variantTitle: v.title === "Default Title" ? undefined : v.title,
            sku: v.sku ?? undefined,
            imageUrl: v.media?.nodes[0]?.preview?.image?.url ?? v.product.featuredMedia?.preview?.image?.url ?? undefined,
            unitAmount: decimalToMinor(v.price ?? "0", options.currency),
            currency: options.currency,
            availableForSale: v.availableForSale && (v.product.status ?? "ACTIVE") === "ACTIVE",
            inventoryQuantity: sellableQuantity(v),
            optedIn: optedIn.has(v.product.id),
          });
        }
      }
      return result;
    },
  };
}

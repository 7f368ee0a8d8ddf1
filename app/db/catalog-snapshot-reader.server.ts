// CatalogReader on the synced catalog snapshot (CatalogItem rows kept fresh by product and inventory webhooks),
// falling back to a live reader for ids the snapshot does not hold. The quote that follows re-reads price and
// stock live in the same draftOrderCalculate call, so a create without an address costs one Admin call
// (docs/decisions/0010).
import type { PrismaClient } from "@prisma/client";
import type { CatalogReader, CatalogVariant } from "../checkout/ports";
import { variantGidOf, type OptInPolicy } from "../shopify/catalog-reader";

function parseList(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

function imageOf(feedItemJson: string): string | undefined {
  try {
    const url = (JSON.parse(feedItemJson) as { image_url?: unknown }).image_url;
    return typeof url === "string" && url ? url : undefined;
  } catch {
    return undefined;
  }
}

export function createSnapshotCatalogReader(
  db: PrismaClient,
  shopId: string,
  options: { currency: string; optIn: OptInPolicy; fallback: CatalogReader },
): CatalogReader {
  return {
    async resolve(itemIds) {
      const result = new Map<string, CatalogVariant | null>(itemIds.map((id) => [id, null]));
      const gidsByItem = new Map(itemIds.map((id) => [id, variantGidOf(id)] as const));
      const gids = [...new Set([...gidsByItem.values()].filter((g): g is string => g !== null))];
      const rows = gids.length
        ? await db.catalogItem.findMany({ where: { shopId, variantId: { in: gids }, deletedAt: null, currency: { equals: options.currency.toUpperCase() } } })
        : [];
      const byVariant = new Map(rows.map((r) => [r.variantId, r]));
      const optedIn = await options.optIn(
        [...new Map(rows.map((r) => [r.productId, { productId: r.productId, status: r.productStatus, tags: parseList(r.tagsJson), collectionIds: parseList(r.collectionIdsJson) }])).values()],
      );
      const missing: string[] = [];
      for (const [itemId, gid] of gidsByItem) {
        const row = gid ? byVariant.get(gid) : undefined;
        if (!row) {
          if (gid) missing.push(itemId);
          continue;
        }
        result.set(itemId, {
          itemId,
          variantId: row.variantId,
          productId: row.productId,
          title: row.productTitle || row.title,
          variantTitle: row.variantTitle && row.variantTitle !== "Default Title" ? row.variantTitle : undefined,
          sku: row.sku ?? undefined,
          imageUrl: imageOf(row.feedItemJson),
          unitAmount: row.priceMinor,
          currency: options.currency,
          availableForSale: row.productStatus === "ACTIVE" && row.availability !== "out_of_stock",
          // Backorder (overselling allowed) and untracked items have no bound, as on the live reader.
          inventoryQuantity: row.availability === "backorder" || row.inventoryQuantity === null ? undefined : row.inventoryQuantity,
          optedIn: optedIn.has(row.productId),
        });
      }
      if (missing.length) for (const [itemId, variant] of await options.fallback.resolve(missing)) result.set(itemId, variant);
      return result;
    },
  };
}

// A product's variants evaluated for the feed: mapped fields, problems, selection and status. This is the
// domain's view of a CatalogItem row; the Prisma repository stores and reads exactly this shape.
import { createHash } from "node:crypto";
import type { SourceProduct } from "./source";
import { mapProduct, type MappingContext } from "./mapping";
import { feedStatusOf, isSelected, isVariantSelected, type ProductOverride, type ShopSelection, type FeedStatus } from "./selection";
import { isBlocking, type Problem } from "./problems";
import type { Availability, ProductFeedFields } from "./feed-item";

export interface CatalogRecord {
  variantId: string;
  productId: string;
  inventoryItemId: string | null;
  position: number;
  sku: string | null;
  title: string;
  productTitle: string;
  variantTitle: string;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  collectionIds: string[];
  productStatus: string;
  priceMinor: number;
  currency: string;
  inventoryQuantity: number | null;
  availability: Availability;
  fields: ProductFeedFields;
  /** `JSON.stringify(fields)` when already made (hashing, or read from the store): serialised once per row. */
  fieldsJson?: string;
  contentHash: string;
  selected: boolean;
  eligible: boolean;
  feedStatus: FeedStatus;
  problems: Problem[];
  shopifyUpdatedAt: Date | null;
}

/** Hash of the feed fields plus selection: what the Feed API push compares to know what changed. */
export function contentHashOf(fields: ProductFeedFields, eligible: boolean, fieldsJson = JSON.stringify(fields)): string {
  return createHash("sha256").update(fieldsJson).update(eligible ? "1" : "0").digest("base64url").slice(0, 32);
}

export function evaluateProduct(
  product: SourceProduct,
  ctx: MappingContext,
  selection: ShopSelection,
  override: ProductOverride,
  /** Variant GIDs the merchant excluded (issue 16): they stay out although their product is selected. */
  excludedVariants: ReadonlySet<string> = new Set(),
): CatalogRecord[] {
  const mapped = mapProduct(product, ctx);
  const productSelected = isSelected(selection, product, override);
  const updatedAt = product.updatedAt ? new Date(product.updatedAt) : null;
  return mapped.map((m, index) => {
    const variant = product.variants[index];
    const selected = isVariantSelected(productSelected, excludedVariants.has(variant.id));
    const blocking = isBlocking(m.problems);
    const eligible = selected && !blocking;
    const fieldsJson = JSON.stringify(m.fields);
    return {
      variantId: variant.id,
      productId: product.id,
      inventoryItemId: variant.inventoryItemId,
      position: variant.position ?? index,
      sku: variant.sku?.trim() || null,
      title: m.fields.title,
      productTitle: product.title ?? "",
      variantTitle: variant.title ?? "",
      vendor: product.vendor || null,
      productType: product.productType || null,
      tags: product.tags,
      collectionIds: product.collectionIds,
      productStatus: product.status,
      priceMinor: m.priceMinor,
      currency: ctx.shop.currency.toUpperCase(),
      inventoryQuantity: variant.tracked ? variant.inventoryQuantity : null,
      availability: m.availability,
      fields: m.fields,
      fieldsJson,
      contentHash: contentHashOf(m.fields, eligible, fieldsJson),
      selected,
      eligible,
      feedStatus: feedStatusOf(selected, blocking),
      problems: m.problems,
      shopifyUpdatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null,
    };
  });
}

/** Re-applies a selection change to stored records without re-reading Shopify. */
export function reselect(record: CatalogRecord, selected: boolean): CatalogRecord {
  const blocking = isBlocking(record.problems);
  const eligible = selected && !blocking;
  return { ...record, selected, eligible, feedStatus: feedStatusOf(selected, blocking), contentHash: contentHashOf(record.fields, eligible, record.fieldsJson) };
}

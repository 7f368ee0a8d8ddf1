// The Shopify side of the catalog: the CatalogSource port over the Admin GraphQL client. Starts and polls the
// bulk export, streams its JSONL file, re-reads single products for webhooks, reads policies for the settings.
import type { AdminClient } from "./admin-client";
import {
  CATALOG_BULK_EXPORT_QUERY,
  CATALOG_BULK_OPERATION_QUERY,
  CATALOG_BULK_RUN_MUTATION,
  CATALOG_COLLECTIONS_QUERY,
  CATALOG_INVENTORY_ITEM_PRODUCT_QUERY,
  CATALOG_PRODUCT_VARIANTS_QUERY,
  CATALOG_PRODUCTS_BY_ID_QUERY,
  CATALOG_PRODUCTS_UPDATED_SINCE_QUERY,
  type CatalogBulkExportResult,
  type CatalogBulkOperationResult,
  type CatalogCollectionsResult,
  type CatalogInventoryItemProductResult,
  type CatalogProductsByIdResult,
  type CatalogProductsUpdatedSinceResult,
  type CatalogProductVariantsResult,
  type GqlImage,
  type GqlProductNode,
  type GqlProductScalars,
  type GqlVariant,
} from "./documents/catalog";
import type { BulkOperationState, BulkStatus, CatalogSource } from "../catalog/ports";
import { groupBulkLines, readLines, type BulkGroup, type BulkReadStats } from "../catalog/bulk-jsonl";
import type { SourceImage, SourceProduct, SourceVariant, WeightUnit } from "../catalog/source";
import { gidType } from "../catalog/source";
import { parseGtinMetafield } from "../catalog/feed-settings";
import { boundedCache } from "../bounded-cache";

export interface GtinMetafieldRef { namespace: string; key: string }

/** The bulk export query with the configured GTIN metafield in place of the placeholder custom.gtin. */
export function bulkExportQuery(gtin: GtinMetafieldRef | null): string {
  const ref = gtin ?? { namespace: "custom", key: "gtin" };
  // Values are checked against ^[A-Za-z0-9_-]+$ by parseGtinMetafield, so they cannot break out of the string.
  return CATALOG_BULK_EXPORT_QUERY.replace('metafield(namespace: "custom", key: "gtin")', `metafield(namespace: ${JSON.stringify(ref.namespace)}, key: ${JSON.stringify(ref.key)})`);
}

export class ShopifyBulkError extends Error {
  constructor(message: string, readonly userErrors: unknown[] = []) {
    super(message);
    this.name = "ShopifyBulkError";
  }
}

function image(i: GqlImage | null | undefined): SourceImage | null {
  return i?.url ? { url: i.url, altText: i.altText ?? null, width: i.width ?? null, height: i.height ?? null } : null;
}

export function variantFromGql(v: GqlVariant, useGtinMetafield: boolean): SourceVariant {
  const weight = v.inventoryItem?.measurement?.weight ?? null;
  return {
    id: v.id,
    title: v.title ?? "",
    position: Number(v.position ?? 0),
    sku: v.sku ?? null,
    barcode: v.barcode ?? null,
    gtinMetafield: useGtinMetafield ? (v.gtin?.value ?? null) : null,
    price: String(v.price ?? ""),
    compareAtPrice: v.compareAtPrice === null || v.compareAtPrice === undefined ? null : String(v.compareAtPrice),
    inventoryPolicy: v.inventoryPolicy === "CONTINUE" ? "CONTINUE" : "DENY",
    inventoryQuantity: typeof v.inventoryQuantity === "number" ? v.inventoryQuantity : null,
    tracked: v.inventoryItem?.tracked ?? false,
    requiresShipping: v.inventoryItem?.requiresShipping ?? true,
    selectedOptions: (v.selectedOptions ?? []).map((o) => ({ name: String(o.name), value: String(o.value) })),
    weight: weight && typeof weight.value === "number" ? { value: weight.value, unit: weight.unit as WeightUnit } : null,
    image: null,
    inventoryItemId: v.inventoryItem?.id ?? null,
  };
}

function productFromParts(p: GqlProductScalars, images: SourceImage[], collectionIds: string[], variants: SourceVariant[]): SourceProduct {
  return {
    id: p.id,
    handle: p.handle ?? "",
    title: p.title ?? "",
    descriptionHtml: p.descriptionHtml ?? "",
    vendor: p.vendor ?? "",
    productType: p.productType ?? "",
    status: p.status ?? "ACTIVE",
    tags: Array.isArray(p.tags) ? p.tags.map(String) : [],
    onlineStoreUrl: p.onlineStoreUrl ?? null,
    updatedAt: p.updatedAt ?? null,
    categoryFullName: p.category?.fullName ?? null,
    images,
    collectionIds,
    variants: [...variants].sort((a, b) => a.position - b.position),
  };
}

/** A product from one bulk group: children are told apart by their GID type. */
export function productFromBulkGroup(group: BulkGroup, useGtinMetafield: boolean): SourceProduct | null {
  const root = group.root as unknown as GqlProductScalars;
  if (!root.id || gidType(root.id) !== "Product") return null;
  const images: SourceImage[] = [];
  const collectionIds: string[] = [];
  const variants: SourceVariant[] = [];
  for (const child of group.children) {
    const type = gidType(String(child.id ?? ""));
    if (type === "ProductVariant") variants.push(variantFromGql(child as unknown as GqlVariant, useGtinMetafield));
    else if (type === "Collection") collectionIds.push(String(child.id));
    else if (type === "MediaImage") {
      const img = image((child as { image?: GqlImage }).image);
      if (img) images.push(img);
    }
  }
  return productFromParts(root, images, collectionIds, variants);
}

export interface ShopifyCatalogSourceOptions {
  admin: AdminClient;
  /** "namespace.key" when GTINs come from a variant metafield; null for the barcode field. */
  gtinMetafield?: string | null;
  fetch?: typeof fetch;
  /** Products per `nodes` call. One product with 100 variants, 20 images and 100 collections is requested at
   * ~600 points, and a query may cost at most 1,000 (shopify.md §4.8), so the default is one. */
  productsPerCall?: number;
}

export class ShopifyCatalogSource implements CatalogSource {
  private readonly gtin: GtinMetafieldRef | null;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ShopifyCatalogSourceOptions) {
    this.gtin = options.gtinMetafield ? parseGtinMetafield(options.gtinMetafield) : null;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  private get gtinVars() {
    return { gtinNamespace: this.gtin?.namespace ?? "custom", gtinKey: this.gtin?.key ?? "gtin" };
  }

  async startBulkExport(): Promise<{ operationId: string }> {
    const res = await this.options.admin.request<CatalogBulkExportResult>(CATALOG_BULK_RUN_MUTATION, { query: bulkExportQuery(this.gtin) });
    const { bulkOperation, userErrors } = res.bulkOperationRunQuery;
    if (userErrors.length || !bulkOperation) {
      throw new ShopifyBulkError(`Shopify refused the bulk export: ${userErrors.map((e) => e.message).join("; ") || "no operation"}`, userErrors);
    }
    return { operationId: bulkOperation.id };
  }

  async bulkOperation(operationId: string): Promise<BulkOperationState> {
    const res = await this.options.admin.request<CatalogBulkOperationResult>(CATALOG_BULK_OPERATION_QUERY, { id: operationId });
    const op = res.bulkOperation;
    if (!op) return { id: operationId, status: "EXPIRED", url: null, objectCount: 0, errorCode: "NOT_FOUND" };
    return { id: op.id, status: op.status as BulkStatus, url: op.url, objectCount: Number(op.objectCount ?? 0), errorCode: op.errorCode };
  }

  async *streamBulkProducts(url: string, stats: BulkReadStats): AsyncIterable<SourceProduct> {
    const res = await this.fetchFn(url);
    if (!res.ok || !res.body) throw new ShopifyBulkError(`Downloading the bulk export failed: HTTP ${res.status}`);
    const chunks = res.body as unknown as AsyncIterable<Uint8Array>;
    for await (const group of groupBulkLines(readLines(chunks), stats)) {
      const product = productFromBulkGroup(group, !!this.gtin);
      if (product) yield product;
    }
  }

  async fetchProducts(productIds: string[]): Promise<Map<string, SourceProduct>> {
    const out = new Map<string, SourceProduct>();
    const per = this.options.productsPerCall ?? 1;
    for (let i = 0; i < productIds.length; i += per) {
      const ids = productIds.slice(i, i + per);
      const res = await this.options.admin.request<CatalogProductsByIdResult>(CATALOG_PRODUCTS_BY_ID_QUERY, { ids, ...this.gtinVars });
      for (const node of res.nodes) {
        if (!node || !("id" in node) || gidType(String(node.id)) !== "Product") continue;
        const p = node as GqlProductNode;
        const variants = [...p.variants.nodes];
        let page = p.variants.pageInfo;
        while (page.hasNextPage) {
          const more = await this.options.admin.request<CatalogProductVariantsResult>(CATALOG_PRODUCT_VARIANTS_QUERY, { id: p.id, after: page.endCursor, ...this.gtinVars });
          if (!more.product) break;
          variants.push(...more.product.variants.nodes);
          page = more.product.variants.pageInfo;
        }
        const images = p.media.nodes.map((m) => image(m.image)).filter((m): m is SourceImage => m !== null);
        out.set(p.id, productFromParts(p, images, p.collections.nodes.map((c) => c.id), variants.map((v) => variantFromGql(v, !!this.gtin))));
      }
    }
    return out;
  }

  async productIdForInventoryItem(inventoryItemId: string): Promise<string | null> {
    const res = await this.options.admin.request<CatalogInventoryItemProductResult>(CATALOG_INVENTORY_ITEM_PRODUCT_QUERY, { id: inventoryItemId });
    return res.inventoryItem?.variants?.nodes[0]?.product.id ?? null;
  }

  async *productIdsUpdatedSince(since: Date): AsyncIterable<string[]> {
    let after: string | null = null;
    const query = `updated_at:>'${since.toISOString()}'`;
    for (;;) {
      const res: CatalogProductsUpdatedSinceResult = await this.options.admin.request<CatalogProductsUpdatedSinceResult>(CATALOG_PRODUCTS_UPDATED_SINCE_QUERY, { query, after });
      const ids = res.products.nodes.map((n) => n.id);
      if (ids.length) yield ids;
      if (!res.products.pageInfo.hasNextPage) return;
      after = res.products.pageInfo.endCursor;
    }
  }
}

/** Collections for the products page's filter and the "by collection" rule. */
// The products page's collection filter: names change rarely, and reading them on every page load spent the
// shop's Admin budget on the merchant's own clicks. Kept per shop for a minute.
const COLLECTIONS_TTL_MS = 60_000;
const collectionsByShop = boundedCache<string, { expires: number; collections: Array<{ id: string; title: string }> }>({ maxEntries: 1_000, maxAgeMs: COLLECTIONS_TTL_MS });

export async function fetchCollections(admin: AdminClient, now = Date.now()): Promise<Array<{ id: string; title: string }>> {
  const cached = collectionsByShop.get(admin.shop);
  if (cached && cached.expires > now) return cached.collections;
  const res = await admin.request<CatalogCollectionsResult>(CATALOG_COLLECTIONS_QUERY);
  collectionsByShop.set(admin.shop, { expires: now + COLLECTIONS_TTL_MS, collections: res.collections.nodes });
  return res.collections.nodes;
}


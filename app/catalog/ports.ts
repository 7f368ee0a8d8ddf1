// The seams of the catalog: what sync needs from Shopify (CatalogSource), from storage (CatalogStore) and for
// progress (FeedRunLog). Adapters live in app/shopify and app/db; tests use the same adapters against the
// simulator and a real SQLite file.
import type { SourceProduct } from "./source";
import type { CatalogRecord } from "./catalog-item";
import type { BulkReadStats } from "./bulk-jsonl";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";

export interface BulkOperationState {
  id: string;
  status: BulkStatus;
  url: string | null;
  objectCount: number;
  errorCode: string | null;
}

export interface CatalogSource {
  /** Starts the bulk export of every product with its variants, images and collections. */
  startBulkExport(): Promise<{ operationId: string }>;
  bulkOperation(operationId: string): Promise<BulkOperationState>;
  /** Products from a finished export, streamed; stragglers and bad lines are counted in `stats`. */
  streamBulkProducts(url: string, stats: BulkReadStats): AsyncIterable<SourceProduct>;
  /** Current state of these products; a missing entry means Shopify no longer has the product. */
  fetchProducts(productIds: string[]): Promise<Map<string, SourceProduct>>;
  /** The product an inventory item belongs to, or null when Shopify has no such item. */
  productIdForInventoryItem(inventoryItemId: string): Promise<string | null>;
  /** Ids of products changed since `since` (reconcile). */
  productIdsUpdatedSince(since: Date): AsyncIterable<string[]>;
}

export interface StoredProduct {
  productId: string;
  records: CatalogRecord[];
}

export interface CatalogStore {
  /** The merchant's per-product choices, for the given products (all when omitted). */
  overrides(productIds?: string[]): Promise<Map<string, boolean>>;
  /** The variants the merchant excluded, of the given products (all when omitted). */
  excludedVariants(productIds?: string[]): Promise<Set<string>>;
  /** Replaces the stored variants of each product; variants not listed are marked deleted. */
  saveProducts(products: StoredProduct[], syncedAt: Date): Promise<{ changedProductIds: string[] }>;
  /** Marks every variant of these products deleted. */
  deleteProducts(productIds: string[], at: Date): Promise<number>;
  /** After a full sync: marks deleted every live row the sync did not touch. */
  deleteNotSyncedSince(syncStartedAt: Date): Promise<number>;
  productIdForInventoryItem(inventoryItemId: string): Promise<string | null>;
  /** Pages of stored products (live rows only), for re-applying selection without Shopify. */
  productPages(productIds?: string[], pageSize?: number): AsyncIterable<StoredProduct[]>;
}

export interface FeedRunLog {
  start(kind: "full_sync" | "push" | "reconcile", detail?: Record<string, unknown>): Promise<string>;
  setBulkOperation(runId: string, operationId: string): Promise<void>;
  /** Atomically moves a full sync from "export" to "import"; false when another worker already did. */
  claimImport(runId: string): Promise<boolean>;
  progress(runId: string, itemsDone: number, itemsTotal?: number): Promise<void>;
  finish(runId: string, outcome: { status: "succeeded" | "failed"; detail?: Record<string, unknown>; error?: string }): Promise<void>;
  runForBulkOperation(operationId: string): Promise<{ id: string; startedAt: Date; status: string } | null>;
}

export interface PushRecord {
  record: CatalogRecord;
  deleted: boolean;
  /** contentHash last accepted by the endpoint; "" = sent as removed; null = never sent. */
  pushedHash: string | null;
}

/** What the Feed API push needs from storage: rows whose pushed state differs from their current state. */
export interface PushStore {
  pendingPushPages(pageSize?: number): AsyncIterable<Array<{ productId: string; rows: PushRecord[] }>>;
  markPushed(entries: Array<{ variantId: string; hash: string }>): Promise<void>;
}

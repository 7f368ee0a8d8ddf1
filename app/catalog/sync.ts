// Keeping CatalogItem rows equal to Shopify: a full sync from a bulk export, incremental updates from
// webhooks, a reconcile for anything missed, and selection changes applied without asking Shopify.
import type { CatalogSource, CatalogStore, FeedRunLog, StoredProduct } from "./ports";
import { evaluateProduct, reselect, type CatalogRecord } from "./catalog-item";
import type { MappingContext } from "./mapping";
import { isSelected, isVariantSelected, type ShopSelection } from "./selection";
import { newBulkReadStats } from "./bulk-jsonl";
import type { SourceProduct } from "./source";
import { memorySerializer, type Serializer } from "../jobs/serializer";

export interface CatalogSyncDeps {
  source: CatalogSource;
  store: CatalogStore;
  runs: FeedRunLog;
  mapping: MappingContext;
  selection: ShopSelection;
  /** Called with the products whose feed rows changed (to push them to a Feed API endpoint). */
  onProductsChanged?: (productIds: string[]) => Promise<void> | void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Products per write transaction during a full sync. */
  batchSize?: number;
  /** Variants per write transaction during a full sync. */
  batchVariants?: number;
  pollIntervalMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** One re-read per product at a time (default: within this process). */
  serialize?: Serializer;
}

export type FullSyncOutcome =
  | { outcome: "SYNCED"; runId: string; products: number; variants: number; deleted: number; stragglers: number }
  | { outcome: "ALREADY_IMPORTING"; runId: string }
  | { outcome: "EXPORT_FAILED"; runId: string; error: string };

/** What the merchant chose on top of the shop rule: per product (ProductSelection) and per variant (VariantExclusion). */
interface MerchantChoices {
  overrides: Map<string, boolean>;
  excluded: ReadonlySet<string>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Re-reads of the same product run one after another (in this process by default; across instances when the
// composition passes a lease-backed serializer), so two webhooks for one product cannot store their reads out of order.
const inProcess = memorySerializer();

export class CatalogSync {
  constructor(private readonly deps: CatalogSyncDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  evaluate(product: SourceProduct, choices: MerchantChoices): CatalogRecord[] {
    return evaluateProduct(product, this.deps.mapping, this.deps.selection, choices.overrides.get(product.id), choices.excluded);
  }

  /** The merchant's per-product choices and excluded variants, for these products (all when omitted). */
  private async choices(productIds?: string[]): Promise<MerchantChoices> {
    const [overrides, excluded] = await Promise.all([this.deps.store.overrides(productIds), this.deps.store.excludedVariants(productIds)]);
    return { overrides, excluded };
  }

  /** Starts the bulk export and records it on a new run; the import happens in completeFullSync. */
  async startFullSync(): Promise<{ runId: string; operationId: string }> {
    const runId = await this.deps.runs.start("full_sync", { phase: "export" });
    try {
      const { operationId } = await this.deps.source.startBulkExport();
      await this.deps.runs.setBulkOperation(runId, operationId);
      return { runId, operationId };
    } catch (error) {
      await this.deps.runs.finish(runId, { status: "failed", error: (error as Error).message });
      throw error;
    }
  }

  /** Waits for the export (polling; the bulk_operations/finish webhook may get there first) and imports it. */
  async completeFullSync(runId: string, operationId: string, syncStartedAt = this.now()): Promise<FullSyncOutcome> {
    const { source, runs } = this.deps;
    const sleep = this.deps.sleep ?? defaultSleep;
    let op = await source.bulkOperation(operationId);
    for (let wait = this.deps.pollIntervalMs ?? 500; op.status === "CREATED" || op.status === "RUNNING"; wait = Math.min(wait * 2, 5000)) {
      await sleep(wait);
      op = await source.bulkOperation(operationId);
    }
    if (op.status !== "COMPLETED") {
      const error = `Shopify's bulk export ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`;
      await runs.finish(runId, { status: "failed", error });
      return { outcome: "EXPORT_FAILED", runId, error };
    }
    if (!(await runs.claimImport(runId))) return { outcome: "ALREADY_IMPORTING", runId };
    try {
      return await this.importExport(runId, op.url, op.objectCount, syncStartedAt);
    } catch (error) {
      await runs.finish(runId, { status: "failed", error: (error as Error).message });
      throw error;
    }
  }

  /** The whole full sync inline: export, wait, import. Sync-now, install, tests and the benchmark use it. */
  async runFullSync(): Promise<FullSyncOutcome> {
    const startedAt = this.now();
    const { runId, operationId } = await this.startFullSync();
    return this.completeFullSync(runId, operationId, startedAt);
  }

  private async importExport(runId: string, url: string | null, objectCount: number, syncStartedAt: Date): Promise<FullSyncOutcome> {
    const { source, store, runs } = this.deps;
    const batchSize = this.deps.batchSize ?? 250;
    const stats = newBulkReadStats();
    const choices = await this.choices();
    let batch: StoredProduct[] = [];
    let batchVariants = 0;
    const maxBatchVariants = this.deps.batchVariants ?? 1000;
    let products = 0;
    let variants = 0;
    const changed: string[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const result = await store.saveProducts(batch, this.now());
      changed.push(...result.changedProductIds);
      batch = [];
      batchVariants = 0;
      await runs.progress(runId, variants, objectCount);
    };
    if (url) {
      for await (const product of source.streamBulkProducts(url, stats)) {
        const records = this.evaluate(product, choices);
        batch.push({ productId: product.id, records });
        batchVariants += records.length;
        products += 1;
        variants += records.length;
        // Flush by rows as well as products: a batch of 100-variant products must not pile up in memory.
        if (batch.length >= batchSize || batchVariants >= maxBatchVariants) await flush();
      }
    }
    await flush();
    // Children that came after their product closed: read those products one by one, so none is half-synced.
    if (stats.stragglerParentIds.size) {
      const ids = [...stats.stragglerParentIds].filter((id) => id.includes("/Product/"));
      for (let i = 0; i < ids.length; i += 50) changed.push(...(await this.applyProductChanges(ids.slice(i, i + 50), false)));
    }
    const deleted = await store.deleteNotSyncedSince(syncStartedAt);
    const detail = { products, variants, deleted, stragglers: stats.stragglerParentIds.size, badLines: stats.badLines };
    await runs.finish(runId, { status: "succeeded", detail });
    if (changed.length || deleted) await this.deps.onProductsChanged?.(changed);
    return { outcome: "SYNCED", runId, products, variants, deleted, stragglers: stats.stragglerParentIds.size };
  }

  /** Re-reads these products from Shopify and stores them; products Shopify no longer has leave the feed. */
  async applyProductChanges(productIds: string[], notify = true): Promise<string[]> {
    const unique = [...new Set(productIds)];
    if (!unique.length) return [];
    if (unique.length === 1) return (this.deps.serialize ?? inProcess)(`product:${unique[0]}`, () => this.readAndStore(unique, notify));
    return this.readAndStore(unique, notify);
  }

  private async readAndStore(unique: string[], notify: boolean): Promise<string[]> {
    const found = await this.deps.source.fetchProducts(unique);
    const choices = await this.choices(unique);
    const at = this.now();
    const present = unique.filter((id) => found.has(id));
    const gone = unique.filter((id) => !found.has(id));
    const { changedProductIds } = await this.deps.store.saveProducts(
      present.map((id) => ({ productId: id, records: this.evaluate(found.get(id) as SourceProduct, choices) })),
      at,
    );
    if (gone.length) await this.deps.store.deleteProducts(gone, at);
    const changed = [...changedProductIds, ...gone];
    if (notify && changed.length) await this.deps.onProductsChanged?.(changed);
    return changed;
  }

  async deleteProducts(productIds: string[]): Promise<void> {
    const n = await this.deps.store.deleteProducts(productIds, this.now());
    if (n) await this.deps.onProductsChanged?.(productIds);
  }

  /** inventory_levels/update names an inventory item; find its product (locally first) and re-read it. */
  async applyInventoryChange(inventoryItemId: string): Promise<string[]> {
    const productId =
      (await this.deps.store.productIdForInventoryItem(inventoryItemId)) ??
      (await this.deps.source.productIdForInventoryItem(inventoryItemId));
    return productId ? this.applyProductChanges([productId]) : [];
  }

  /** Re-reads every product Shopify changed since `since` (with a margin for clock skew and slow webhooks). */
  async reconcile(since: Date, marginMs = 10 * 60_000): Promise<{ runId: string; products: number }> {
    const runId = await this.deps.runs.start("reconcile", { since: since.toISOString() });
    let products = 0;
    try {
      for await (const ids of this.deps.source.productIdsUpdatedSince(new Date(since.getTime() - marginMs))) {
        await this.applyProductChanges(ids);
        products += ids.length;
        await this.deps.runs.progress(runId, products);
      }
      await this.deps.runs.finish(runId, { status: "succeeded", detail: { products } });
      return { runId, products };
    } catch (error) {
      await this.deps.runs.finish(runId, { status: "failed", error: (error as Error).message });
      throw error;
    }
  }

  /** Selection rule, per-product choice or a variant's exclusion changed: recompute selected/eligible from stored rows. */
  async applySelection(productIds?: string[]): Promise<string[]> {
    const { store, selection } = this.deps;
    const changed: string[] = [];
    for await (const page of store.productPages(productIds)) {
      const { overrides, excluded } = await this.choices(page.map((p) => p.productId));
      const updated: StoredProduct[] = [];
      for (const p of page) {
        const first = p.records[0];
        if (!first) continue;
        const productSelected = isSelected(selection, { status: first.productStatus, tags: first.tags, collectionIds: first.collectionIds }, overrides.get(p.productId));
        const selectedOf = (variantId: string) => isVariantSelected(productSelected, excluded.has(variantId));
        if (p.records.every((r) => r.selected === selectedOf(r.variantId))) continue;
        updated.push({ productId: p.productId, records: p.records.map((r) => reselect(r, selectedOf(r.variantId))) });
      }
      if (updated.length) {
        const result = await store.saveProducts(updated, this.now());
        changed.push(...result.changedProductIds);
      }
    }
    if (changed.length) await this.deps.onProductsChanged?.(changed);
    return changed;
  }
}

// CatalogItem repository: the catalog store for sync, the pending rows for the Feed API push, the eligible
// rows for the feed files and the products page queries. Every statement filters by shopId. On SQLite every
// write to CatalogItem, and the feed file's read, go through the raw SQLite connection (app/db/libsql.server.ts):
// prepared multi-row INSERT … ON CONFLICT statements reused across rows, one synchronous transaction per batch.
// On PostgreSQL the same statements run in one interactive transaction per batch (docs/decisions/0128).
import { createHash } from "node:crypto";
import type { Db } from "../db.server";
import { sqliteFor } from "./libsql.server";
import { dialectOf, rawSql } from "./sql.server";

export type { Db };
import type { CatalogStore, PushRecord, PushStore, StoredProduct } from "../catalog/ports";
import type { CatalogRecord } from "../catalog/catalog-item";
import type { ProductFeedFields } from "../catalog/feed-item";
import type { Problem } from "../catalog/problems";
import type { FeedStatus } from "../catalog/selection";

/** Prisma's SQLite DateTime text format (with the libSQL adapter). */
export function sqlDate(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

const UPSERT_COLUMNS = [
  "id", "shopId", "variantId", "productId", "inventoryItemId", "position", "sku", "title", "productTitle", "variantTitle",
  "vendor", "productType", "tagsJson", "collectionIdsJson", "productStatus", "priceMinor", "currency", "inventoryQuantity",
  "availability", "feedItemJson", "contentHash", "selected", "eligible", "feedStatus", "problemsJson", "problemCodes",
  "shopifyUpdatedAt", "syncedAt", "deletedAt",
] as const;
const UPDATE_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => c !== "id" && c !== "shopId" && c !== "variantId")
  .map((c) => `"${c}"=excluded."${c}"`)
  .join(",");
// Rows per prepared INSERT: one statement binds this many rows; the rest of a batch goes row by row.
const ROWS_PER_STATEMENT = 25;
/** INSERT … ON CONFLICT for `rows` rows. Never overwrites a row with older Shopify data (a bulk export that
 * started before a webhook's re-read). */
function upsertSql(rows: number): string {
  const one = `(${placeholders(UPSERT_COLUMNS.length)})`;
  return `INSERT INTO "CatalogItem" (${UPSERT_COLUMNS.map((c) => `"${c}"`).join(",")}) VALUES ${Array.from({ length: rows }, () => one).join(",")}
    ON CONFLICT("shopId","variantId") DO UPDATE SET ${UPDATE_ON_CONFLICT}
    WHERE excluded."shopifyUpdatedAt" IS NULL OR "CatalogItem"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "CatalogItem"."shopifyUpdatedAt"`;
}
const UPSERT_MANY = upsertSql(ROWS_PER_STATEMENT);
const UPSERT_ONE = upsertSql(1);

interface ItemRow {
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
  tagsJson: string;
  collectionIdsJson: string;
  productStatus: string;
  priceMinor: number;
  currency: string;
  inventoryQuantity: number | null;
  availability: string;
  feedItemJson: string;
  contentHash: string;
  pushedHash: string | null;
  selected: boolean | number;
  eligible: boolean | number;
  feedStatus: string;
  problemsJson: string;
  shopifyUpdatedAt: Date | string | null;
  deletedAt: Date | string | null;
}

export function recordFromRow(row: ItemRow): CatalogRecord {
  return {
    variantId: row.variantId,
    productId: row.productId,
    inventoryItemId: row.inventoryItemId,
    position: Number(row.position),
    sku: row.sku,
    title: row.title,
    productTitle: row.productTitle,
    variantTitle: row.variantTitle,
    vendor: row.vendor,
    productType: row.productType,
    tags: JSON.parse(row.tagsJson) as string[],
    collectionIds: JSON.parse(row.collectionIdsJson) as string[],
    productStatus: row.productStatus,
    priceMinor: Number(row.priceMinor),
    currency: row.currency,
    inventoryQuantity: row.inventoryQuantity === null ? null : Number(row.inventoryQuantity),
    availability: row.availability as CatalogRecord["availability"],
    fields: JSON.parse(row.feedItemJson) as ProductFeedFields,
    fieldsJson: row.feedItemJson,
    contentHash: row.contentHash,
    selected: Boolean(row.selected),
    eligible: Boolean(row.eligible),
    feedStatus: row.feedStatus as FeedStatus,
    problems: JSON.parse(row.problemsJson) as Problem[],
    shopifyUpdatedAt: row.shopifyUpdatedAt ? new Date(row.shopifyUpdatedAt) : null,
  };
}

/** Deterministic row id: ordered inserts into the primary-key index (random UUIDs scatter them). */
function rowId(shopId: string, variantId: string): string {
  return `${shopId}:${variantId.slice(variantId.lastIndexOf("/") + 1)}`;
}

function problemCodes(problems: Problem[]): string {
  if (!problems.length) return " ";
  return ` ${[...new Set(problems.map((p) => p.code))].join(" ")} `;
}

/** Appends one row's values, in UPSERT_COLUMNS order, to `out`. */
function pushRowValues(out: unknown[], shopId: string, r: CatalogRecord, syncedAt: string): void {
  out.push(
    rowId(shopId, r.variantId), shopId, r.variantId, r.productId, r.inventoryItemId, r.position, r.sku, r.title, r.productTitle, r.variantTitle,
    r.vendor, r.productType, JSON.stringify(r.tags), JSON.stringify(r.collectionIds), r.productStatus, r.priceMinor, r.currency,
    r.inventoryQuantity, r.availability, r.fieldsJson ?? JSON.stringify(r.fields), r.contentHash, r.selected ? 1 : 0, r.eligible ? 1 : 0,
    r.feedStatus, r.problems.length ? JSON.stringify(r.problems) : "[]", problemCodes(r.problems),
    r.shopifyUpdatedAt ? sqlDate(r.shopifyUpdatedAt) : null, syncedAt, null,
  );
}

/** A statement with its arguments (`?` placeholders). */
interface Stmt {
  sql: string;
  args: unknown[];
}

function insertRecords(out: Stmt[], shopId: string, records: CatalogRecord[], at: string): void {
  let i = 0;
  for (; i + ROWS_PER_STATEMENT <= records.length; i += ROWS_PER_STATEMENT) {
    const args: unknown[] = [];
    for (let j = i; j < i + ROWS_PER_STATEMENT; j++) pushRowValues(args, shopId, records[j], at);
    out.push({ sql: UPSERT_MANY, args });
  }
  for (; i < records.length; i++) {
    const args: unknown[] = [];
    pushRowValues(args, shopId, records[i], at);
    out.push({ sql: UPSERT_ONE, args });
  }
}

/** A PostgreSQL row as SQLite's raw connection gives it (booleans 1/0, dates in Prisma's SQLite text), so
 * sameRow() compares one form. */
function sqliteForm(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return sqlDate(value);
  return value;
}

const STORED_COLUMNS = UPSERT_COLUMNS.map((c) => `"${c}"`).join(",");
const COL = Object.fromEntries(UPSERT_COLUMNS.map((c, i) => [c, i])) as Record<(typeof UPSERT_COLUMNS)[number], number>;

/** True when the stored row (UPSERT_COLUMNS order) already holds what `r` would write, syncedAt aside. */
function sameRow(stored: unknown[], shopId: string, r: CatalogRecord): boolean {
  if (stored[COL.contentHash] !== r.contentHash || stored[COL.deletedAt] !== null) return false;
  const next: unknown[] = [];
  pushRowValues(next, shopId, r, "");
  for (let i = 0; i < next.length; i++) {
    if (i === COL.id || i === COL.syncedAt) continue;
    if (stored[i] !== next[i]) return false;
  }
  return true;
}

const SOFT_DELETE = `UPDATE "CatalogItem" SET "deletedAt"=?, "syncedAt"=?, "eligible"=FALSE, "feedStatus"='excluded' WHERE "shopId"=?`;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(",");
}

export class CatalogRepository implements CatalogStore, PushStore {
  constructor(private readonly db: Db, readonly shopId: string) {}

  /**
   * One write transaction: `read` (rows as arrays, in column order), then the statements `plan` makes of them;
   * the result from the plan and each statement's changed-row count. SQLite: one synchronous burst on the raw
   * connection. PostgreSQL: one interactive transaction.
   */
  private async transact<T>(read: Stmt | null, plan: (rows: unknown[][]) => { statements: Stmt[]; result: (changes: number[]) => T }): Promise<T> {
    if (dialectOf(this.db).provider === "sqlite") {
      const sqlite = await sqliteFor(this.db);
      return sqlite.write((tx) => {
        const p = plan(read ? tx.rows(read.sql, read.args) : []);
        return p.result(p.statements.map((s) => tx.run(s.sql, s.args).changes));
      });
    }
    return this.db.$transaction(async (tx) => {
      const raw = rawSql(tx);
      const rows = read ? (await raw.query<Array<Record<string, unknown>>>(read.sql, ...read.args)).map((r) => Object.values(r).map(sqliteForm)) : [];
      const p = plan(rows);
      const changes: number[] = [];
      for (const s of p.statements) changes.push(await raw.execute(s.sql, ...s.args));
      return p.result(changes);
    });
  }

  async overrides(productIds?: string[]): Promise<Map<string, boolean>> {
    const rows = await this.db.productSelection.findMany({
      where: { shopId: this.shopId, ...(productIds ? { productId: { in: productIds } } : {}) },
      select: { productId: true, included: true },
    });
    return new Map(rows.map((r) => [r.productId, r.included]));
  }

  async excludedVariants(productIds?: string[]): Promise<Set<string>> {
    const rows = await this.db.variantExclusion.findMany({
      where: { shopId: this.shopId, ...(productIds ? { productId: { in: productIds } } : {}) },
      select: { variantId: true },
    });
    return new Set(rows.map((r) => r.variantId));
  }

  async saveProducts(products: StoredProduct[], syncedAt: Date): Promise<{ changedProductIds: string[] }> {
    if (!products.length) return { changedProductIds: [] };
    const at = sqlDate(syncedAt);
    const productIds = JSON.stringify(products.map((p) => p.productId));
    const d = dialectOf(this.db);
    // One transaction: what is stored, what changed, the writes and the vanished variants.
    const read = { sql: `SELECT ${STORED_COLUMNS} FROM "CatalogItem" WHERE "shopId"=? AND "productId" IN (${d.jsonValues("?")})`, args: [this.shopId, productIds] };
    return this.transact(read, (existing) => {
      const changed = new Set<string>();
      const before = new Map(existing.map((e) => [e[COL.variantId] as string, e]));
      const keep = new Set<string>();
      const upserts: CatalogRecord[] = [];
      // Rows equal to what is stored (every column but syncedAt): only their syncedAt moves, so a re-sync of an
      // unchanged catalog neither rebinds 29 values per row nor rewrites seven index entries.
      const unchanged: string[] = [];
      for (const p of products) {
        for (const r of p.records) {
          keep.add(r.variantId);
          const old = before.get(r.variantId);
          if (!old || old[COL.contentHash] !== r.contentHash || old[COL.deletedAt] !== null) changed.add(p.productId);
          if (old && sameRow(old, this.shopId, r)) unchanged.push(r.variantId);
          else upserts.push(r);
        }
      }
      const statements: Stmt[] = [];
      insertRecords(statements, this.shopId, upserts, at);
      if (unchanged.length) statements.push({ sql: `UPDATE "CatalogItem" SET "syncedAt"=? WHERE "shopId"=? AND "variantId" IN (${d.jsonValues("?")})`, args: [at, this.shopId, JSON.stringify(unchanged)] });
      // Variants that vanished from a product leave the feed.
      const gone = existing.filter((e) => !keep.has(e[COL.variantId] as string) && e[COL.deletedAt] === null);
      for (const e of gone) changed.add(e[COL.productId] as string);
      if (gone.length) statements.push({ sql: `${SOFT_DELETE} AND "variantId" IN (${d.jsonValues("?")})`, args: [at, at, this.shopId, JSON.stringify(gone.map((e) => e[COL.variantId]))] });
      return { statements, result: () => ({ changedProductIds: [...changed] }) };
    });
  }

  async deleteProducts(productIds: string[], at: Date): Promise<number> {
    if (!productIds.length) return 0;
    const t = sqlDate(at);
    return this.writeOne(`${SOFT_DELETE} AND "deletedAt" IS NULL AND "productId" IN (${dialectOf(this.db).jsonValues("?")})`, [t, t, this.shopId, JSON.stringify(productIds)]);
  }

  /** One statement in its own write transaction; the number of rows it changed. */
  private writeOne(sql: string, args: unknown[]): Promise<number> {
    return this.transact(null, () => ({ statements: [{ sql, args }], result: ([n]) => n }));
  }

  async deleteNotSyncedSince(syncStartedAt: Date): Promise<number> {
    const t = sqlDate(new Date());
    return this.writeOne(`${SOFT_DELETE} AND "deletedAt" IS NULL AND "syncedAt" < ?`, [t, t, this.shopId, sqlDate(syncStartedAt)]);
  }

  async productIdForInventoryItem(inventoryItemId: string): Promise<string | null> {
    const row = await this.db.catalogItem.findFirst({ where: { shopId: this.shopId, inventoryItemId }, select: { productId: true } });
    return row?.productId ?? null;
  }

  async *productPages(productIds?: string[], pageSize = 200): AsyncIterable<StoredProduct[]> {
    if (productIds) {
      for (let i = 0; i < productIds.length; i += pageSize) {
        const rows = await this.rowsForProducts(productIds.slice(i, i + pageSize));
        yield groupRows(rows.map(recordFromRow));
      }
      return;
    }
    let after = "";
    for (;;) {
      const ids = await rawSql(this.db).query<Array<{ productId: string }>>(
        `SELECT DISTINCT "productId" FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND "productId" > ? ORDER BY "productId" LIMIT ?`,
        this.shopId, after, pageSize,
      );
      if (!ids.length) return;
      after = ids[ids.length - 1].productId;
      const rows = await this.rowsForProducts(ids.map((r) => r.productId));
      yield groupRows(rows.map(recordFromRow));
    }
  }

  async rowsForProducts(productIds: string[], includeDeleted = false): Promise<ItemRow[]> {
    if (!productIds.length) return [];
    return rawSql(this.db).query<ItemRow[]>(
      `SELECT * FROM "CatalogItem" WHERE "shopId"=? ${includeDeleted ? "" : `AND "deletedAt" IS NULL`} AND "productId" IN (${placeholders(productIds.length)}) ORDER BY "productId", "position", "variantId"`,
      this.shopId, ...productIds,
    );
  }

  // ---- Feed API push ----

  async *pendingPushPages(pageSize = 100): AsyncIterable<Array<{ productId: string; rows: PushRecord[] }>> {
    let after = "";
    for (;;) {
      // A row is pending when what the endpoint last accepted differs from what it should now hold.
      const ids = await rawSql(this.db).query<Array<{ productId: string }>>(
        `SELECT DISTINCT "productId" FROM "CatalogItem" WHERE "shopId"=? AND "productId" > ? AND (
           "pushedHash" IS NULL OR "pushedHash" != CASE WHEN "eligible"=TRUE AND "deletedAt" IS NULL THEN "contentHash" ELSE '' END)
         ORDER BY "productId" LIMIT ?`,
        this.shopId, after, pageSize,
      );
      if (!ids.length) return;
      after = ids[ids.length - 1].productId;
      const rows = await this.rowsForProducts(ids.map((r) => r.productId), true);
      const byProduct = new Map<string, PushRecord[]>();
      for (const row of rows) {
        const list = byProduct.get(row.productId) ?? [];
        list.push({ record: recordFromRow(row), deleted: row.deletedAt !== null, pushedHash: row.pushedHash });
        byProduct.set(row.productId, list);
      }
      yield [...byProduct].map(([productId, list]) => ({ productId, rows: list }));
    }
  }

  async markPushed(entries: Array<{ variantId: string; hash: string }>): Promise<void> {
    if (!entries.length) return;
    const sql = `UPDATE "CatalogItem" SET "pushedHash"=? WHERE "shopId"=? AND "variantId"=?`;
    await this.transact(null, () => ({ statements: entries.map((e) => ({ sql, args: [e.hash, this.shopId, e.variantId] })), result: () => undefined }));
  }

  /** Forget what was pushed (a new endpoint or feed id): the next push sends everything live. */
  async resetPushState(): Promise<void> {
    await this.writeOne(`UPDATE "CatalogItem" SET "pushedHash"=NULL WHERE "shopId"=?`, [this.shopId]);
  }

  // ---- Feed files ----

  /** Eligible feed fields in pages of `pageSize`, keyset-paged by variant id in index order: flat memory for any
   * catalog size, and no read transaction held open while a slow client drains the feed. */
  async *eligibleFeedFields(pageSize = 1000): AsyncIterable<ProductFeedFields> {
    const sql = `SELECT "variantId", "feedItemJson" FROM "CatalogItem" WHERE "shopId"=? AND "eligible"=TRUE AND "deletedAt" IS NULL AND "variantId" > ? ORDER BY "variantId" LIMIT ?`;
    const sqlite = dialectOf(this.db).provider === "sqlite" ? await sqliteFor(this.db) : null;
    let after = "";
    for (;;) {
      const rows: Array<[variantId: string, feedItemJson: string]> = sqlite
        ? sqlite.rows(sql, [this.shopId, after, pageSize])
        : (await rawSql(this.db).query<Array<{ variantId: string; feedItemJson: string }>>(sql, this.shopId, after, pageSize)).map((r) => [r.variantId, r.feedItemJson]);
      if (!rows.length) return;
      after = rows[rows.length - 1][0];
      for (const r of rows) yield JSON.parse(r[1]) as ProductFeedFields;
      if (rows.length < pageSize) return;
    }
  }

  /** What identifies the feed's current content: row count and the latest change to any row. */
  async feedVersion(): Promise<{ eligible: number; lastChange: Date | null }> {
    const [row] = await rawSql(this.db).query<Array<{ eligible: number | bigint; lastChange: string | Date | null }>>(
      `SELECT (SELECT COUNT(*) FROM "CatalogItem" WHERE "shopId"=? AND "eligible"=TRUE AND "deletedAt" IS NULL) AS "eligible",
              (SELECT MAX("syncedAt") FROM "CatalogItem" WHERE "shopId"=?) AS "lastChange"`,
      this.shopId, this.shopId,
    );
    return { eligible: Number(row?.eligible ?? 0), lastChange: row?.lastChange ? new Date(row.lastChange) : null };
  }

  async variantRecord(variantId: string): Promise<CatalogRecord | null> {
    const rows = await rawSql(this.db).query<ItemRow[]>(
      `SELECT * FROM "CatalogItem" WHERE "shopId"=? AND "variantId"=? AND "deletedAt" IS NULL`, this.shopId, variantId,
    );
    return rows[0] ? recordFromRow(rows[0]) : null;
  }
}

function groupRows(records: CatalogRecord[]): StoredProduct[] {
  const map = new Map<string, CatalogRecord[]>();
  for (const r of records) {
    const list = map.get(r.productId) ?? [];
    list.push(r);
    map.set(r.productId, list);
  }
  return [...map].map(([productId, list]) => ({ productId, records: list }));
}

export function etagOf(parts: unknown[]): string {
  return `"${createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 27)}"`;
}

// ---- The products page ----

export interface ProductListFilters {
  status?: FeedStatus | null;
  problem?: string | null;
  vendor?: string | null;
  tag?: string | null;
  collectionId?: string | null;
  search?: string | null;
}

export interface ProductListRow {
  productId: string;
  title: string;
  vendor: string | null;
  productStatus: string;
  variantCount: number;
  minPriceMinor: number;
  maxPriceMinor: number;
  currency: string;
  inventory: number | null;
  feedStatus: FeedStatus;
  /** The product's tags and collections (what the shop rule reads), to tell whether the product itself is selected. */
  tags: string[];
  collectionIds: string[];
  imageUrl: string | null;
  variants: Array<{ variantId: string; title: string; sku: string | null; priceMinor: number; inventoryQuantity: number | null; availability: string; feedStatus: FeedStatus; problems: Problem[] }>;
  /** Problems across the product's variants, each once. */
  problems: Problem[];
}

function jsonList(json: unknown): string[] {
  try {
    const value = JSON.parse(String(json ?? "[]")) as unknown;
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE and HAVING clauses for the filters; every value is a bound parameter. Matching ignores case on both
 * databases (SQLite's LIKE does for ASCII; PostgreSQL's ILIKE). */
function filterSql(shopId: string, f: ProductListFilters, like: string): { where: string; having: string; params: unknown[] } {
  const where: string[] = [`c."shopId"=?`, `c."deletedAt" IS NULL`];
  const params: unknown[] = [shopId];
  if (f.vendor) {
    where.push(`c."vendor"=?`);
    params.push(f.vendor);
  }
  if (f.tag) {
    where.push(`c."tagsJson" ${like} ? ESCAPE '\\'`);
    params.push(`%${escapeLike(JSON.stringify(f.tag))}%`);
  }
  if (f.collectionId) {
    where.push(`c."collectionIdsJson" ${like} ? ESCAPE '\\'`);
    params.push(`%${escapeLike(JSON.stringify(f.collectionId))}%`);
  }
  if (f.problem) {
    where.push(`c."productId" IN (SELECT "productId" FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND "problemCodes" LIKE ? ESCAPE '\\')`);
    params.push(shopId, `% ${escapeLike(f.problem)} %`);
  }
  if (f.search?.trim()) {
    const q = `%${escapeLike(f.search.trim())}%`;
    where.push(`c."productId" IN (SELECT "productId" FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND ("title" ${like} ? ESCAPE '\\' OR "sku" ${like} ? ESCAPE '\\' OR "vendor" ${like} ? ESCAPE '\\'))`);
    params.push(shopId, q, q, q);
  }
  const having =
    f.status === "excluded" ? `HAVING ${ANY_SELECTED}=0`
    : f.status === "eligible" ? `HAVING ${ANY_SELECTED}=1 AND ${ALL_ELIGIBLE}=1`
    : f.status === "needs_attention" ? `HAVING ${ANY_SELECTED}=1 AND ${ALL_ELIGIBLE}=0`
    : "";
  return { where: where.join(" AND "), having, params };
}

// Aggregates over boolean columns, as integers on both databases (PostgreSQL has no MAX(boolean)). A variant the
// merchant excluded (not selected) does not make its selected product need attention.
const ANY_SELECTED = `MAX(CASE WHEN c."selected" THEN 1 ELSE 0 END)`;
const ALL_ELIGIBLE = `MIN(CASE WHEN c."eligible" OR NOT c."selected" THEN 1 ELSE 0 END)`;

export class CatalogAdminQueries {
  constructor(private readonly db: Db, readonly shopId: string) {}

  /** One page of products (grouped from variant rows), plus the total for the filters. */
  async listProducts(filters: ProductListFilters, page: number, pageSize = 50): Promise<{ rows: ProductListRow[]; total: number }> {
    const raw = rawSql(this.db);
    const { where, having, params } = filterSql(this.shopId, filters, raw.dialect.like);
    // Grouping by (productTitle, productId) follows the (shopId, productTitle, productId) index, so the page
    // is read in order and the scan stops after it.
    const groups = await raw.query<Array<Record<string, unknown>>>(
      `SELECT c."productId", MIN(c."productTitle") AS "title", MIN(c."vendor") AS "vendor", MIN(c."productStatus") AS "productStatus",
              COUNT(*) AS "variantCount", MIN(c."priceMinor") AS "minPrice", MAX(c."priceMinor") AS "maxPrice", MIN(c."currency") AS "currency",
              SUM(c."inventoryQuantity") AS "inventory", ${ANY_SELECTED} AS "selected", ${ALL_ELIGIBLE} AS "allEligible",
              MIN(c."tagsJson") AS "tagsJson", MIN(c."collectionIdsJson") AS "collectionIdsJson"
         FROM "CatalogItem" c WHERE ${where}
        GROUP BY c."productTitle", c."productId" ${having}
        ORDER BY c."productTitle", c."productId" LIMIT ? OFFSET ?`,
      ...params, pageSize, Math.max(0, page) * pageSize,
    );
    const [{ total }] = await raw.query<Array<{ total: number | bigint }>>(
      `SELECT COUNT(*) AS "total" FROM (SELECT c."productId" FROM "CatalogItem" c WHERE ${where} GROUP BY c."productTitle", c."productId" ${having}) AS p`,
      ...params,
    );
    const ids = groups.map((g) => String(g.productId));
    const variantRows = ids.length
      ? await raw.query<Array<Record<string, unknown>>>(
          `SELECT "variantId", "productId", "variantTitle", "title", "sku", "priceMinor", "inventoryQuantity", "availability", "feedStatus", "problemsJson", "feedItemJson"
             FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND "productId" IN (${placeholders(ids.length)}) ORDER BY "productId", "position"`,
          this.shopId, ...ids,
        )
      : [];
    const byProduct = new Map<string, ProductListRow["variants"]>();
    const images = new Map<string, string>();
    for (const v of variantRows) {
      const pid = String(v.productId);
      const list = byProduct.get(pid) ?? [];
      list.push({
        variantId: String(v.variantId),
        title: String(v.variantTitle || v.title),
        sku: (v.sku as string | null) ?? null,
        priceMinor: Number(v.priceMinor),
        inventoryQuantity: v.inventoryQuantity === null ? null : Number(v.inventoryQuantity),
        availability: String(v.availability),
        feedStatus: v.feedStatus as FeedStatus,
        problems: JSON.parse(String(v.problemsJson)) as Problem[],
      });
      byProduct.set(pid, list);
      if (!images.has(pid)) {
        const img = (JSON.parse(String(v.feedItemJson)) as ProductFeedFields).image_url;
        if (img) images.set(pid, img);
      }
    }
    const rows: ProductListRow[] = groups.map((g) => {
      const productId = String(g.productId);
      const variants = byProduct.get(productId) ?? [];
      const seen = new Set<string>();
      const problems = variants.flatMap((v) => v.problems).filter((p) => (seen.has(p.code) ? false : (seen.add(p.code), true)));
      const selected = Number(g.selected) === 1;
      return {
        productId,
        title: String(g.title),
        vendor: (g.vendor as string | null) ?? null,
        productStatus: String(g.productStatus),
        variantCount: Number(g.variantCount),
        minPriceMinor: Number(g.minPrice),
        maxPriceMinor: Number(g.maxPrice),
        currency: String(g.currency),
        inventory: g.inventory === null ? null : Number(g.inventory),
        feedStatus: !selected ? "excluded" : Number(g.allEligible) === 1 ? "eligible" : "needs_attention",
        tags: jsonList(g.tagsJson),
        collectionIds: jsonList(g.collectionIdsJson),
        imageUrl: images.get(productId) ?? null,
        variants,
        problems,
      };
    });
    return { rows, total: Number(total) };
  }

  /** Product counts per feed status, for the page's tabs. */
  async statusCounts(): Promise<Record<FeedStatus | "all", number>> {
    const rows = await rawSql(this.db).query<Array<{ status: FeedStatus; n: number | bigint }>>(
      `SELECT CASE WHEN p.sel=0 THEN 'excluded' WHEN p.allel=1 THEN 'eligible' ELSE 'needs_attention' END AS "status", COUNT(*) AS "n"
         FROM (SELECT ${ANY_SELECTED} AS sel, ${ALL_ELIGIBLE} AS allel FROM "CatalogItem" c WHERE c."shopId"=? AND c."deletedAt" IS NULL GROUP BY c."productId") AS p
        GROUP BY 1`,
      this.shopId,
    );
    const out = { all: 0, eligible: 0, needs_attention: 0, excluded: 0 };
    for (const r of rows) {
      out[r.status] = Number(r.n);
      out.all += Number(r.n);
    }
    return out;
  }

  /** Problem codes present in the catalog with the number of variants having each. */
  async problemCounts(): Promise<Array<{ code: string; variants: number }>> {
    const raw = rawSql(this.db);
    const rows = await raw.query<Array<{ code: string; n: number | bigint }>>(
      `SELECT ${raw.dialect.jsonText("j.value", "code")} AS "code", COUNT(*) AS "n" FROM "CatalogItem" c, ${raw.dialect.jsonEach(`c."problemsJson"`, "j")}
        WHERE c."shopId"=? AND c."deletedAt" IS NULL AND c."problemCodes" != ' ' GROUP BY 1 ORDER BY 2 DESC, 1`,
      this.shopId,
    );
    return rows.map((r) => ({ code: r.code, variants: Number(r.n) }));
  }

  async vendors(): Promise<string[]> {
    const rows = await rawSql(this.db).query<Array<{ vendor: string }>>(
      `SELECT DISTINCT "vendor" FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND "vendor" IS NOT NULL ORDER BY "vendor" LIMIT 500`,
      this.shopId,
    );
    return rows.map((r) => r.vendor);
  }

  async tags(limit = 500): Promise<string[]> {
    const raw = rawSql(this.db);
    const rows = await raw.query<Array<{ tag: string }>>(
      `SELECT DISTINCT j.value AS "tag" FROM "CatalogItem" c, ${raw.dialect.jsonEach(`c."tagsJson"`, "j")} WHERE c."shopId"=? AND c."deletedAt" IS NULL AND c."tagsJson" != '[]' ORDER BY 1 LIMIT ?`,
      this.shopId, limit,
    );
    return rows.map((r) => r.tag);
  }
}

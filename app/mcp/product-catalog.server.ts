// ProductCatalog on the synced CatalogItem rows: only `eligible` rows of the key's shop, in the shop's currency,
// never an Admin call (docs/decisions/0094). Products page by (productTitle, productId), which the
// (shopId, productTitle, productId) index serves; text matches every word in title, brand, type, tags or SKU.
import type { PrismaClient } from "@prisma/client";
import { rawSql } from "../db/sql.server";
import { parseFeedPrice } from "../catalog/money";
import { asAvailability, productOf, type Product, type ProductCatalog, type ProductSearch, type ProductVariant } from "./products";

interface Row {
  variantId: string;
  productId: string;
  sku: string | null;
  title: string;
  productTitle: string;
  variantTitle: string;
  vendor: string | null;
  priceMinor: number;
  currency: string;
  inventoryQuantity: number | null;
  availability: string;
  feedItemJson: string;
}

interface FeedRow {
  description?: string;
  url?: string;
  image_url?: string;
  price?: string;
  sale_price?: string;
  variant_dict?: Record<string, string>;
  item_group_title?: string;
}

// Quoted identifiers and TRUE: the same statements on SQLite and PostgreSQL (app/db/sql.server.ts).
const COLUMNS = `"variantId", "productId", "sku", "title", "productTitle", "variantTitle", "vendor", "priceMinor", "currency", "inventoryQuantity", "availability", "feedItemJson"`;
const SELLABLE = `"shopId" = ? AND "eligible" = TRUE AND "deletedAt" IS NULL AND "currency" = ?`;
const TEXT_COLUMNS = ["productTitle", "title", "vendor", "productType", "tagsJson", "sku"];
const MAX_WORDS = 8;
const DESCRIPTION_CHARS = 300;

function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filters(query: ProductSearch, like: string): { sql: string; args: unknown[] } {
  const parts = [SELLABLE];
  const args: unknown[] = [query.shopId, query.currency.toUpperCase()];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    args.push(...values);
  };
  if (query.minPrice !== undefined) add(`"priceMinor" >= ?`, query.minPrice);
  if (query.maxPrice !== undefined) add(`"priceMinor" <= ?`, query.maxPrice);
  if (query.availability?.length) add(`"availability" IN (${query.availability.map(() => "?").join(",")})`, ...query.availability);
  const words = (query.text ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  for (const word of words) add(`(${TEXT_COLUMNS.map((c) => `"${c}" ${like} ? ESCAPE '\\'`).join(" OR ")})`, ...TEXT_COLUMNS.map(() => likePattern(word)));
  return { sql: parts.join(" AND "), args };
}

function feedRow(json: string): FeedRow {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === "object" ? (value as FeedRow) : {};
  } catch {
    return {};
  }
}

function httpUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\//i.test(value) ? value : undefined;
}

function variantOf(row: Row, feed: FeedRow): ProductVariant {
  const regular = feed.sale_price && feed.price ? parseFeedPrice(feed.price) : null;
  const title = row.variantTitle && row.variantTitle !== "Default Title" ? row.variantTitle : row.productTitle || row.title;
  return {
    item_id: row.variantId,
    title,
    ...(row.sku ? { sku: row.sku } : {}),
    price: Number(row.priceMinor),
    ...(regular && regular.minor > Number(row.priceMinor) ? { regular_price: regular.minor } : {}),
    availability: asAvailability(row.availability),
    ...(row.inventoryQuantity !== null && row.availability !== "backorder" ? { inventory_quantity: Math.max(0, Number(row.inventoryQuantity)) } : {}),
    options: Object.entries(feed.variant_dict ?? {}).map(([name, value]) => ({ name, value: String(value) })),
    ...(httpUrl(feed.image_url) ? { image_url: feed.image_url } : {}),
  };
}

function productsOf(rows: Row[], currency: string): Product[] {
  const byProduct = new Map<string, Row[]>();
  for (const row of rows) byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row]);
  return [...byProduct.values()].map((group) => {
    const first = group[0];
    const feed = feedRow(first.feedItemJson);
    const description = (feed.description ?? "").trim();
    return productOf(
      {
        id: first.productId,
        title: first.productTitle || feed.item_group_title || first.title,
        ...(first.vendor ? { brand: first.vendor } : {}),
        description: description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS - 1).trimEnd()}…` : description,
        ...(httpUrl(feed.url) ? { url: feed.url } : {}),
        ...(httpUrl(feed.image_url) ? { image_url: feed.image_url } : {}),
        currency: currency.toLowerCase(),
      },
      group.map((row) => variantOf(row, feedRow(row.feedItemJson))),
    );
  });
}

export function createPrismaProductCatalog(db: PrismaClient): ProductCatalog {
  const raw = rawSql(db);
  return {
    async search(query) {
      const where = filters(query, raw.dialect.like);
      const after = query.after ? ` AND ("productTitle" > ? OR ("productTitle" = ? AND "productId" > ?))` : "";
      const afterArgs = query.after ? [query.after.title, query.after.title, query.after.productId] : [];
      const page = await raw.query<Array<{ productId: string; productTitle: string }>>(
        `SELECT "productId", "productTitle" FROM "CatalogItem" WHERE ${where.sql}${after} GROUP BY "productTitle", "productId" ORDER BY "productTitle", "productId" LIMIT ?`,
        ...where.args, ...afterArgs, query.limit + 1,
      );
      const more = page.length > query.limit;
      const ids = page.slice(0, query.limit);
      if (!ids.length) return { products: [], more: false };
      // The variants that matched, so a price or availability filter shows only what satisfies it.
      const rows = await raw.query<Row[]>(
        `SELECT ${COLUMNS} FROM "CatalogItem" WHERE ${where.sql} AND "productId" IN (${ids.map(() => "?").join(",")}) ORDER BY "productTitle", "productId", "position", "variantId"`,
        ...where.args, ...ids.map((r) => r.productId),
      );
      const last = ids[ids.length - 1];
      return { products: productsOf(rows, query.currency), last: { title: last.productTitle, productId: last.productId }, more };
    },

    async product(shopId, currency, id) {
      const rows = await raw.query<Row[]>(
        `SELECT ${COLUMNS} FROM "CatalogItem" WHERE ${SELLABLE} AND "productId" = (
           SELECT "productId" FROM "CatalogItem" WHERE ${SELLABLE} AND ("productId" = ? OR "variantId" = ?) LIMIT 1
         ) ORDER BY "position", "variantId"`,
        shopId, currency.toUpperCase(), shopId, currency.toUpperCase(), id, id,
      );
      return rows.length ? productsOf(rows, currency)[0] : null;
    },
  };
}

// Bulk fixtures for the admin's tests and benchmark: agent orders with their checkout sessions and order events,
// and catalog rows, written with multi-row INSERTs in one transaction (100,000 rows in seconds, not minutes).
import type { PrismaClient } from "@prisma/client";
import { sqlDate } from "../../app/db/catalog.server";
import { rawSql } from "../../app/db/sql.server";

const ROWS_PER_STATEMENT = 100;

async function insertRows(db: PrismaClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const tuple = `(${columns.map(() => "?").join(",")})`;
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        await rawSql(tx).execute(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${chunk.map(() => tuple).join(",")}`, ...chunk.flat());
      }
    },
    { timeout: 600_000 },
  );
}

const BUYERS = [
  ["Ann", "Lee"],
  ["Bo", "Chen"],
  ["Carla", "Diaz"],
  ["Dev", "Patel"],
  ["Eve", "Moreau"],
];
const STATUSES = ["confirmed", "confirmed", "shipped", "completed", "canceled", "processing"];
const REASONS = ["shipping_cost", "price_sensitivity", "comparison", "timing_deferred", null];

export interface SeedOrdersOptions {
  shopId: string;
  count: number;
  /** Extra sessions that ended without an order (canceled with a reason, or expired). */
  abandoned?: number;
  /** The newest order's time; older ones step back `spacingMs` each. */
  now?: Date;
  spacingMs?: number;
  prefix?: string;
}

function sessionState(id: string, shopId: string, i: number, createdAt: Date, totalMinor: number, status: string) {
  const [firstName, lastName] = BUYERS[i % BUYERS.length];
  return JSON.stringify({
    id,
    shopId,
    apiVersion: "2026-04-17",
    status,
    currency: "usd",
    requestedLines: [{ itemId: `gid://shopify/ProductVariant/${1000 + (i % 50)}`, quantity: 1 + (i % 3) }],
    lines: [{ id: `li_${i}`, itemId: `gid://shopify/ProductVariant/${1000 + (i % 50)}`, variantId: `gid://shopify/ProductVariant/${1000 + (i % 50)}`, productId: "gid://shopify/Product/1", quantity: 1 + (i % 3), name: `Trail Shoe ${i % 50}`, unitAmount: 2500, baseAmount: 2500, discount: 0, subtotal: totalMinor - 500, tax: 0, total: totalMinor - 500, availability: "in_stock" }],
    buyer: { firstName, lastName, email: `${firstName.toLowerCase()}.${i}@example.com` },
    fulfillmentDetails: { name: `${firstName} ${lastName}`, address: { name: `${firstName} ${lastName}`, lineOne: `${i} Main St`, city: "Austin", state: "TX", country: "US", postalCode: "78701" } },
    fulfillmentOptions: [{ id: "ship_std", type: "shipping", title: "Standard", subtotal: 500, tax: 0, total: 500 }],
    selectedFulfillmentOptionId: "ship_std",
    totals: { itemsBaseAmount: totalMinor - 500, itemsDiscount: 0, subtotal: totalMinor - 500, discount: 0, fulfillment: 500, tax: 0, fee: 0, total: totalMinor },
    messages: [],
    links: [],
    discountCodes: [],
    appliedDiscounts: [],
    rejectedDiscounts: [],
    interventionsSupported: [],
    continueUrl: "https://example.com/cart",
    createdAt: createdAt.toISOString(),
    updatedAt: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + 6 * 3_600_000).toISOString(),
    revision: 3,
  });
}

/** Agent orders with their completed sessions and one order event each (delivered, failed or pending). */
export async function seedAgentOrders(db: PrismaClient, o: SeedOrdersOptions): Promise<void> {
  const now = o.now ?? new Date();
  const spacing = o.spacingMs ?? 60_000;
  const prefix = o.prefix ?? "seed";
  const sessions: unknown[][] = [];
  const orders: unknown[][] = [];
  const events: unknown[][] = [];
  for (let i = 0; i < o.count; i++) {
    const at = new Date(now.getTime() - i * spacing);
    const t = sqlDate(at);
    const sessionId = `cs_${prefix}_${i}`;
    const orderId = `ao_${prefix}_${String(i).padStart(6, "0")}`;
    const totalMinor = 2500 * (1 + (i % 3)) + 500;
    sessions.push([sessionId, o.shopId, "2026-04-17", "completed", "usd", sessionState(sessionId, o.shopId, i, at, totalMinor, "completed"), totalMinor, 3, `pi_${prefix}_${i}`, `gid://shopify/Order/${100000 + i}`, t, t, sqlDate(new Date(at.getTime() + 6 * 3_600_000)), t]);
    const status = STATUSES[i % STATUSES.length];
    orders.push([orderId, o.shopId, sessionId, `gid://shopify/Order/${100000 + i}`, `#${1001 + i}`, `https://shop.example/orders/${i}`, status, totalMinor, i % 10 === 0 ? 500 : 0, "usd", `pi_${prefix}_${i}`, i % 2 ? "ChatGPT" : "Perplexity", t, t, JSON.stringify({ financialStatus: "paid" }), 1]);
    const kind = i % 7 === 0 ? "failed" : i % 11 === 0 ? "pending" : "delivered";
    events.push([`ev_${prefix}_${i}`, o.shopId, "order_event", orderId, JSON.stringify({ body: { type: "order_create", data: { id: `gid://shopify/Order/${100000 + i}`, status } } }), kind === "pending" ? 0 : 1, t, kind === "delivered" ? t : null, kind === "failed" ? t : null, kind === "failed" ? "HTTP 503" : null, t]);
  }
  for (let j = 0; j < (o.abandoned ?? 0); j++) {
    const at = new Date(now.getTime() - j * spacing - spacing / 2);
    const t = sqlDate(at);
    const id = `cs_${prefix}_a${j}`;
    const reason = REASONS[j % REASONS.length];
    const canceled = j % 4 !== 3;
    sessions.push([id, o.shopId, "2026-04-17", canceled ? "canceled" : "expired", "usd", sessionState(id, o.shopId, j, at, 3000, canceled ? "canceled" : "expired"), 3000, 2, null, null, t, t, sqlDate(new Date(at.getTime() + 3_600_000)), null,
      canceled && reason ? JSON.stringify({ reason_code: reason }) : null, canceled ? t : null]);
  }
  const base = ["id", "shopId", "apiVersion", "status", "currency", "stateJson", "totalMinor", "revision", "paymentIntentId", "shopifyOrderId", "createdAt", "updatedAt", "expiresAt", "completedAt"];
  await insertRows(db, "CheckoutSession", base, sessions.filter((r) => r.length === base.length));
  await insertRows(db, "CheckoutSession", [...base, "intentTraceJson", "canceledAt"], sessions.filter((r) => r.length === base.length + 2));
  await insertRows(db, "AgentOrder", ["id", "shopId", "checkoutSessionId", "shopifyOrderId", "orderName", "statusUrl", "status", "totalMinor", "refundedMinor", "currency", "paymentIntentId", "agentName", "createdAt", "updatedAt", "shopifyOrderJson", "eventsSent"], orders);
  await insertRows(db, "OutboxEvent", ["id", "shopId", "type", "aggregateId", "payloadJson", "attempts", "nextAttemptAt", "deliveredAt", "deadAt", "lastError", "createdAt"], events);
}

/** `variants` catalog rows in products of `perProduct` variants; every 9th product needs attention. */
export async function seedCatalogItems(db: PrismaClient, shopId: string, variants: number, perProduct = 4): Promise<void> {
  const rows: unknown[][] = [];
  const t = sqlDate(new Date());
  for (let i = 0; i < variants; i++) {
    const p = Math.floor(i / perProduct);
    const blocked = p % 9 === 0;
    const feed = JSON.stringify({ item_id: `gid://shopify/ProductVariant/${i}`, title: `Product ${p} - ${i % perProduct}`, image_url: `https://cdn.example/p${p}.jpg`, price: "25.00 USD" });
    rows.push([
      `ci_${shopId}_${String(i).padStart(7, "0")}`, shopId, `gid://shopify/ProductVariant/${i}`, `gid://shopify/Product/${p}`, i % perProduct, `SKU-${i}`,
      `Product ${String(p).padStart(6, "0")} - Size ${i % perProduct}`, `Product ${String(p).padStart(6, "0")}`, `Size ${i % perProduct}`, `Vendor ${p % 40}`,
      2500 + (i % 7) * 100, "USD", 10 + (i % 5), "in_stock", feed, `h${i}`, 1, blocked ? 0 : 1, blocked ? "needs_attention" : "eligible",
      blocked ? JSON.stringify([{ code: "missing_image", severity: "error", field: "image_url", message: "The product has no image.", fix: "Add a product image in Shopify." }]) : "[]",
      blocked ? " missing_image " : " ", t,
    ]);
  }
  await insertRows(db, "CatalogItem", [
    "id", "shopId", "variantId", "productId", "position", "sku", "title", "productTitle", "variantTitle", "vendor", "priceMinor", "currency", "inventoryQuantity",
    "availability", "feedItemJson", "contentHash", "selected", "eligible", "feedStatus", "problemsJson", "problemCodes", "syncedAt",
  ], rows);
}

// What each Shopify webhook topic does, in one table: the receiver (receive.server.ts) runs it right after the
// delivery is persisted, and the outbox worker runs it again when that first attempt failed or ran out of time
// (docs/decisions/0138). Each handler re-reads durable state, so a second run is harmless.
import type { CatalogServices } from "../catalog/context.server";
import { catalogContextFor } from "../catalog/context.server";
import type { CatalogContext } from "../catalog/service.server";
import { handleBulkFinishWebhook, handleInventoryWebhook, handleProductsWebhook } from "../catalog/webhooks.server";
import { handleOrderWebhook } from "../orders/webhook-handler.server";
import { onAppUninstalled, onCustomerDataRequest, onCustomerRedact, onScopesUpdate, onShopRedact } from "./lifecycle.server";

export interface WebhookContext {
  shopDomain: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

export type WebhookHandler = (ctx: WebhookContext) => Promise<void>;

type CustomerPayload = Parameters<typeof onCustomerRedact>[3];

export function webhookHandlers(services: CatalogServices): Record<string, WebhookHandler> {
  const { db } = services;
  const catalog = (work: (c: CatalogContext, ctx: WebhookContext) => Promise<void>): WebhookHandler => async (ctx) => {
    const c = await catalogContextFor(services, ctx.shopDomain);
    if (c) await work(c, ctx);
  };
  const products = catalog((c, ctx) => handleProductsWebhook(c, ctx.topic, ctx.payload));
  const orders: WebhookHandler = async (ctx) => void (await handleOrderWebhook({ db }, { shopDomain: ctx.shopDomain, topic: ctx.topic, payload: ctx.payload }));
  return {
    "app/uninstalled": (ctx) => onAppUninstalled(db, ctx.shopDomain),
    "app/scopes_update": (ctx) => onScopesUpdate(db, ctx.shopDomain, ctx.payload as { current?: string[] }),
    "bulk_operations/finish": catalog((c, ctx) => handleBulkFinishWebhook(c, ctx.payload)),
    "customers/data_request": async (ctx) => void (await onCustomerDataRequest(db, ctx.shopDomain, ctx.webhookId, ctx.payload as CustomerPayload)),
    "customers/redact": async (ctx) => void (await onCustomerRedact(db, ctx.shopDomain, ctx.webhookId, ctx.payload as CustomerPayload)),
    "shop/redact": async (ctx) => void (await onShopRedact(db, ctx.shopDomain, ctx.webhookId)),
    "inventory_levels/update": catalog((c, ctx) => handleInventoryWebhook(c, ctx.payload)),
    "orders/create": orders,
    "orders/updated": orders,
    "orders/cancelled": orders,
    "fulfillments/create": orders,
    "fulfillments/update": orders,
    "refunds/create": orders,
    "products/create": products,
    "products/update": products,
    "products/delete": products,
  };
}

/**
 * The queue's ordering key: deliveries about one product, inventory item or order are handled oldest first, one at
 * a time across instances (the outbox's per-aggregate order); others (compliance, bulk finish) need none.
 */
export function webhookAggregate(topic: string, payload: unknown): string | null {
  const body = (payload ?? {}) as Record<string, unknown>;
  const id = (value: unknown) => (typeof value === "number" || typeof value === "string" ? String(value).slice(0, 100) : null);
  const key = (kind: string, value: unknown) => (id(value) ? `${kind}:${id(value)}` : null);
  if (topic.startsWith("products/")) return key("product", body.id);
  if (topic === "inventory_levels/update") return key("inventory_item", body.inventory_item_id);
  if (topic.startsWith("orders/")) return key("order", body.id);
  if (topic.startsWith("fulfillments/") || topic === "refunds/create") return key("order", body.order_id);
  if (topic.startsWith("app/")) return "app";
  return null;
}

/** The outbox type of a queued Shopify delivery. */
export const SHOPIFY_WEBHOOK = "shopify_webhook";

/**
 * Topics whose work calls Shopify or may take long (catalog re-reads, bulk imports, order snapshots and refunds):
 * persisted, then processed from the queue. Lifecycle and compliance topics are database-only and quick; they run
 * inline, as before (a failure answers 500 and Shopify retries).
 */
export const QUEUED_TOPICS: ReadonlySet<string> = new Set([
  "products/create", "products/update", "products/delete", "inventory_levels/update", "bulk_operations/finish",
  "orders/create", "orders/updated", "orders/cancelled", "fulfillments/create", "fulfillments/update", "refunds/create",
]);

/**
 * The outbox handler of queued deliveries: runs the topic's handler; once it succeeded the queued delivery is
 * removed (its payload may carry buyer data; the receipt stays for deduplication).
 */
export function webhookOutboxHandler(services: CatalogServices, handlers = webhookHandlers(services)) {
  return async (event: { id: string; payloadJson: string }): Promise<{ ok: true } | { ok: false; error: string; permanent?: boolean }> => {
    const ctx = JSON.parse(event.payloadJson) as WebhookContext;
    const handler = handlers[ctx.topic];
    if (!handler) return { ok: false, error: `No handler for topic ${String(ctx.topic).slice(0, 60)}`, permanent: true };
    await handler(ctx);
    await services.db.outboxEvent.deleteMany({ where: { id: event.id } });
    return { ok: true };
  };
}

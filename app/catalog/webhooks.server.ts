// Shopify catalog webhooks → catalog updates. The lead's receiveWebhook has checked the HMAC and claimed the
// webhook id before these run; they re-read the product from Shopify (the payload may be stale or partial).
import { catalogFor, inBackground, type CatalogContext } from "./service.server";

function productGid(payload: Record<string, unknown>): string | null {
  const gid = payload.admin_graphql_api_id;
  if (typeof gid === "string" && gid.startsWith("gid://shopify/Product/")) return gid;
  const id = payload.id;
  return typeof id === "number" || (typeof id === "string" && /^\d+$/.test(id)) ? `gid://shopify/Product/${id}` : null;
}

/** "products/update", "PRODUCTS_UPDATE", "products_update" → "update". */
function action(topic: string): string {
  return topic.toLowerCase().replace(/^products[/_]/, "");
}

export async function handleProductsWebhook(ctx: CatalogContext, topic: string, payload: unknown): Promise<void> {
  const body = (payload ?? {}) as Record<string, unknown>;
  const id = productGid(body);
  if (!id) return;
  const { sync } = catalogFor(ctx);
  if (action(topic) === "delete") await sync.deleteProducts([id]);
  else await sync.applyProductChanges([id]);
}

export async function handleInventoryWebhook(ctx: CatalogContext, payload: unknown): Promise<void> {
  const body = (payload ?? {}) as Record<string, unknown>;
  const raw = body.inventory_item_id ?? body.admin_graphql_api_id;
  if (raw === undefined || raw === null) return;
  const id = String(raw).startsWith("gid://") ? String(raw) : `gid://shopify/InventoryItem/${raw}`;
  // inventory_levels/update's admin_graphql_api_id names the InventoryLevel; the item id is what we route on.
  if (!id.includes("/InventoryItem/")) return;
  await catalogFor(ctx).sync.applyInventoryChange(id);
}

/** bulk_operations/finish: import the export now (the "sync now" poller may get there first; one wins). */
export async function handleBulkFinishWebhook(ctx: CatalogContext, payload: unknown): Promise<void> {
  const body = (payload ?? {}) as Record<string, unknown>;
  const operationId = typeof body.admin_graphql_api_id === "string" ? body.admin_graphql_api_id : null;
  if (!operationId) return;
  const { sync, runs } = catalogFor(ctx);
  const run = await runs.runForBulkOperation(operationId);
  if (!run || run.status !== "running") return;
  // The import can take longer than Shopify waits for a webhook answer: run it after responding.
  inBackground(sync.completeFullSync(run.id, operationId, run.startedAt), "catalog import after bulk_operations/finish");
}

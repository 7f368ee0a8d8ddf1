// What a signed Shopify delivery must also satisfy before it is handled (docs/decisions/0101). Shopify's HMAC covers
// the body only: whoever captured a delivery can change the topic, shop, ids and timestamps in its headers. So the
// route's topics, the payload's own shop, the payload's shape for its topic, and the delivery's age are checked here.
// Pure: no framework, no database.

/** Shopify retries a failed delivery 8 times over 4 hours with its original X-Shopify-Triggered-At
 *  (shopify.dev/changelog/updates-to-webhook-retry-mechanism); older than this is a replay, not a retry. */
export const MAX_DELIVERY_AGE_MS = 6 * 3600_000;
/** Clocks differ; a delivery "from the future" beyond this is refused too. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

type Check = (payload: Record<string, unknown>) => string | null;

const has = (...keys: string[]): Check => (p) => {
  const missing = keys.filter((k) => p[k] === undefined || p[k] === null);
  return missing.length ? `the payload lacks ${missing.join(", ")}` : null;
};
const lacks = (...keys: string[]): Check => (p) => {
  const present = keys.filter((k) => k in p);
  return present.length ? `the payload carries ${present.join(", ")}, which this topic never does` : null;
};

/** Where a topic's payload names its shop (Shopify's payload references for each topic). */
const SHOP_FIELD: Record<string, string> = {
  "app/uninstalled": "myshopify_domain",
  "shop/redact": "shop_domain",
  "customers/redact": "shop_domain",
  "customers/data_request": "shop_domain",
};

/** The fields each topic always carries, and the fields that give away another topic's body. The compliance
 *  bodies are near-identical, so a customers/redact body replayed as shop/redact is told apart by its customer. */
const SHAPES: Record<string, Check[]> = {
  "app/uninstalled": [has("id", "myshopify_domain")],
  "app/scopes_update": [has("previous", "current")],
  "shop/redact": [has("shop_id", "shop_domain"), lacks("customer", "orders_to_redact", "orders_requested", "data_request")],
  // A data request's body replayed as a redaction would erase a buyer who only asked for their data.
  "customers/redact": [has("shop_id", "shop_domain", "customer", "orders_to_redact"), lacks("data_request")],
  "customers/data_request": [has("shop_id", "shop_domain", "customer", "orders_requested", "data_request")],
  // The product itself is reread from the Admin API (docs/decisions/0049): only its id is taken from the body.
  "products/create": [has("id")],
  "products/update": [has("id")],
  // A delete is {id} alone: a product body under this topic would delete a product that still exists.
  "products/delete": [has("id"), lacks("title", "variants", "status")],
  "inventory_levels/update": [has("inventory_item_id", "location_id")],
  "bulk_operations/finish": [has("admin_graphql_api_id", "status")],
  "orders/create": [has("id", "line_items")],
  "orders/updated": [has("id", "line_items")],
  "orders/cancelled": [has("id", "line_items", "cancelled_at")],
  "fulfillments/create": [has("id", "order_id", "status")],
  "fulfillments/update": [has("id", "order_id", "status")],
  "refunds/create": [has("id", "order_id"), lacks("line_items")],
};

export interface Delivery {
  topic: string;
  shop: string;
  /** X-Shopify-Triggered-At, as sent. */
  triggeredAt: string | undefined;
  payload: unknown;
}

export type Verdict = { ok: true } | { ok: false; status: 400 | 401; reason: string };

const refuse = (status: 400 | 401, reason: string): Verdict => ({ ok: false, status, reason });

/**
 * Whether a signed delivery may be handled by a route that accepts `topics`. 400: it does not fit (topic not this
 * route's, body not of its topic, header missing); 401: it is a replay (another shop's body, too old). Shopify
 * never sends such deliveries itself, so its retries are not at stake.
 */
export function checkDelivery(delivery: Delivery, topics: readonly string[], now: number): Verdict {
  const { topic, shop, payload } = delivery;
  if (!topics.includes(topic)) return refuse(400, `topic ${topic} is not delivered to this address`);
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return refuse(400, "the payload is not a JSON object");
  const body = payload as Record<string, unknown>;
  for (const check of SHAPES[topic] ?? []) {
    const problem = check(body);
    if (problem) return refuse(400, problem);
  }
  const field = SHOP_FIELD[topic];
  if (field && String(body[field]).toLowerCase() !== shop.toLowerCase()) return refuse(401, `the payload's ${field} is not the delivery's shop`);
  if (!delivery.triggeredAt) return refuse(400, "X-Shopify-Triggered-At is missing");
  const at = Date.parse(delivery.triggeredAt);
  if (!Number.isFinite(at)) return refuse(400, "X-Shopify-Triggered-At is not a timestamp");
  if (now - at > MAX_DELIVERY_AGE_MS) return refuse(401, "the delivery is older than Shopify's retry window");
  if (at - now > MAX_CLOCK_SKEW_MS) return refuse(401, "the delivery is dated in the future");
  // A payload timestamp is covered by the signature, unlike the header: where a topic's body dates the event itself.
  if (topic === "app/scopes_update" && typeof body.updated_at === "string") {
    const updated = Date.parse(body.updated_at);
    if (Number.isFinite(updated) && now - updated > MAX_DELIVERY_AGE_MS) return refuse(401, "the scopes change is older than Shopify's retry window");
  }
  return { ok: true };
}

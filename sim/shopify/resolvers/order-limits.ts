// The development-store limit on orders created through the API (docs/decisions/0157). Shopify's orderCreate
// reference: "If you're using the orderCreate mutation with a trial or development store, then you can create a
// maximum of five new orders per minute." The answer past the limit is the one Shopify gives for the same limit on
// orders created over REST, as reported by apps that hit it: HTTP 429 with `errors` "Exceeded order API rate limit,
// please try again in a minute. Upgrade to a paid account to remove this limit." and `Retry-After`. Nothing runs.
// The GraphQL reference does not show that answer; this is the closest documented form.
import type { ShopState } from "../store.js";

export const DEV_STORE_ORDERS_PER_MINUTE = 5;
export const ORDER_LIMIT_MESSAGE = "Exceeded order API rate limit, please try again in a minute. Upgrade to a paid account to remove this limit.";

interface LimitState {
  developmentStore: boolean;
  /** Real times (ms) of the orders created through the API in the last minute. */
  created: number[];
}

const states = new WeakMap<ShopState, LimitState>();

function stateOf(shop: ShopState): LimitState {
  let s = states.get(shop);
  if (!s) states.set(shop, (s = { developmentStore: false, created: [] }));
  return s;
}

/** Makes the shop a development (or trial) store: `shop.plan.partnerDevelopment` and the order limit. */
export function setDevelopmentStore(shop: ShopState, on: boolean): void {
  stateOf(shop).developmentStore = on;
}

export function isDevelopmentStore(shop: ShopState): boolean {
  return states.get(shop)?.developmentStore ?? false;
}

/** Records an order made through orderCreate. */
export function noteApiOrder(shop: ShopState, at: number = Date.now()): void {
  const s = states.get(shop);
  if (s?.developmentStore) s.created.push(at);
}

/**
 * The HTTP answer for a request that would create a sixth order within a minute on a development store, or null.
 * `query` is the request's document: only documents whose selection calls orderCreate are counted.
 */
export function orderLimitAnswer(shop: ShopState, query: string, now: number = Date.now()): { status: number; body: unknown; headers: Record<string, string> } | null {
  const s = states.get(shop);
  if (!s?.developmentStore || !/(?:^|[^A-Za-z0-9_])orderCreate\s*\(/.test(query)) return null;
  s.created = s.created.filter((t) => now - t < 60_000);
  if (s.created.length < DEV_STORE_ORDERS_PER_MINUTE) return null;
  const retryAfter = Math.max(1, Math.ceil((s.created[0] + 60_000 - now) / 1000));
  return { status: 429, body: { errors: ORDER_LIMIT_MESSAGE }, headers: { "Retry-After": String(retryAfter) } };
}

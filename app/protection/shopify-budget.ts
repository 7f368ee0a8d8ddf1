// A per-shop budget in Shopify's own unit, query cost (shopify.md §4.8; docs/decisions/0114). Every Admin answer
// reports the shop's leaky bucket (currentlyAvailable, maximumAvailable, restoreRate); we keep the last report per
// shop, let it refill at restoreRate, and debit our own estimate for each request we let through until the next
// report corrects it. Agent work that only prices (create, update: draftOrderCalculate) must leave a reserve
// untouched; complete (requote + orderCreate) may spend the reserve. So one agent flooding creates gets 429
// before the bucket is empty, and the shop's completes — everyone's — still find points for orderCreate.
import type { Decision } from "./limiter";

export interface ThrottleReport {
  currentlyAvailable: number;
  maximumAvailable: number;
  restoreRate: number;
}

export interface ShopifyBudget {
  /** A cost report from an Admin answer (or a THROTTLED one). */
  record(shop: string, status: ThrottleReport, requestedCost: number | null, operation: string, nowMs: number): void;
  /** May a pricing request (create/update) run? Debits the expected cost when it may. */
  admitQuote(shop: string, nowMs: number): Decision;
}

export interface ShopifyBudgetConfig {
  /** Share of the bucket kept for completes (orderCreate and its requote); default 0.25. */
  reserveRatio?: number;
  /** Cost expected of one create/update before the first report of the quote's cost; default 10. */
  defaultQuoteCost?: number;
  /** The operation whose reported cost is the expected quote cost. */
  quoteOperation?: string;
  maxShops?: number;
}

interface ShopState extends ThrottleReport {
  atMs: number;
  quoteCost: number;
}

export function createShopifyBudget(config: ShopifyBudgetConfig = {}): ShopifyBudget {
  const reserveRatio = config.reserveRatio ?? 0.25;
  const quoteOperation = config.quoteOperation ?? "CheckoutQuote";
  const maxShops = config.maxShops ?? 10_000;
  const shops = new Map<string, ShopState>();

  function available(state: ShopState, nowMs: number): number {
    return Math.min(state.maximumAvailable, state.currentlyAvailable + (Math.max(0, nowMs - state.atMs) / 1000) * state.restoreRate);
  }

  return {
    record(shop, status, requestedCost, operation, nowMs) {
      if (!(status.maximumAvailable > 0) || !(status.restoreRate > 0)) return;
      const previous = shops.get(shop);
      const quoteCost = operation === quoteOperation && requestedCost !== null && requestedCost > 0 ? requestedCost : (previous?.quoteCost ?? config.defaultQuoteCost ?? 10);
      if (!previous && shops.size >= maxShops) shops.delete(shops.keys().next().value as string);
      shops.set(shop, { currentlyAvailable: status.currentlyAvailable, maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate, atMs: nowMs, quoteCost });
    },

    admitQuote(shop, nowMs) {
      const state = shops.get(shop);
      if (!state) return { allowed: true }; // nothing reported yet: the first call tells us the bucket
      const now = available(state, nowMs);
      const floor = state.maximumAvailable * reserveRatio + state.quoteCost;
      if (now < floor) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((floor - now) / state.restoreRate)) };
      state.currentlyAvailable = now - state.quoteCost;
      state.atMs = nowMs;
      return { allowed: true };
    },
  };
}

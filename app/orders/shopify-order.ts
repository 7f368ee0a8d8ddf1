// What the app keeps of a Shopify order to report it to the agent: parsed from Shopify's REST webhook JSON
// (orders/*, fulfillments/*, refunds/create), with money in minor units and no buyer PII (no email, phone,
// addresses or customer). The snapshot is merged webhook by webhook; orders/* payloads carry the whole order,
// fulfillments/* and refunds/create one part of it (docs/decisions/0061).
import { shopifyAmountToMinor } from "./money";

export interface ShopifyLineFacts {
  id: string; // LineItem GID
  title: string;
  productId: string | null; // Product GID
  variantId: string | null; // ProductVariant GID
  sku: string | null;
  ordered: number;
  current: number | null; // Shopify's current_quantity (after removals), when the payload had it
  unitPriceMinor: number;
  discountMinor: number;
  requiresShipping: boolean;
}

export interface ShopifyFulfillmentFacts {
  id: string; // Fulfillment GID
  status: string; // pending | open | success | cancelled | error | failure
  shipmentStatus: string | null; // label_printed … in_transit, out_for_delivery, delivered, failure
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  lineItems: { id: string; quantity: number }[];
  createdAt: string;
  updatedAt: string;
  /** Shipment statuses seen over time, with when they were first seen: the agent's append-only event log. */
  history: { status: string; at: string }[];
}

export interface ShopifyRefundTransactionFacts {
  id: string;
  kind: string; // refund (others are ignored for money)
  status: string; // success | pending | failure | error
  gateway: string;
  amountMinor: number;
}

export interface ShopifyRefundFacts {
  id: string; // Refund GID
  createdAt: string;
  currency: string; // lower case
  lineItems: { id: string; quantity: number }[];
  transactions: ShopifyRefundTransactionFacts[];
}

export interface ShopifyOrderFacts {
  id: string; // Order GID
  name: string; // "#1001"
  currency: string; // lower case
  statusUrl: string | null;
  updatedAt: string | null;
  financialStatus: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  sourceIdentifier: string | null;
  agentSessionId: string | null; // the acp_session cart attribute (hand-off mode)
  totals: {
    subtotalMinor: number;
    discountMinor: number;
    shippingMinor: number;
    taxMinor: number;
    totalMinor: number;
  } | null;
  lineItems: ShopifyLineFacts[];
  fulfillments: ShopifyFulfillmentFacts[];
  refunds: ShopifyRefundFacts[];
}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null);
const int = (value: unknown, fallback = 0): number => (typeof value === "number" && Number.isInteger(value) ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : fallback);

/** The GID of a REST object: admin_graphql_api_id, or built from the numeric id. */
export function gidOf(body: Json, type: string, idField = "id"): string | null {
  const gid = body.admin_graphql_api_id;
  if (typeof gid === "string" && gid.startsWith(`gid://shopify/${type}/`)) return gid;
  const id = str(body[idField]);
  return id && /^\d+$/.test(id) ? `gid://shopify/${type}/${id}` : null;
}

export const orderGidFromId = (id: unknown): string | null => {
  const text = str(id);
  if (!text) return null;
  if (text.startsWith("gid://shopify/Order/")) return text;
  return /^\d+$/.test(text) ? `gid://shopify/Order/${text}` : null;
};

/** The cart attribute our continue_url sets (app/checkout/continue-url.ts); only ever a cs_… id. */
export const AGENT_SESSION_ATTRIBUTE = "acp_session";

export function agentSessionIdFrom(body: Json): string | null {
  for (const attr of list(body.note_attributes)) {
    if (attr.name === AGENT_SESSION_ATTRIBUTE && typeof attr.value === "string" && /^cs_[A-Za-z0-9_-]{1,120}$/.test(attr.value.trim())) return attr.value.trim();
  }
  return null;
}

function moneyField(body: Json, field: string, currency: string): number {
  const set = obj(body[`${field}_set`]);
  const shopMoney = obj(set.shop_money);
  return shopifyAmountToMinor((shopMoney.amount as string | undefined) ?? (body[field] as string | undefined), currency);
}

function lineFacts(body: Json, currency: string): ShopifyLineFacts | null {
  const id = gidOf(body, "LineItem");
  if (!id) return null;
  const ordered = int(body.quantity, 1);
  return {
    id,
    title: str(body.name) ?? str(body.title) ?? "Item",
    productId: str(body.product_id) ? `gid://shopify/Product/${str(body.product_id)}` : null,
    variantId: str(body.variant_id) ? `gid://shopify/ProductVariant/${str(body.variant_id)}` : null,
    sku: str(body.sku),
    ordered,
    current: typeof body.current_quantity === "number" ? body.current_quantity : null,
    unitPriceMinor: moneyField(body, "price", currency),
    discountMinor: moneyField(body, "total_discount", currency),
    requiresShipping: body.requires_shipping !== false,
  };
}

export function fulfillmentFactsFrom(body: Json, seenAt: string): ShopifyFulfillmentFacts | null {
  const id = gidOf(body, "Fulfillment");
  if (!id) return null;
  const createdAt = str(body.created_at) ?? seenAt;
  const updatedAt = str(body.updated_at) ?? createdAt;
  const trackingNumbers = Array.isArray(body.tracking_numbers) ? body.tracking_numbers.map(str).filter(Boolean) : [];
  const trackingUrls = Array.isArray(body.tracking_urls) ? body.tracking_urls.map(str).filter(Boolean) : [];
  const shipmentStatus = str(body.shipment_status);
  return {
    id,
    status: str(body.status) ?? "success",
    shipmentStatus,
    trackingCompany: str(body.tracking_company),
    trackingNumber: str(body.tracking_number) ?? trackingNumbers[0] ?? null,
    trackingUrl: str(body.tracking_url) ?? trackingUrls[0] ?? null,
    lineItems: list(body.line_items)
      .map((l) => ({ id: gidOf(l, "LineItem"), quantity: int(l.quantity) }))
      .filter((l): l is { id: string; quantity: number } => Boolean(l.id) && l.quantity > 0),
    createdAt,
    updatedAt,
    history: shipmentStatus ? [{ status: shipmentStatus, at: updatedAt }] : [],
  };
}

export function refundFactsFrom(body: Json, orderCurrency: string): ShopifyRefundFacts | null {
  const id = gidOf(body, "Refund");
  if (!id) return null;
  const transactions = list(body.transactions).map((t) => {
    const currency = (str(t.currency) ?? orderCurrency).toLowerCase();
    return {
      id: gidOf(t, "OrderTransaction") ?? String(t.id),
      kind: (str(t.kind) ?? "").toLowerCase(),
      status: (str(t.status) ?? "").toLowerCase(),
      gateway: str(t.gateway) ?? "",
      amountMinor: shopifyAmountToMinor(t.amount as string | undefined, currency),
      currency,
    };
  });
  return {
    id,
    createdAt: str(body.processed_at) ?? str(body.created_at) ?? new Date(0).toISOString(),
    currency: transactions[0]?.currency ?? orderCurrency.toLowerCase(),
    lineItems: list(body.refund_line_items)
      .map((r) => ({ id: gidOf(obj(r.line_item), "LineItem") ?? (str(r.line_item_id) ? `gid://shopify/LineItem/${str(r.line_item_id)}` : null), quantity: int(r.quantity) }))
      .filter((l): l is { id: string; quantity: number } => Boolean(l.id) && l.quantity > 0),
    transactions: transactions.map(({ currency: _c, ...t }) => t),
  };
}

/** A full order payload (orders/create, orders/updated, orders/cancelled) → facts. Throws on malformed money. */
export function orderFactsFrom(payload: unknown, seenAt: string): ShopifyOrderFacts | null {
  const body = obj(payload);
  const id = gidOf(body, "Order");
  if (!id) return null;
  const currency = (str(body.currency) ?? "USD").toLowerCase();
  const hasTotals = body.total_price !== undefined || body.total_price_set !== undefined;
  return {
    id,
    name: str(body.name) ?? `#${str(body.order_number) ?? ""}`,
    currency,
    statusUrl: str(body.order_status_url),
    updatedAt: str(body.updated_at),
    financialStatus: str(body.financial_status),
    cancelledAt: str(body.cancelled_at),
    cancelReason: str(body.cancel_reason),
    sourceIdentifier: str(body.source_identifier),
    agentSessionId: agentSessionIdFrom(body),
    totals: hasTotals
      ? {
          subtotalMinor: moneyField(body, "subtotal_price", currency),
          discountMinor: moneyField(body, "total_discounts", currency),
          shippingMinor: moneyField(body, "total_shipping_price", currency),
          taxMinor: moneyField(body, "total_tax", currency),
          totalMinor: moneyField(body, "total_price", currency),
        }
      : null,
    lineItems: list(body.line_items).map((l) => lineFacts(l, currency)).filter((l): l is ShopifyLineFacts => l !== null),
    fulfillments: list(body.fulfillments).map((f) => fulfillmentFactsFrom(f, seenAt)).filter((f): f is ShopifyFulfillmentFacts => f !== null),
    refunds: list(body.refunds).map((r) => refundFactsFrom(r, currency)).filter((r): r is ShopifyRefundFacts => r !== null),
  };
}

// ---- merging ----------------------------------------------------------------------------------------------

const later = (a: string | null, b: string | null) => (a ?? "") >= (b ?? "");

function mergeHistory(a: ShopifyFulfillmentFacts["history"], b: ShopifyFulfillmentFacts["history"]) {
  const seen = new Map<string, string>();
  for (const h of [...a, ...b]) if (!seen.has(h.status) || h.at < seen.get(h.status)!) seen.set(h.status, h.at);
  return [...seen].map(([status, at]) => ({ status, at })).sort((x, y) => x.at.localeCompare(y.at));
}

/** Adds or replaces one fulfillment (the newer by updated_at wins); the shipment history accumulates. */
export function withFulfillment(order: ShopifyOrderFacts, incoming: ShopifyFulfillmentFacts): ShopifyOrderFacts {
  const existing = order.fulfillments.find((f) => f.id === incoming.id);
  if (!existing) return { ...order, fulfillments: [...order.fulfillments, incoming] };
  const newer = later(incoming.updatedAt, existing.updatedAt) ? incoming : existing;
  const merged = { ...newer, history: mergeHistory(existing.history, incoming.history) };
  return { ...order, fulfillments: order.fulfillments.map((f) => (f.id === incoming.id ? merged : f)) };
}

/** Adds a refund once (refunds are immutable in Shopify). */
export function withRefund(order: ShopifyOrderFacts, refund: ShopifyRefundFacts): ShopifyOrderFacts {
  if (order.refunds.some((r) => r.id === refund.id)) return order;
  return { ...order, refunds: [...order.refunds, refund] };
}

/**
 * A full order payload over the stored snapshot. A payload older than the snapshot only contributes what the
 * snapshot lacks (refunds, fulfillments): webhooks can arrive out of order.
 */
export function mergeOrder(stored: ShopifyOrderFacts | null, incoming: ShopifyOrderFacts): ShopifyOrderFacts {
  if (!stored) return incoming;
  const base = later(incoming.updatedAt, stored.updatedAt) ? incoming : stored;
  const other = base === incoming ? stored : incoming;
  let merged: ShopifyOrderFacts = { ...base, agentSessionId: base.agentSessionId ?? other.agentSessionId };
  for (const f of other.fulfillments) merged = withFulfillment(merged, f);
  for (const r of other.refunds) merged = withRefund(merged, r);
  return merged;
}

/** An empty snapshot for an order known only by id (a fulfillment or refund arrived before any orders/* payload). */
export function emptyOrderFacts(id: string, name: string, currency: string, statusUrl: string | null): ShopifyOrderFacts {
  return {
    id, name, currency: currency.toLowerCase(), statusUrl, updatedAt: null, financialStatus: null, cancelledAt: null, cancelReason: null,
    sourceIdentifier: null, agentSessionId: null, totals: null, lineItems: [], fulfillments: [], refunds: [],
  };
}

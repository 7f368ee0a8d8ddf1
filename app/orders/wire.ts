// Order events on the wire, one serializer per ACP version (acp.md §3):
// - 2026-04-17: `{type, data: Order}` with the full Order (line items, fulfillments, adjustments, totals);
// - 2025-09-29 … 2026-01-30: `{type, data: {type:"order", checkout_session_id, permalink_url, status, refunds[]}}`.
// Event names are the shop's choice: the spec says order_create/order_update, OpenAI's docs order_created/…
import type { AgentOrderState, OrderAdjustment } from "./agent-order";

export type OrderEventKind = "created" | "updated";
export type OrderEventNames = Record<OrderEventKind, string>;

export const SPEC_EVENT_NAMES: OrderEventNames = { created: "order_create", updated: "order_update" };

/** Shop.orderEventNamesJson → names, falling back to the spec's for anything missing or malformed. */
export function eventNamesFrom(json: string | null | undefined): OrderEventNames {
  try {
    const parsed = JSON.parse(json || "{}") as Partial<Record<OrderEventKind, unknown>>;
    const pick = (kind: OrderEventKind) => (typeof parsed[kind] === "string" && /^[a-z][a-z0-9_.]{0,63}$/.test(parsed[kind] as string) ? (parsed[kind] as string) : SPEC_EVENT_NAMES[kind]);
    return { created: pick("created"), updated: pick("updated") };
  } catch {
    return SPEC_EVENT_NAMES;
  }
}

/** The first ACP version whose order events carry the full Order. */
export const FULL_ORDER_VERSION = "2026-04-17";

export function usesFullOrder(apiVersion: string | null | undefined): boolean {
  return !apiVersion || apiVersion >= FULL_ORDER_VERSION; // YYYY-MM-DD compares as text; unknown → newest
}

const money = (type: string, display_text: string, amount: number) => ({ type, display_text, amount });

function adjustmentWire(a: OrderAdjustment, currency: string) {
  return {
    id: a.id,
    type: a.type,
    occurred_at: a.occurredAt,
    status: a.status,
    ...(a.lineItems.length ? { line_items: a.lineItems.map((l) => ({ id: l.id, quantity: l.quantity })) } : {}),
    ...(a.amountMinor !== undefined ? { amount: a.amountMinor, currency } : {}),
    ...(a.reason ? { reason: a.reason } : {}),
  };
}

/** ACP 2026-04-17 Order (json-schema $defs/Order), with type:"order" as the webhook requires. */
export function orderWire20260417(order: AgentOrderState) {
  const t = order.totals;
  const totals = [
    ...(t.subtotalMinor !== undefined ? [money("subtotal", "Subtotal", t.subtotalMinor)] : []),
    ...(t.discountMinor ? [money("discount", "Discount", t.discountMinor)] : []),
    ...(t.fulfillmentMinor !== undefined ? [money("fulfillment", "Shipping", t.fulfillmentMinor)] : []),
    ...(t.taxMinor !== undefined ? [money("tax", "Tax", t.taxMinor)] : []),
    money("total", "Total", t.totalMinor),
    ...(order.adjustments.some((a) => a.type === "refund") ? [money("amount_refunded", "Refunded", t.refundedMinor)] : []),
  ];
  return {
    type: "order" as const,
    id: order.id,
    checkout_session_id: order.checkoutSessionId,
    order_number: order.orderNumber,
    permalink_url: order.permalinkUrl,
    status: order.status,
    line_items: order.lineItems.map((l) => ({
      id: l.id,
      title: l.title,
      ...(l.productId ? { product_id: l.productId } : {}),
      quantity: { ordered: l.ordered, current: l.current, fulfilled: l.fulfilled },
      unit_price: l.unitPriceMinor,
      subtotal: l.subtotalMinor,
      status: l.status,
    })),
    fulfillments: order.fulfillments.map((f) => ({
      id: f.id,
      type: f.type,
      status: f.status,
      line_items: f.lineItems.map((l) => ({ id: l.id, quantity: l.quantity })),
      ...(f.carrier ? { carrier: f.carrier } : {}),
      ...(f.trackingNumber ? { tracking_number: f.trackingNumber } : {}),
      ...(f.trackingUrl ? { tracking_url: f.trackingUrl } : {}),
      events: f.events.map((e) => ({ id: e.id, type: e.type, occurred_at: e.occurredAt })),
    })),
    adjustments: order.adjustments.map((a) => adjustmentWire(a, order.currency)),
    totals,
  };
}

/** 2025-09-29 status enum: created | manual_review | confirmed | canceled | shipped | fulfilled. */
const LEGACY_STATUS: Record<string, string> = { processing: "confirmed", completed: "fulfilled" };

/** The pre-2026-04-17 webhook data: refunds[] lists completed money back to the buyer, by kind. */
export function orderWireLegacy(order: AgentOrderState) {
  return {
    type: "order" as const,
    checkout_session_id: order.checkoutSessionId,
    permalink_url: order.permalinkUrl,
    status: LEGACY_STATUS[order.status] ?? order.status,
    refunds: order.adjustments
      .filter((a) => (a.type === "refund" || a.type === "credit") && a.status === "completed" && (a.amountMinor ?? 0) > 0)
      .map((a) => ({ type: a.type === "credit" ? ("store_credit" as const) : ("original_payment" as const), amount: a.amountMinor ?? 0 })),
  };
}

export function orderEventBody(apiVersion: string | null | undefined, kind: OrderEventKind, names: OrderEventNames, order: AgentOrderState) {
  return { type: names[kind], data: usesFullOrder(apiVersion) ? orderWire20260417(order) : orderWireLegacy(order) };
}

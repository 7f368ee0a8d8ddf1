// The agent's view of an order, independent of the ACP version on the wire: built from our record of the
// agent order, the Shopify snapshot (app/orders/shopify-order.ts) and the Stripe refunds issued for it.
// Amounts are integer minor units of the order currency.
import type { ShopifyOrderFacts, ShopifyRefundFacts } from "./shopify-order";
import { fulfillmentEventType, fulfillmentStatus, lineStatus, orderStatus, type AcpFulfillmentStatus, type AcpLineStatus, type AcpOrderStatus } from "./status";

export interface AgentOrderRecord {
  orderId: string; // the Shopify order GID, also the ACP order id (docs/decisions/0060)
  checkoutSessionId: string;
  permalinkUrl: string;
  orderName: string;
  currency: string;
  totalMinor: number;
  status: string; // last status we stored
  /** Paid through the app's Stripe charge: refunds move money only through StripeRefund rows. */
  paidThroughStripe: boolean;
}

export type MoneyRefundStatus = "pending" | "succeeded" | "stripe_pending" | "failed" | "skipped";

export interface MoneyRefundRecord {
  shopifyRefundId: string;
  amountMinor: number;
  status: MoneyRefundStatus;
  refundedAt: string;
}

export type AdjustmentStatus = "pending" | "completed" | "failed";

export interface OrderAdjustment {
  id: string;
  type: "refund" | "credit" | "cancellation";
  occurredAt: string;
  status: AdjustmentStatus;
  lineItems: { id: string; quantity: number }[];
  amountMinor?: number;
  reason?: string;
}

export interface OrderLine {
  id: string;
  title: string;
  productId?: string;
  ordered: number;
  current: number;
  fulfilled: number;
  status: AcpLineStatus;
  unitPriceMinor: number;
  subtotalMinor: number;
}

export interface OrderFulfillment {
  id: string;
  type: "shipping" | "digital";
  status: AcpFulfillmentStatus;
  lineItems: { id: string; quantity: number }[];
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  events: { id: string; type: string; occurredAt: string }[];
}

export interface AgentOrderState {
  id: string;
  checkoutSessionId: string;
  permalinkUrl: string;
  orderNumber: string;
  status: AcpOrderStatus | string;
  currency: string;
  lineItems: OrderLine[];
  fulfillments: OrderFulfillment[];
  adjustments: OrderAdjustment[];
  totals: {
    subtotalMinor?: number;
    discountMinor?: number;
    fulfillmentMinor?: number;
    taxMinor?: number;
    totalMinor: number;
    refundedMinor: number;
  };
}

const CREDIT_GATEWAY = /store[_ ]?credit|gift[_ ]?card/i;

/** Refund transactions that return money to the original payment (not store credit or gift cards). */
export function moneyTransactions(refund: ShopifyRefundFacts) {
  return refund.transactions.filter((t) => t.kind === "refund" && !CREDIT_GATEWAY.test(t.gateway));
}

/** What the merchant refunded to the original payment in this Shopify refund (successful transactions). */
export function refundedMoneyMinor(refund: ShopifyRefundFacts): number {
  return moneyTransactions(refund)
    .filter((t) => t.status === "success")
    .reduce((sum, t) => sum + t.amountMinor, 0);
}

function creditMinor(refund: ShopifyRefundFacts): number {
  return refund.transactions.filter((t) => t.kind === "refund" && CREDIT_GATEWAY.test(t.gateway) && t.status === "success").reduce((s, t) => s + t.amountMinor, 0);
}

function shopifyMoneyStatus(refund: ShopifyRefundFacts): AdjustmentStatus {
  const txs = moneyTransactions(refund);
  if (txs.some((t) => t.status === "pending")) return "pending";
  if (txs.length > 0 && txs.every((t) => t.status === "failure" || t.status === "error")) return "failed";
  return "completed";
}

const MONEY_STATUS: Record<MoneyRefundStatus, AdjustmentStatus> = {
  pending: "pending",
  stripe_pending: "pending",
  succeeded: "completed",
  skipped: "completed",
  failed: "failed",
};

function refundAdjustments(record: AgentOrderRecord, refund: ShopifyRefundFacts, money: MoneyRefundRecord | undefined): OrderAdjustment[] {
  const credit = creditMinor(refund);
  const stripe = record.paidThroughStripe && money;
  // Paid in Shopify: Shopify moves the money; a pending transaction is reported as a pending refund.
  const shopifyAmount = moneyTransactions(refund).filter((t) => t.status === "success" || t.status === "pending").reduce((s, t) => s + t.amountMinor, 0);
  const amountMinor = stripe ? money.amountMinor : shopifyAmount;
  const status = stripe ? MONEY_STATUS[money.status] : shopifyMoneyStatus(refund);
  const out: OrderAdjustment[] = [];
  if (amountMinor > 0 || credit === 0) {
    out.push({ id: refund.id, type: "refund", occurredAt: refund.createdAt, status, lineItems: refund.lineItems, amountMinor });
  }
  if (credit > 0) {
    out.push({ id: `${refund.id}#credit`, type: "credit", occurredAt: refund.createdAt, status: "completed", lineItems: out.length ? [] : refund.lineItems, amountMinor: credit });
  }
  return out;
}

function isUri(value: string | null): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

export function buildAgentOrder(record: AgentOrderRecord, facts: ShopifyOrderFacts | null, moneyRefunds: MoneyRefundRecord[]): AgentOrderState {
  const refunds = facts?.refunds ?? [];
  const cancelled = Boolean(facts?.cancelledAt);
  const linesById = new Map((facts?.lineItems ?? []).map((l) => [l.id, l]));

  const refundedQty = new Map<string, number>();
  for (const r of refunds) for (const l of r.lineItems) refundedQty.set(l.id, (refundedQty.get(l.id) ?? 0) + l.quantity);
  const fulfilledQty = new Map<string, number>();
  for (const f of facts?.fulfillments ?? []) {
    if (f.status !== "success") continue;
    for (const l of f.lineItems) fulfilledQty.set(l.id, (fulfilledQty.get(l.id) ?? 0) + l.quantity);
  }

  const lineItems: OrderLine[] = (facts?.lineItems ?? []).map((l) => {
    const current = cancelled ? 0 : Math.max(0, Math.min(l.current ?? l.ordered, l.ordered - (refundedQty.get(l.id) ?? 0)));
    const fulfilled = fulfilledQty.get(l.id) ?? 0;
    return {
      id: l.id,
      title: l.title,
      ...(l.productId ? { productId: l.productId } : {}),
      ordered: Math.max(1, l.ordered),
      current,
      fulfilled,
      status: lineStatus(current, fulfilled),
      unitPriceMinor: l.unitPriceMinor,
      subtotalMinor: Math.max(0, l.unitPriceMinor * l.ordered - l.discountMinor),
    };
  });

  const fulfillments: OrderFulfillment[] = (facts?.fulfillments ?? []).map((f) => {
    const digital = f.lineItems.length > 0 && f.lineItems.every((l) => linesById.get(l.id)?.requiresShipping === false);
    const events = new Map<string, { id: string; type: string; occurredAt: string }>();
    if (f.status === "success") events.set("shipped", { id: `${f.id}#shipped`, type: digital ? "delivered" : "shipped", occurredAt: f.createdAt });
    for (const h of f.history) {
      const type = fulfillmentEventType(h.status);
      if (!events.has(type)) events.set(type, { id: `${f.id}#${h.status}`, type, occurredAt: h.at });
    }
    if (f.status === "cancelled") events.set("canceled", { id: `${f.id}#cancelled`, type: "canceled", occurredAt: f.updatedAt });
    const status = digital && f.status === "success" ? "delivered" : fulfillmentStatus(f.status, f.shipmentStatus);
    return {
      id: f.id,
      type: digital ? "digital" : "shipping",
      status,
      lineItems: f.lineItems,
      ...(f.trackingCompany ? { carrier: f.trackingCompany } : {}),
      ...(f.trackingNumber ? { trackingNumber: f.trackingNumber } : {}),
      ...(isUri(f.trackingUrl) ? { trackingUrl: f.trackingUrl } : {}),
      events: [...events.values()].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)),
    };
  });

  const moneyById = new Map(moneyRefunds.map((m) => [m.shopifyRefundId, m]));
  const adjustments: OrderAdjustment[] = refunds.flatMap((r) => refundAdjustments(record, r, moneyById.get(r.id)));
  // Stripe refunds whose Shopify refund the snapshot lacks (should not happen; never hide money that moved).
  for (const m of moneyRefunds) {
    if (refunds.some((r) => r.id === m.shopifyRefundId)) continue;
    adjustments.push({ id: m.shopifyRefundId, type: "refund", occurredAt: m.refundedAt, status: MONEY_STATUS[m.status], lineItems: [], amountMinor: m.amountMinor });
  }
  if (cancelled && facts?.cancelledAt) {
    adjustments.push({
      id: `${record.orderId}#cancellation`,
      type: "cancellation",
      occurredAt: facts.cancelledAt,
      status: "completed",
      lineItems: lineItems.filter((l) => l.ordered - (refundedQty.get(l.id) ?? 0) > 0).map((l) => ({ id: l.id, quantity: l.ordered - (refundedQty.get(l.id) ?? 0) })),
      ...(facts.cancelReason ? { reason: facts.cancelReason } : {}),
    });
  }
  adjustments.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));

  const refundedMinor = adjustments.filter((a) => a.type === "refund" && a.status === "completed").reduce((s, a) => s + (a.amountMinor ?? 0), 0);
  const status = facts && (facts.lineItems.length > 0 || cancelled)
    ? orderStatus({
        cancelled,
        financialStatus: facts.financialStatus,
        lines: lineItems.map((l) => ({ current: l.current, fulfilled: l.fulfilled, requiresShipping: linesById.get(l.id)?.requiresShipping !== false })),
        fulfillmentStatuses: fulfillments.filter((f) => f.status !== "canceled" && f.status !== "failed").map((f) => f.status),
      })
    : record.status;

  const t = facts?.totals;
  return {
    id: record.orderId,
    checkoutSessionId: record.checkoutSessionId,
    permalinkUrl: facts?.statusUrl ?? record.permalinkUrl,
    orderNumber: facts?.name || record.orderName,
    status,
    currency: record.currency.toLowerCase(),
    lineItems,
    fulfillments,
    adjustments,
    totals: {
      ...(t ? { subtotalMinor: t.subtotalMinor, discountMinor: t.discountMinor, fulfillmentMinor: t.shippingMinor, taxMinor: t.taxMinor } : {}),
      totalMinor: t?.totalMinor ?? record.totalMinor,
      refundedMinor,
    },
  };
}

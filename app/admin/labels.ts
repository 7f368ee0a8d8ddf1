// Merchant-facing words for the states the app stores: abandonment reasons (ACP intent_trace), order status,
// payment status and order-event delivery. Shared by the orders pages, the dashboard and the extensions.

/** ACP 2026-04-17 CancelSessionRequest.intent_trace.reason_code; an open enum, unknown values count as "other". */
export const ABANDONMENT_REASONS = {
  price_sensitivity: "Price too high",
  shipping_cost: "Shipping too expensive",
  shipping_speed: "Shipping too slow",
  product_fit: "Product not a fit",
  trust_security: "Trust or security concerns",
  returns_policy: "Returns policy",
  payment_options: "Payment options",
  comparison: "Comparing elsewhere",
  timing_deferred: "Buying later",
  other: "Other reason",
} as const;
export type AbandonmentReason = keyof typeof ABANDONMENT_REASONS;

/** Sessions that end without a reason: canceled by an older agent (no intent_trace) or left to expire. */
export const NO_REASON = { canceled: "Canceled, no reason given", expired: "Expired without a decision" } as const;

export function abandonmentReasonCode(code: string | null | undefined): AbandonmentReason | null {
  if (!code) return null;
  return code in ABANDONMENT_REASONS ? (code as AbandonmentReason) : "other";
}

export function abandonmentLabel(code: string | null | undefined): string {
  const reason = abandonmentReasonCode(code);
  return reason ? ABANDONMENT_REASONS[reason] : NO_REASON.canceled;
}

export function parseIntentTrace(json: string | null | undefined): { reasonCode: string | null; summary: string | null } {
  if (!json) return { reasonCode: null, summary: null };
  try {
    const trace = JSON.parse(json) as { reason_code?: unknown; trace_summary?: unknown };
    return { reasonCode: typeof trace.reason_code === "string" ? trace.reason_code : null, summary: typeof trace.trace_summary === "string" ? trace.trace_summary : null };
  } catch {
    return { reasonCode: null, summary: null };
  }
}

export type Tone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

/** ACP order status (docs/decisions/0060) as the merchant reads it. */
export const ORDER_STATUS: Record<string, { label: string; tone: Tone }> = {
  created: { label: "Awaiting payment", tone: "attention" },
  confirmed: { label: "Confirmed", tone: "info" },
  manual_review: { label: "In review", tone: "warning" },
  processing: { label: "Partly fulfilled", tone: "info" },
  shipped: { label: "Shipped", tone: "info" },
  completed: { label: "Delivered", tone: "success" },
  fulfilled: { label: "Fulfilled", tone: "success" },
  canceled: { label: "Canceled", tone: undefined },
};

export function orderStatus(status: string): { label: string; tone: Tone } {
  return ORDER_STATUS[status] ?? { label: status.replaceAll("_", " "), tone: undefined };
}

export interface PaymentFacts {
  financialStatus: string | null; // Shopify's, from the last order webhook
  paymentIntentId: string | null;
  totalMinor: number;
  refundedMinor: number;
  attribution: string;
}

/** Payment status: Shopify's financial status when known, else what the app's own records say. */
export function paymentStatus(p: PaymentFacts): { label: string; tone: Tone } {
  if (p.refundedMinor > 0 && p.refundedMinor >= p.totalMinor) return { label: "Refunded", tone: undefined };
  if (p.refundedMinor > 0) return { label: "Partially refunded", tone: "warning" };
  switch (p.financialStatus) {
    case "paid":
      return { label: "Paid", tone: "success" };
    case "pending":
      return { label: "Payment pending", tone: "attention" };
    case "authorized":
      return { label: "Authorized", tone: "attention" };
    case "partially_paid":
      return { label: "Partially paid", tone: "warning" };
    case "partially_refunded":
      return { label: "Partially refunded", tone: "warning" };
    case "refunded":
      return { label: "Refunded", tone: undefined };
    case "voided":
      return { label: "Voided", tone: undefined };
  }
  if (p.paymentIntentId) return { label: "Paid", tone: "success" };
  return p.attribution === "handoff" ? { label: "Paid in Shopify checkout", tone: "success" } : { label: "Unknown", tone: undefined };
}

export type DeliveryState = "delivered" | "pending" | "retrying" | "failed" | "none";

export function deliveryState(event: { deliveredAt: unknown; deadAt: unknown; attempts: number } | null): DeliveryState {
  if (!event) return "none";
  if (event.deliveredAt) return "delivered";
  if (event.deadAt) return "failed";
  return event.attempts > 0 ? "retrying" : "pending";
}

export const DELIVERY: Record<DeliveryState, { label: string; tone: Tone }> = {
  delivered: { label: "Delivered", tone: "success" },
  pending: { label: "Sending", tone: "info" },
  retrying: { label: "Retrying", tone: "warning" },
  failed: { label: "Failed", tone: "critical" },
  none: { label: "Nothing sent", tone: undefined },
};

/** Integer minor units as the merchant reads money ("$68.72"); never floats for the arithmetic itself. */
export function formatMoney(minor: number, currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(minor / 10 ** currencyDigits(currency));
}

/** Minor-unit digits of a currency (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Where the merchant opens an order: the Shopify admin, or (demo: the simulator has no admin) its status page. */
export function shopifyOrderUrl(shopDomain: string, orderGid: string, statusUrl: string, demo: boolean): string {
  const numericId = orderGid.split("/").pop() ?? "";
  if (demo || !/^\d+$/.test(numericId)) return statusUrl;
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${handle}/orders/${numericId}`;
}

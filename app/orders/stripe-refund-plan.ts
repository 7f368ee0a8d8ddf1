// How much of a Shopify refund goes back through Stripe (docs/decisions/0063): exactly the money the merchant
// refunded to the original payment, never more than was charged minus what earlier refunds already asked for.

export interface StripeRefundPlan {
  requestedMinor: number;
  amountMinor: number;
  /** skipped: nothing left to refund (or nothing asked); capped: less than asked, the charge is nearly refunded. */
  outcome: "refund" | "capped" | "skipped";
}

export function planStripeRefund({ requestedMinor, chargedMinor, earlierRefundsMinor }: { requestedMinor: number; chargedMinor: number; earlierRefundsMinor: number }): StripeRefundPlan {
  const refundable = Math.max(0, chargedMinor - earlierRefundsMinor);
  const amountMinor = Math.max(0, Math.min(requestedMinor, refundable));
  if (amountMinor === 0) return { requestedMinor, amountMinor: 0, outcome: "skipped" };
  return { requestedMinor, amountMinor, outcome: amountMinor < requestedMinor ? "capped" : "refund" };
}

/** One Stripe Idempotency-Key per Shopify refund: a duplicate webhook or a retry can never refund twice. */
export function stripeRefundIdempotencyKey(shopId: string, shopifyRefundId: string): string {
  const refund = /(\d+)$/.exec(shopifyRefundId)?.[1] ?? shopifyRefundId;
  return `acp-shopify-refund-${shopId}-${refund}`;
}

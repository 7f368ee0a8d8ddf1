// What `complete` tells the agent when it does not end in an order (acp.md §2.6: messages on a 2xx session;
// codes from the 2026-04-17 MessageError/MessageWarning enums; docs/decisions/0071–0073).
import type { ChargeOutcome } from "../payments/gateway";
import type { AuthenticationMetadata, CheckoutMessage, CheckoutSession, Resolution } from "./model";
import type { ShopProfile } from "./ports";
import { minorToDecimal } from "../money";

/** The re-quoted session, with a price_change warning when the total moved (nothing was charged). */
export function priceChanged(before: CheckoutSession, requoted: CheckoutSession): CheckoutSession {
  if (requoted.totals.total === before.totals.total && requoted.currency === before.currency) return requoted;
  const was = `${minorToDecimal(before.totals.total, before.currency)} ${before.currency.toUpperCase()}`;
  const now = `${minorToDecimal(requoted.totals.total, requoted.currency)} ${requoted.currency.toUpperCase()}`;
  const warning: CheckoutMessage = {
    type: "warning",
    code: "price_change",
    param: "$.totals",
    content: `The total changed from ${was} to ${now}. Nothing was charged; confirm the new total with the buyer and complete again.`,
    resolution: "requires_buyer_review",
  };
  return { ...requoted, messages: [...requoted.messages, warning] };
}

export function noLongerSellable(): CheckoutMessage {
  return { type: "error", code: "out_of_stock", param: "$.line_items", content: "None of the items can be sold right now. Nothing was charged.", resolution: "requires_buyer_input" };
}

const TOKEN_PROBLEMS: Record<string, string> = {
  already_used: "The payment token has already been used. Ask the buyer to confirm the payment again.",
  expired: "The payment token has expired. Ask the buyer to confirm the payment again.",
  revoked: "The payment token was revoked. Ask the buyer to confirm the payment again.",
  amount_exceeded: "The payment token does not allow charging the checkout total.",
  currency_mismatch: "The payment token is for another currency than the checkout.",
};

/**
 * Card declines by Stripe `decline_code` (or `code`), docs.stripe.com/declines/codes (docs/decisions/0142). Lost, stolen,
 * fraudulent and the like stay a plain "declined": Stripe advises not to tell the buyer the specific reason.
 */
const DECLINES: Record<string, { content: string; resolution: Resolution }> = {
  insufficient_funds: { content: "The card has insufficient funds. Nothing was charged; ask the buyer for another payment method.", resolution: "requires_buyer_input" },
  expired_card: { content: "The card has expired. Nothing was charged; ask the buyer for another payment method.", resolution: "requires_buyer_input" },
  incorrect_cvc: { content: "The card's security code was rejected. Nothing was charged; ask the buyer to check the card or use another one.", resolution: "requires_buyer_input" },
  incorrect_number: { content: "The card number was rejected. Nothing was charged; ask the buyer to check the card or use another one.", resolution: "requires_buyer_input" },
  processing_error: { content: "The card network could not process the payment. Nothing was charged; complete again with the same payment token.", resolution: "recoverable" },
  authentication_required: { content: "The card issuer requires authentication, which this store cannot do through an agent. Nothing was charged; use another card or finish in the store.", resolution: "requires_buyer_input" },
};
const GENERIC_DECLINE = "The payment was declined. Please try a different payment method.";

/** PSP errors that are not declines: what the agent is told (nothing was charged in every case). */
const FAILURES: Record<string, string> = {
  amount_not_chargeable: "This total cannot be charged exactly in this currency by the store's payment service. Nothing was charged; finish in the store (continue_url).",
};
const GENERIC_FAILURE = "The payment could not be processed. Nothing was charged; try again later or finish in the store.";

/** A charge that did not happen: decline, refused token, or a PSP error that is not worth retrying. */
export function chargeMessage(outcome: Exclude<ChargeOutcome, { kind: "succeeded" | "requires_authentication" }>): CheckoutMessage {
  if (outcome.kind === "invalid_token") {
    const known = TOKEN_PROBLEMS[outcome.reason];
    return known
      ? { type: "error", code: "payment_declined", param: "$.payment_data", content: known, resolution: "requires_buyer_input" }
      : { type: "error", code: "invalid", param: "$.payment_data", content: "The payment token is not valid for this store.", resolution: "recoverable" };
  }
  if (outcome.kind === "declined") {
    const known = DECLINES[outcome.declineCode ?? ""] ?? DECLINES[outcome.code];
    return { type: "error", code: "payment_declined", content: known?.content ?? GENERIC_DECLINE, resolution: known?.resolution ?? "requires_buyer_input" };
  }
  return { type: "error", code: "payment_declined", content: FAILURES[outcome.code ?? ""] ?? GENERIC_FAILURE, resolution: "requires_buyer_input" };
}

/**
 * The payment service can take this total only rounded (PaymentGateway.canCharge; Stripe's three-decimal rule,
 * docs/decisions/0143): the session is not ready for payment and the buyer is pointed to Shopify's own checkout.
 * `unsupported` in 2026-04-17 (2025-09-29 has no such code: the wire layer sends `invalid`).
 */
export function totalNotChargeable(session: Pick<CheckoutSession, "continueUrl">, reason: string): CheckoutMessage {
  return {
    type: "error",
    code: "unsupported",
    param: "$.totals",
    content: `The store's payment service cannot charge this total exactly (${reason}), and the store never charges a rounded amount. Nothing can be charged through the agent: change the cart, or send the buyer to ${session.continueUrl} to pay in the store's own checkout.`,
    resolution: "requires_buyer_input",
  };
}

/** Hand-off mode: no charge; the buyer finishes in Shopify's checkout (docs/decisions/0073). Not stored. */
export function handoffAnswer(session: CheckoutSession): CheckoutSession {
  const message: CheckoutMessage = {
    type: "error",
    code: "intervention_required",
    param: "$.continue_url",
    content: `This store takes payment in its own checkout. Send the buyer to ${session.continueUrl} to pay and place the order.`,
    resolution: "requires_buyer_review",
  };
  return { ...session, status: "requires_escalation", messages: [...session.messages, message] };
}

/** The order could not be created; the charge was refunded (docs/decisions/0070). */
export function orderFailedMessage(lineIndex?: number): CheckoutMessage {
  if (lineIndex !== undefined) {
    return { type: "error", code: "out_of_stock", param: `$.line_items[${lineIndex}]`, content: "An item sold out while the order was being placed. The payment was refunded in full; start a new checkout.", resolution: "requires_buyer_input" };
  }
  return { type: "error", code: "conflict", content: "The store could not create the order. The payment was refunded in full; start a new checkout.", resolution: "requires_buyer_input" };
}

/**
 * ACP 2026-04-17 requires authentication_metadata with `authentication_required`. Stripe does not expose the
 * acquirer's BIN; these are the merchant's own identifiers (docs/decisions/0072).
 */
export function threeDsMetadata(shop: ShopProfile): AuthenticationMetadata {
  return {
    acquirerBin: "000000",
    acquirerCountry: (shop.countryCode ?? "US").toUpperCase().slice(0, 2),
    acquirerMerchantId: (shop.stripeAccountId ?? shop.id).slice(0, 35),
    merchantName: (shop.name || shop.domain).slice(0, 40),
    directoryServer: "visa",
  };
}

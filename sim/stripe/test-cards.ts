// Stripe's documented test PaymentMethods (https://docs.stripe.com/testing). In real test mode the
// payment method id alone decides the outcome of a confirmation; the stand-in keeps that contract so
// tests written against it also make sense against Stripe's own test mode.

export type CardOutcome =
  | { kind: "succeed" }
  | { kind: "decline"; code: string; declineCode: string; message: string }
  | { kind: "require_3ds" };

export interface TestCard {
  brand: string;
  last4: string;
  funding: "credit" | "debit" | "prepaid";
  country: string;
  expMonth: number;
  expYear: number;
  outcome: CardOutcome;
}

/** A US Visa credit test card (the shape of most of Stripe's test cards). */
const visa = (last4: string, outcome: CardOutcome): TestCard => ({ brand: "visa", last4, funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome });
/** A decline: `code` is card_declined unless Stripe reports the case with its own error code (expired_card, incorrect_cvc, …). */
const decline = (declineCode: string, message: string, code = "card_declined"): CardOutcome => ({ kind: "decline", code, declineCode, message });
const DECLINED = "Your card was declined.";

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: visa("4242", { kind: "succeed" }),
  pm_card_visa_debit: { ...visa("5556", { kind: "succeed" }), funding: "debit" },
  pm_card_mastercard: { ...visa("4444", { kind: "succeed" }), brand: "mastercard" },
  pm_card_amex: { ...visa("8431", { kind: "succeed" }), brand: "amex" },
  pm_card_chargeDeclined: visa("0002", decline("generic_decline", DECLINED)),
  pm_card_chargeDeclinedInsufficientFunds: visa("9995", decline("insufficient_funds", "Your card has insufficient funds.")),
  pm_card_chargeDeclinedLostCard: visa("9987", decline("lost_card", DECLINED)),
  pm_card_chargeDeclinedStolenCard: visa("9979", decline("stolen_card", DECLINED)),
  pm_card_chargeDeclinedIncorrectCvc: visa("0127", decline("incorrect_cvc", "Your card's security code is incorrect.", "incorrect_cvc")),
  pm_card_chargeDeclinedProcessingError: visa("0119", decline("processing_error", "An error occurred while processing your card. Try again in a little bit.", "processing_error")),
  pm_card_chargeDeclinedExpiredCard: visa("0069", decline("expired_card", "Your card has expired.", "expired_card")),
  pm_card_threeDSecureRequired: visa("3063", { kind: "require_3ds" }),
  pm_card_authenticationRequired: visa("3184", { kind: "require_3ds" }),
};

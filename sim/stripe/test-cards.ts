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

const GENERIC_DECLINE: CardOutcome = {
  kind: "decline",
  code: "card_declined",
  declineCode: "generic_decline",
  message: "Your card was declined.",
};

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: "visa", last4: "4242", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "succeed" } },
  pm_card_visa_debit: { brand: "visa", last4: "5556", funding: "debit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "succeed" } },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "succeed" } },
  pm_card_amex: { brand: "amex", last4: "8431", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "succeed" } },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: GENERIC_DECLINE },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa", last4: "9995", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds." },
  },
  pm_card_chargeDeclinedLostCard: {
    brand: "visa", last4: "9987", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "card_declined", declineCode: "lost_card", message: "Your card was declined." },
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: "visa", last4: "9979", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "card_declined", declineCode: "stolen_card", message: "Your card was declined." },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: "visa", last4: "0127", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect." },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: "visa", last4: "0119", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "processing_error", declineCode: "processing_error", message: "An error occurred while processing your card. Try again in a little bit." },
  },
  pm_card_chargeDeclinedExpiredCard: {
    // Stripe reports an expired card with its own error code (not card_declined).
    brand: "visa", last4: "0069", funding: "credit", country: "US", expMonth: 12, expYear: 2034,
    outcome: { kind: "decline", code: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  },
  pm_card_threeDSecureRequired: { brand: "visa", last4: "3063", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "require_3ds" } },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", funding: "credit", country: "US", expMonth: 12, expYear: 2034, outcome: { kind: "require_3ds" } },
};

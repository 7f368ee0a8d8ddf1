// The payment port: what checkout needs from a payment service provider, in the domain's words.
// No Stripe import here (the domain depends on this file only); the Stripe adapter lives in
// stripe-gateway.server.ts. Amounts are integer minor units; currencies lower-case ISO 4217.
//
// Methods return outcomes rather than throwing for anything the PSP can answer (declines, token
// problems, outages), so callers handle every case with a switch on `kind`. `void` is the exception:
// it has nothing to report on success and throws PaymentGatewayError when the intent cannot be voided.

export interface ChargeInput {
  /** Delegated payment token (Stripe SPT "spt_…"). Secret-ish: never log it. */
  token: string;
  amountMinor: number;
  /** Lower-case ISO 4217, e.g. "usd". */
  currency: string;
  /** Same key ⇒ same charge, never a second one. Derive it from the checkout session (+ attempt). */
  idempotencyKey: string;
  /** Should include checkout_session_id: findCharge looks charges up by it. */
  metadata: Record<string, string>;
  description?: string;
}

export interface PaymentGateway {
  /**
   * A local look at the token's shape, before anything is locked or sent: "invalid" when this PSP could never
   * accept it (wrong prefix, characters, length), else null. No network; a null says nothing about the token.
   */
  tokenProblem(token: string): InvalidTokenReason | null;
  /**
   * Whether this PSP can charge exactly this amount in this currency (no network), so a checkout whose total it
   * could only take rounded is not offered for payment (Stripe: three-decimal currencies end in 0; docs/decisions/0143).
   */
  canCharge(amountMinor: number, currency: string): ChargeableAmount;
  /** Charge a delegated (shared payment) token for exactly this amount; never charges twice for one idempotencyKey. */
  charge(input: ChargeInput): Promise<ChargeOutcome>;
  /**
   * Find an earlier charge made for this checkout session (recovery after a crash), or null.
   * Looks for metadata.checkout_session_id, so charge() must have been given it. Throws
   * PaymentGatewayError when the PSP cannot be asked (then the answer is unknown, not null).
   */
  findCharge(input: { checkoutSessionId: string }): Promise<ChargeSucceeded | null>;
  refund(input: RefundInput): Promise<RefundOutcome>;
  /** Cancel an uncaptured / requires_action intent. Already-canceled counts as done. */
  void(input: { paymentIntentId: string; idempotencyKey: string }): Promise<void>;
}

/** `reason` says, in words an agent can pass on, why the PSP cannot take the amount as it is. */
export type ChargeableAmount = { ok: true } | { ok: false; reason: string };

export interface RefundInput {
  paymentIntentId: string;
  /** Omitted = everything not yet refunded. */
  amountMinor?: number;
  /** The charge's currency, so a partial amount is converted to the PSP's units (Stripe: ISK, MGA, three-decimal). */
  currency?: string;
  idempotencyKey: string;
  /** Free text; Stripe's own reasons (duplicate, fraudulent, requested_by_customer) are passed as such, anything else goes to metadata. */
  reason?: string;
  metadata?: Record<string, string>;
}

export type ChargeSucceeded = {
  kind: "succeeded";
  paymentIntentId: string;
  chargeId?: string;
  amountMinor: number;
  currency: string;
  cardBrand?: string;
  cardLast4?: string;
};

/** Why a token was refused, independent of the PSP's error codes. */
export type InvalidTokenReason =
  | "already_used"
  | "expired"
  | "revoked"
  | "amount_exceeded"
  | "currency_mismatch"
  | "not_found"
  | "invalid";

export type ChargeOutcome =
  | ChargeSucceeded
  | { kind: "declined"; code: string /* e.g. card_declined */; declineCode?: string; message: string; paymentIntentId?: string }
  | { kind: "requires_authentication"; paymentIntentId: string; message: string }
  /** used, expired, revoked, over limit, wrong currency, unknown. `code` is the PSP's raw code. */
  | { kind: "invalid_token"; reason: InvalidTokenReason; code: string; message: string }
  /**
   * PSP unreachable / 5xx / timeout: the outcome is unknown, look the charge up (findCharge) before anything else.
   * `notCharged`: the PSP refused the request before running it (rate limit, validation, authentication), so nothing
   * was charged and nothing was saved under the idempotency key; `retryable` says whether trying again can help.
   */
  | { kind: "failed"; retryable: boolean; message: string; code?: string; notCharged?: boolean; retryAfterSeconds?: number };

export type RefundOutcome =
  | { kind: "succeeded" | "pending"; refundId: string; amountMinor: number }
  | { kind: "failed"; message: string; retryable: boolean; code?: string };

export class PaymentGatewayError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = "PaymentGatewayError";
  }
}

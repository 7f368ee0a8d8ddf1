// PaymentGateway on Stripe, through the official `stripe` SDK. Where the SDK talks to is pure
// configuration (`apiBase` → the SDK's host/port/protocol options), so tests and the demo point it at
// sim/stripe and production at api.stripe.com with the same code path; nothing is patched.
//
// Safety rules this adapter keeps:
// - every mutating call carries the caller's Idempotency-Key; the SDK reuses it on its own retries,
//   so a retried charge is replayed by Stripe, never executed twice;
// - the token and card data are never logged, and token ids are scrubbed from PSP messages that the
//   caller might log;
// - every Stripe failure becomes an outcome; "failed, retryable" means the result is unknown.
import Stripe from "stripe";
import {
  PaymentGatewayError,
  type ChargeableAmount,
  type ChargeInput,
  type ChargeOutcome,
  type ChargeSucceeded,
  type InvalidTokenReason,
  type PaymentGateway,
  type RefundInput,
  type RefundOutcome,
} from "./gateway";
import { fromStripeAmount, toStripeAmount } from "./stripe-amounts";

export interface StripeGatewayOptions {
  secretKey: string;
  /** e.g. "http://127.0.0.1:4200" for sim/stripe; default https://api.stripe.com. */
  apiBase?: string;
  /** Per-attempt timeout; default 20 s. */
  timeoutMs?: number;
  /** SDK retries on connection errors, 409 and 5xx (same Idempotency-Key); default 2. */
  maxNetworkRetries?: number;
  /** Stripe-Version header; default STRIPE_API_VERSION. SPTs exist only on preview versions (docs/decisions/0140). */
  apiVersion?: string;
  /**
   * Where the token goes on PaymentIntent create; default from the version. "payment_method_data" (2026-04-22.preview
   * and later) sends payment_method_data[shared_payment_granted_token]; "top_level" (earlier previews) sends
   * shared_payment_granted_token.
   */
  sptParameter?: "payment_method_data" | "top_level";
}

/**
 * The Stripe API version every request of the app sends (docs/decisions/0140, docs/operations.md "Stripe"). Charging
 * a Shared Payment Token is a preview feature: GA versions, including 2026-10-28.endive that stripe-node 23.1.0
 * pins, answer its parameter with `parameter_unknown`. 2026-07-29.preview is the newest preview Stripe's changelog
 * documents SPTs on, with the token in payment_method_data[shared_payment_granted_token] (since 2026-04-22.preview).
 */
export const STRIPE_API_VERSION = "2026-07-29.preview";

/** The token's parameter by version: nested since 2026-04-22.preview, top level on earlier previews. */
export function sptParameterFor(apiVersion: string): "payment_method_data" | "top_level" {
  return apiVersion.slice(0, 10) >= "2026-04-22" ? "payment_method_data" : "top_level";
}

/**
 * Cards only, by the name the version knows: previews (and GA before 2026-09-30) take payment_method_types[], as in
 * Stripe's SPT guide; GA 2026-09-30.endive dropped it from PaymentIntent create for allowed_payment_method_types.
 */
export function cardTypesParam(apiVersion: string): { payment_method_types: string[] } | { allowed_payment_method_types: ["card"] } {
  const ga = !apiVersion.endsWith(".preview");
  return ga && apiVersion.slice(0, 10) >= "2026-09-30" ? { allowed_payment_method_types: ["card"] } : { payment_method_types: ["card"] };
}

/** Metadata key linking a PaymentIntent to its checkout session (used by findCharge). */
export const CHECKOUT_SESSION_METADATA_KEY = "checkout_session_id";

/** findCharge's list scan covers Stripe Search's indexing lag ("up to a minute"), with margin. */
const LIST_FALLBACK_SECONDS = 15 * 60;
const LIST_FALLBACK_MAX_PAGES = 10;

const STRIPE_REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

/** Stripe's SPT codes (as modelled by sim/stripe, see sim/stripe/engine.ts) → domain reasons. */
const TOKEN_CODE_REASONS: Record<string, InvalidTokenReason> = {
  shared_payment_granted_token_already_used: "already_used",
  shared_payment_granted_token_expired: "expired",
  shared_payment_granted_token_revoked: "revoked",
  shared_payment_granted_token_amount_exceeded: "amount_exceeded",
  shared_payment_granted_token_currency_mismatch: "currency_mismatch",
  resource_missing: "not_found",
};

/** Turns an apiBase URL into the SDK's host/port/protocol options. */
export function sdkAddress(apiBase: string | undefined): { host?: string; port?: number; protocol?: "http" | "https" } {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  if (url.pathname !== "/" && url.pathname !== "") {
    // The SDK prefixes every path with /v1 itself and has no base-path option.
    throw new Error(`apiBase must not have a path (got ${apiBase})`);
  }
  const protocol = url.protocol === "http:" ? "http" : url.protocol === "https:" ? "https" : null;
  if (!protocol) throw new Error(`apiBase must be http(s) (got ${apiBase})`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443,
    protocol,
  };
}

export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  if (!options.secretKey) throw new Error("createStripeGateway: secretKey is required");
  const apiVersion = options.apiVersion ?? STRIPE_API_VERSION;
  const stripe = new Stripe(options.secretKey, {
    ...sdkAddress(options.apiBase),
    timeout: options.timeoutMs ?? 20_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    // The SDK's config type only lists its own GA version; a preview is a plain string on the wire.
    apiVersion: apiVersion as Stripe.StripeConfig["apiVersion"],
    telemetry: false,
    appInfo: { name: "agentic-checkout-shopify" },
  });
  const sptParameter = options.sptParameter ?? sptParameterFor(apiVersion);

  async function charge(input: ChargeInput): Promise<ChargeOutcome> {
    const problem = validateCharge(input);
    if (problem) return { kind: "failed", retryable: false, message: problem, code: "invalid_input", notCharged: true };
    const amount = toStripeAmount(input.amountMinor, input.currency);
    if (!amount.ok) return { kind: "failed", retryable: false, message: amount.reason, code: "amount_not_chargeable", notCharged: true };
    if (tokenProblem(input.token)) return { kind: "invalid_token", reason: "invalid", code: "malformed_token", message: "The token is not a Stripe shared payment token." };

    // stripe-node 23's typings predate SPTs: PaymentMethodData requires `type` and has no
    // shared_payment_granted_token. The SDK form-encodes whatever object it gets, so we build the
    // documented wire shape in a narrow local type and cast once, here.
    type SptParams = Omit<Stripe.PaymentIntentCreateParams, "payment_method_data" | "allowed_payment_method_types"> & {
      allowed_payment_method_types?: ["card"];
      payment_method_types?: string[]; // the name previews (and GA before 2026-09-30.endive) know
      payment_method_data?: { shared_payment_granted_token: string };
      shared_payment_granted_token?: string;
    };
    const params: SptParams = {
      amount: amount.amount,
      currency: input.currency,
      confirm: true,
      // Cards only: SPTs are card credentials, and without this Stripe enables automatic payment
      // methods and then demands a return_url for redirect-based ones.
      ...cardTypesParam(apiVersion),
      metadata: input.metadata,
      expand: ["latest_charge"], // brand/last4 for the order, without a second request
      ...(input.description ? { description: input.description } : {}),
      ...(sptParameter === "payment_method_data"
        ? { payment_method_data: { shared_payment_granted_token: input.token } }
        : { shared_payment_granted_token: input.token }),
    };

    try {
      const pi = await stripe.paymentIntents.create(params as unknown as Stripe.PaymentIntentCreateParams, {
        idempotencyKey: input.idempotencyKey,
      });
      return outcomeFromIntent(pi);
    } catch (err) {
      return chargeOutcomeFromError(err);
    }
  }

  async function findCharge({ checkoutSessionId }: { checkoutSessionId: string }): Promise<ChargeSucceeded | null> {
    if (!/^[A-Za-z0-9_\-.:]+$/.test(checkoutSessionId)) {
      throw new PaymentGatewayError("checkoutSessionId has characters that cannot be searched for", false, "invalid_input");
    }
    const matches = (pi: Stripe.PaymentIntent) => pi.metadata?.[CHECKOUT_SESSION_METADATA_KEY] === checkoutSessionId;
    try {
      const found = await stripe.paymentIntents.search({
        query: `metadata['${CHECKOUT_SESSION_METADATA_KEY}']:'${checkoutSessionId}'`,
        limit: 20,
        expand: ["data.latest_charge"],
      });
      let hit = pickSucceeded(found.data.filter(matches));
      if (!hit) {
        // Stripe Search is eventually consistent (new objects can take up to a minute to appear),
        // which is exactly the crash-recovery window. The list endpoint is immediate, so also scan
        // the intents of the last LIST_FALLBACK_SECONDS (older ones are in the search index).
        const since = Math.floor(Date.now() / 1000) - LIST_FALLBACK_SECONDS;
        const candidates: Stripe.PaymentIntent[] = [];
        let startingAfter: string | undefined;
        for (let page = 0; page < LIST_FALLBACK_MAX_PAGES; page++) {
          const recent = await stripe.paymentIntents.list({
            limit: 100,
            created: { gte: since },
            expand: ["data.latest_charge"],
            ...(startingAfter ? { starting_after: startingAfter } : {}),
          });
          candidates.push(...recent.data.filter(matches));
          if (!recent.has_more || recent.data.length === 0) break;
          startingAfter = recent.data[recent.data.length - 1].id;
        }
        hit = pickSucceeded(candidates);
      }
      return hit ? succeeded(hit) : null;
    } catch (err) {
      const { message, retryable, code } = describeFailure(err);
      throw new PaymentGatewayError(`findCharge failed: ${message}`, retryable, code);
    }
  }

  async function refund(input: RefundInput): Promise<RefundOutcome> {
    if (input.amountMinor !== undefined && (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)) {
      return { kind: "failed", retryable: false, message: "amountMinor must be a positive integer (minor units)", code: "invalid_input" };
    }
    let stripeAmount: number | undefined;
    if (input.amountMinor !== undefined) {
      // Without the currency the amount goes as is (right for every currency but ISK and MGA, see stripe-amounts.ts).
      const converted = input.currency ? toStripeAmount(input.amountMinor, input.currency) : { ok: true as const, amount: input.amountMinor };
      if (!converted.ok) return { kind: "failed", retryable: false, message: converted.reason, code: "amount_not_refundable" };
      stripeAmount = converted.amount;
    }
    if (!input.idempotencyKey) return { kind: "failed", retryable: false, message: "idempotencyKey is required", code: "invalid_input" };
    const metadata: Record<string, string> = { ...(input.metadata ?? {}) };
    let reason: Stripe.RefundCreateParams.Reason | undefined;
    if (input.reason && STRIPE_REFUND_REASONS.has(input.reason)) reason = input.reason as Stripe.RefundCreateParams.Reason;
    else if (input.reason) metadata.refund_reason = input.reason.slice(0, 500);
    try {
      const r = await stripe.refunds.create(
        {
          payment_intent: input.paymentIntentId,
          ...(stripeAmount !== undefined ? { amount: stripeAmount } : {}),
          ...(reason ? { reason } : {}),
          metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      const refunded = fromStripeAmount(r.amount, r.currency);
      if (r.status === "succeeded") return { kind: "succeeded", refundId: r.id, amountMinor: refunded };
      if (r.status === "pending" || r.status === "requires_action") return { kind: "pending", refundId: r.id, amountMinor: refunded };
      return { kind: "failed", retryable: false, message: `refund ${r.id} is ${r.status}`, code: r.failure_reason ?? r.status ?? undefined };
    } catch (err) {
      const { message, retryable, code } = describeFailure(err);
      return { kind: "failed", retryable, message, code };
    }
  }

  async function voidIntent(input: { paymentIntentId: string; idempotencyKey: string }): Promise<void> {
    try {
      await stripe.paymentIntents.cancel(input.paymentIntentId, {}, { idempotencyKey: input.idempotencyKey });
    } catch (err) {
      const stripeErr = asStripeError(err);
      const status = (stripeErr?.payment_intent as Stripe.PaymentIntent | undefined)?.status;
      if (stripeErr?.code === "payment_intent_unexpected_state" && status === "canceled") return; // already voided
      const { message, retryable, code } = describeFailure(err);
      throw new PaymentGatewayError(`void failed: ${message}`, retryable, code);
    }
  }

  return { tokenProblem, canCharge, charge, findCharge, refund, void: voidIntent };
}

/** The same rule charge() applies before any request (toStripeAmount), asked when the checkout is quoted. */
function canCharge(amountMinor: number, currency: string): ChargeableAmount {
  const amount = toStripeAmount(amountMinor, currency);
  return amount.ok ? { ok: true } : { ok: false, reason: amount.reason };
}

/**
 * Stripe object ids are a prefix, an underscore and letters/digits, at most 255 characters
 * (docs.stripe.com/api/shared-payment/granted-token: "spt_1RgaZcFPC5QUO6ZCDVZuVA8q"). Anything else can only be
 * refused by Stripe, so it is refused here without a request (docs/decisions/0120).
 */
const SPT_SHAPE = /^spt_[A-Za-z0-9]{1,251}$/;

function tokenProblem(token: string): InvalidTokenReason | null {
  return typeof token === "string" && SPT_SHAPE.test(token) ? null : "invalid";
}

function validateCharge(input: ChargeInput): string | null {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) return "amountMinor must be a positive integer (minor units)";
  if (!/^[a-z]{3}$/.test(input.currency)) return "currency must be lower-case ISO 4217";
  if (!input.token) return "token is required";
  if (!input.idempotencyKey) return "idempotencyKey is required";
  return null;
}

function pickSucceeded(pis: Stripe.PaymentIntent[]): Stripe.PaymentIntent | undefined {
  // More than one success for a session would be a bug elsewhere; report the newest.
  return pis.filter((p) => p.status === "succeeded").sort((a, b) => b.created - a.created)[0];
}

function succeeded(pi: Stripe.PaymentIntent): ChargeSucceeded {
  const charge = typeof pi.latest_charge === "object" && pi.latest_charge ? pi.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  return {
    kind: "succeeded",
    paymentIntentId: pi.id,
    chargeId: typeof pi.latest_charge === "string" ? pi.latest_charge : (charge?.id ?? undefined),
    amountMinor: fromStripeAmount(pi.amount_received || pi.amount, pi.currency),
    currency: pi.currency,
    ...(card?.brand ? { cardBrand: card.brand } : {}),
    ...(card?.last4 ? { cardLast4: card.last4 } : {}),
  };
}

function outcomeFromIntent(pi: Stripe.PaymentIntent): ChargeOutcome {
  switch (pi.status) {
    case "succeeded":
      return succeeded(pi);
    case "requires_action":
      return { kind: "requires_authentication", paymentIntentId: pi.id, message: "The card issuer requires authentication (3D Secure)." };
    case "requires_payment_method": {
      const e = pi.last_payment_error;
      return {
        kind: "declined",
        code: e?.code ?? "card_declined",
        ...(e?.decline_code ? { declineCode: e.decline_code } : {}),
        message: scrub(e?.message ?? "The payment was declined."),
        paymentIntentId: pi.id,
      };
    }
    default:
      // processing / requires_capture / requires_confirmation / canceled: not a finished charge. Our
      // params never ask for these, so treat the result as unknown and let recovery look again.
      return { kind: "failed", retryable: true, message: `PaymentIntent ${pi.id} is ${pi.status}`, code: `payment_intent_${pi.status}` };
  }
}

type StripeErrorLike = InstanceType<typeof Stripe.errors.StripeError>;

function asStripeError(err: unknown): StripeErrorLike | null {
  return err instanceof Stripe.errors.StripeError ? err : null;
}

function chargeOutcomeFromError(err: unknown): ChargeOutcome {
  const e = asStripeError(err);
  if (e && e.type === "StripeCardError") {
    const piId = e.payment_intent?.id;
    if (e.code === "authentication_required" && piId) {
      return { kind: "requires_authentication", paymentIntentId: piId, message: scrub(e.message) };
    }
    return {
      kind: "declined",
      code: e.code ?? "card_declined",
      ...(e.decline_code ? { declineCode: e.decline_code } : {}),
      message: scrub(e.message),
      ...(piId ? { paymentIntentId: piId } : {}),
    };
  }
  if (e && e.type === "StripeInvalidRequestError") {
    const code = e.code ?? "invalid_request";
    const aboutToken = code.startsWith("shared_payment_granted_token") || (e.param ?? "").includes("shared_payment_granted_token");
    // `parameter_unknown` on the token's parameter is a wrong API version, not a bad token (docs/decisions/0140).
    if (aboutToken && code !== "parameter_unknown") {
      return { kind: "invalid_token", reason: TOKEN_CODE_REASONS[code] ?? "invalid", code, message: scrub(e.message) };
    }
  }
  return { kind: "failed", ...describeFailure(err) };
}

/**
 * Everything that is neither a decline nor a token problem: can the caller retry, and was anything charged
 * (docs/decisions/0142). Stripe runs nothing for a request it refuses at the door (rate limiter, authentication,
 * parameter validation: "no idempotent result is saved because no API endpoint began execution"); a 5xx, a timeout
 * or a cut connection leaves the outcome unknown.
 */
function describeFailure(err: unknown): { message: string; retryable: boolean; code?: string; notCharged?: boolean; retryAfterSeconds?: number } {
  const e = asStripeError(err);
  if (!e) return { message: scrub(err instanceof Error ? err.message : String(err)), retryable: true, code: "unknown" };
  const base = { message: scrub(e.message), code: e.code };
  switch (e.type) {
    case "StripeConnectionError": // unreachable, reset, timeout: the request may or may not have run
    case "StripeAPIError": // 5xx, possibly saved under the key and replayed for 24 hours
      return { ...base, retryable: true, code: e.code ?? e.type };
    case "StripeRateLimitError": // 429 rate_limit (the SDK retried it already if Stripe-Should-Retry said so)
      return { ...base, retryable: true, code: e.code ?? "rate_limit", notCharged: e.code !== "lock_timeout", retryAfterSeconds: 2 };
    case "StripeInvalidRequestError":
      // 409 idempotency_key_in_use: the first attempt with this key is still running.
      if (e.statusCode === 409 || e.code === "idempotency_key_in_use" || e.code === "lock_timeout") return { ...base, retryable: true };
      return { ...base, retryable: false, notCharged: true };
    case "StripeAuthenticationError":
    case "StripePermissionError":
      return { ...base, retryable: false, code: e.code ?? e.type, notCharged: true };
    case "StripeIdempotencyError": // the key holds a result for other parameters: what that did is unknown here
    default:
      return { ...base, retryable: (e.statusCode ?? 0) >= 500, code: e.code ?? e.type };
  }
}

/** PSP messages can quote the token id; callers log messages, so strip it. */
function scrub(message: string): string {
  return message.replace(/\b(spt|vt)_[A-Za-z0-9]+/g, "$1_***");
}

/** Countries whose sellers can receive Shared Payment Tokens (docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens). */
export const SPT_SELLER_COUNTRIES: ReadonlySet<string> = new Set([
  "AT", "BE", "BG", "CA", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR", "HR", "HU", "IE", "IT",
  "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "US",
]);

export type SharedPaymentReadiness =
  | { kind: "ready"; country: string }
  | { kind: "unavailable"; reason: "key" | "charges_disabled" | "country" | "not_enabled"; detail: string }
  | { kind: "unknown"; detail: string };

/**
 * Can this Stripe account take Shared Payment Tokens through the app (docs/decisions/0144)? Two reads, no writes:
 * GET /v1/account (the key works, charges are enabled, the country is one where sellers receive SPTs), then a
 * retrieve of a granted token that cannot exist on the pinned preview version: an account that can use SPTs answers
 * `resource_missing` ("No such shared_payment.granted_token"); one that cannot does not know the route.
 */
export async function checkSharedPaymentTokens(options: Pick<StripeGatewayOptions, "secretKey" | "apiBase" | "apiVersion" | "timeoutMs">): Promise<SharedPaymentReadiness> {
  const stripe = new Stripe(options.secretKey, {
    ...sdkAddress(options.apiBase),
    apiVersion: (options.apiVersion ?? STRIPE_API_VERSION) as Stripe.StripeConfig["apiVersion"],
    timeout: options.timeoutMs ?? 10_000,
    maxNetworkRetries: 1,
    telemetry: false,
    appInfo: { name: "agentic-checkout-shopify" },
  });
  let country: string;
  try {
    const account = await stripe.accounts.retrieveCurrent();
    country = (account.country ?? "").toUpperCase();
    if (!account.charges_enabled) return { kind: "unavailable", reason: "charges_disabled", detail: "The Stripe account cannot accept charges yet (finish its activation in the Stripe Dashboard)." };
    if (!SPT_SELLER_COUNTRIES.has(country)) return { kind: "unavailable", reason: "country", detail: `Shared payment tokens are not offered to sellers in ${country || "this account's country"}.` };
  } catch (err) {
    const e = asStripeError(err);
    if (e?.type === "StripeAuthenticationError" || e?.type === "StripePermissionError") {
      return { kind: "unavailable", reason: "key", detail: "Stripe refused the secret key (it must be able to read the account and create PaymentIntents)." };
    }
    return { kind: "unknown", detail: `Stripe could not be asked: ${describeFailure(err).message}` };
  }
  try {
    await stripe.rawRequest("GET", "/v1/shared_payment/granted_tokens/spt_readinessprobe");
    return { kind: "ready", country }; // cannot exist, but an answer at all means the API is there
  } catch (err) {
    const e = asStripeError(err);
    if (e?.code === "resource_missing") return { kind: "ready", country };
    if (e?.statusCode === 404) {
      return { kind: "unavailable", reason: "not_enabled", detail: "This Stripe account cannot receive shared payment tokens yet: ask Stripe to enable agentic commerce (shared payment tokens) for it." };
    }
    return { kind: "unknown", detail: `Stripe could not be asked: ${describeFailure(err).message}` };
  }
}

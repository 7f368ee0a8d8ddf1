// The stand-in's account state and business rules: granted tokens (SPTs), PaymentIntents, their
// charges and refunds. Pure in-memory logic with no HTTP: handlers receive already-parsed form
// params and return Stripe-shaped JSON, or throw ApiError. The server adds auth, idempotency and
// fault injection around it.
//
// Choices where Stripe's docs are silent (documented so tests can rely on them):
// - A token is single-use. It is consumed (deactivated_reason "consumed") by the first confirmation
//   that authorizes money (status succeeded or requires_capture).
// - A decline does NOT consume the token: the PaymentIntent is left requires_payment_method and the
//   token stays usable (the buyer's agent may retry, e.g. after topping up funds).
// - A confirmation that needs 3DS reserves the token for that PaymentIntent; cancelling the intent
//   releases it. Any other PaymentIntent meanwhile gets shared_payment_granted_token_already_used.
// - Token misuse is refused before a PaymentIntent exists (no PI is created), as 400
//   invalid_request_error with param payment_method_data[shared_payment_granted_token] and codes:
//     shared_payment_granted_token_already_used     consumed or reserved by another intent
//     shared_payment_granted_token_revoked          revoked via the test helper
//     shared_payment_granted_token_expired          now ≥ usage_limits.expires_at
//     shared_payment_granted_token_currency_mismatch currency ≠ usage_limits.currency
//     shared_payment_granted_token_amount_exceeded  amount > usage_limits.max_amount
//     resource_missing                              unknown spt_ id, or one granted to another account
//   Stripe publishes no SPT-specific codes; these are our model (docs/decisions/0142). Which API versions have the
//   SPT parameter at all is in versions.ts (docs/decisions/0140).
import type { FormObject } from "./form";
import { ApiError, cardError, invalidRequest, missingParam, resourceMissing, unknownParam } from "./errors";
import { newId, nowSeconds } from "./ids";
import {
  allowOnly, currency as currencyParam, expandList, listLimit, metadata as metadataParam, optBool, optEnum,
  optInt, optObject, optString, reqInt, reqString,
} from "./params";
import { matchesQuery, parseSearchQuery } from "./search";
import { TEST_CARDS, type TestCard } from "./test-cards";
import { unknownPaymentIntentParams, type ApiVersion } from "./versions";

type Json = Record<string, unknown>;

export interface GrantedToken {
  id: string;
  created: number;
  paymentMethod: string;
  card: TestCard;
  currency: string;
  maxAmount: number;
  expiresAt: number | null;
  customer: string | null;
  sellerDetails: Record<string, string>;
  sharedMetadata: Record<string, string>;
  /** The account the agent granted the token to; any other account cannot see it (resource_missing). */
  grantedTo: string;
  deactivatedAt: number | null;
  deactivatedReason: "consumed" | "expired" | "revoked" | "resolved" | null;
  /** PaymentIntent holding the token while it waits for 3DS. */
  reservedBy: string | null;
  amountCaptured: number;
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "canceled"
  | "succeeded";

export interface PaymentIntentRec {
  id: string;
  created: number;
  /** Millisecond creation time, for the simulated search-index lag. */
  createdMs: number;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  captureMethod: "automatic" | "automatic_async" | "manual";
  description: string | null;
  metadata: Record<string, string>;
  paymentMethodId: string | null;
  card: TestCard | null;
  grantedToken: string | null;
  latestCharge: string | null;
  amountReceived: number;
  amountCapturable: number;
  lastPaymentError: Json | null;
  nextAction: Json | null;
  canceledAt: number | null;
  cancellationReason: string | null;
  returnUrl: string | null;
  customer: string | null;
}

export interface ChargeRec {
  id: string;
  created: number;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  currency: string;
  status: "succeeded" | "failed";
  captured: boolean;
  paymentIntent: string;
  paymentMethodId: string;
  card: TestCard;
  failureCode: string | null;
  failureMessage: string | null;
  declineCode: string | null;
  metadata: Record<string, string>;
  description: string | null;
}

export interface RefundRec {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string;
  reason: string | null;
  status: "succeeded" | "pending" | "failed" | "canceled";
  metadata: Record<string, string>;
}

export interface TokenUse {
  at: number;
  tokenId: string;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  result: "succeeded" | "authorized" | "declined" | "requires_action" | "rejected";
  code?: string;
}

const PI_CREATE_PARAMS = [
  "amount", "currency", "confirm", "payment_method", "payment_method_data", "shared_payment_granted_token",
  "payment_method_types", "allowed_payment_method_types", "excluded_payment_method_types", "automatic_payment_methods", "metadata", "description", "capture_method",
  "return_url", "customer", "expand", "statement_descriptor", "statement_descriptor_suffix",
  "receipt_email", "confirmation_method", "off_session", "setup_future_usage", "error_on_requires_action",
  "payment_method_options", "use_stripe_sdk", "shipping",
] as const;

const TOKEN_PARAM = "payment_method_data[shared_payment_granted_token]";

/** Smallest chargeable amounts (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). */
const MINIMUM_AMOUNT: Record<string, number> = {
  usd: 50, eur: 50, cad: 50, aud: 50, chf: 50, nzd: 50, sgd: 50, gbp: 30, jpy: 50, dkk: 250, sek: 300, nok: 300,
  mxn: 1000, hkd: 400, pln: 200, czk: 1500, huf: 17500, ron: 200, bgn: 100,
};
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
/** https://docs.stripe.com/currencies#three-decimal: amounts in 1/1000, last digit 0 on PaymentIntents and refunds. */
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);
/** https://docs.stripe.com/currencies#special-cases: ISK is zero-decimal but passed with two decimals, divisible by 100. */
const HUNDREDS_ONLY = new Set(["isk"]);

/** Stripe's amount rules per currency (docs.stripe.com/currencies, "Special cases"); null when the amount is fine. */
function amountRuleProblem(amount: number, currency: string): string | null {
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    return `Invalid amount: ${amount}. Amounts for ${currency} are in thousandths and must end in 0 (round to the nearest ten, e.g. 5120 or 5130 for 5.124).`;
  }
  if (HUNDREDS_ONLY.has(currency) && amount % 100 !== 0) {
    return `Invalid amount: ${amount}. ${currency} amounts are passed with two decimals and must be evenly divisible by 100.`;
  }
  return null;
}

/** "$12.34"-style text for error messages, computed on integers (no floats). */
function formatAmount(amount: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return `${amount} ${currency}`;
  const major = Math.trunc(amount / 100);
  const minor = String(Math.abs(amount % 100)).padStart(2, "0");
  return `${currency === "usd" ? "$" : ""}${major}.${minor}${currency === "usd" ? "" : ` ${currency}`}`;
}

export class StripeEngine {
  readonly tokens = new Map<string, GrantedToken>();
  readonly paymentIntents = new Map<string, PaymentIntentRec>();
  readonly charges = new Map<string, ChargeRec>();
  readonly refunds = new Map<string, RefundRec>();
  readonly tokenUses: TokenUse[] = [];

  constructor(readonly accountId: string) {}

  reset(): void {
    this.tokens.clear();
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.tokenUses.length = 0;
  }

  // ───────────────────────── granted tokens ─────────────────────────

  /** `grantedTo` (programmatic only): the account the agent granted the token to; default this account. */
  createGrantedToken(params: FormObject, grantedTo = this.accountId): Json {
    allowOnly(params, ["payment_method", "usage_limits", "seller_details", "customer", "shared_metadata", "expand"]);
    const pm = reqString(params, "payment_method");
    const card = TEST_CARDS[pm];
    if (!card) throw resourceMissing("PaymentMethod", pm, "payment_method");
    const limits = optObject(params, "usage_limits");
    if (!limits) throw missingParam("usage_limits");
    allowOnly(limits, ["currency", "max_amount", "expires_at"], "usage_limits");
    const currency = currencyParam(limits, "currency", "usage_limits[currency]");
    const maxAmount = reqInt(limits, "max_amount", "usage_limits[max_amount]");
    if (maxAmount < 1) throw invalidRequest("usage_limits[max_amount] must be a positive integer.", { code: "parameter_invalid", param: "usage_limits[max_amount]" });
    const expiresAt = optInt(limits, "expires_at", "usage_limits[expires_at]") ?? null;
    const seller = optObject(params, "seller_details") ?? {};
    const sellerDetails: Record<string, string> = {};
    for (const [k, v] of Object.entries(seller)) if (typeof v === "string") sellerDetails[k] = v;
    const token: GrantedToken = {
      id: newId("spt"),
      created: nowSeconds(),
      paymentMethod: pm,
      card,
      currency,
      maxAmount,
      expiresAt,
      customer: optString(params, "customer") ?? null,
      sellerDetails,
      sharedMetadata: metadataParam(params, "shared_metadata"),
      grantedTo,
      deactivatedAt: null,
      deactivatedReason: null,
      reservedBy: null,
      amountCaptured: 0,
    };
    this.tokens.set(token.id, token);
    return this.tokenJson(token);
  }

  retrieveGrantedToken(id: string): Json {
    const token = this.tokens.get(id);
    if (!token || token.grantedTo !== this.accountId) throw resourceMissing("shared_payment.granted_token", id);
    return this.tokenJson(token);
  }

  revokeGrantedToken(id: string): Json {
    const token = this.tokens.get(id);
    if (!token) throw resourceMissing("shared_payment.granted_token", id);
    if (!token.deactivatedReason) {
      token.deactivatedReason = "revoked";
      token.deactivatedAt = nowSeconds();
    }
    return this.tokenJson(token);
  }

  private tokenJson(t: GrantedToken): Json {
    // Expiry is reported lazily, as Stripe does, when someone looks at the token.
    const expired = !t.deactivatedReason && t.expiresAt !== null && nowSeconds() >= t.expiresAt;
    return {
      id: t.id,
      object: "shared_payment.granted_token",
      agent_details: { network_business_profile: "profile_test_sim_agent" },
      created: t.created,
      deactivated_at: expired ? t.expiresAt : t.deactivatedAt,
      deactivated_reason: expired ? "expired" : t.deactivatedReason,
      livemode: false,
      payment_method_details: {
        type: "card",
        billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null },
        card: this.cardJson(t.card),
      },
      shared_metadata: t.sharedMetadata,
      usage_details: { amount_captured: { value: t.amountCaptured, currency: t.currency } },
      usage_limits: { currency: t.currency, expires_at: t.expiresAt, max_amount: t.maxAmount },
    };
  }

  private cardJson(c: TestCard): Json {
    return {
      brand: c.brand,
      country: c.country,
      display_brand: c.brand,
      exp_month: c.expMonth,
      exp_year: c.expYear,
      fingerprint: `fp_${c.last4}sim`,
      funding: c.funding,
      last4: c.last4,
      networks: { available: [c.brand], preferred: null },
      wallet: null,
    };
  }

  /** Enforces the token's usage limits; throws the documented invalid_request codes. */
  private checkToken(tokenId: string, amount: number, currency: string): GrantedToken {
    const found = this.tokens.get(tokenId);
    // Objects of another account are invisible: a token granted to another seller is simply unknown here.
    const token = found && found.grantedTo === this.accountId ? found : undefined;
    const refuse = (code: string, message: string): never => {
      this.tokenUses.push({ at: nowSeconds(), tokenId, paymentIntentId: null, amount, currency, result: "rejected", code });
      throw invalidRequest(message, { code, param: TOKEN_PARAM });
    };
    if (!token) return refuse("resource_missing", `No such shared_payment.granted_token: '${tokenId}'`);
    if (token.deactivatedReason === "revoked") return refuse("shared_payment_granted_token_revoked", `The SharedPaymentGrantedToken ${tokenId} has been revoked and can no longer be used.`);
    if (token.deactivatedReason === "consumed" || token.deactivatedReason === "resolved" || token.reservedBy) {
      return refuse("shared_payment_granted_token_already_used", `The SharedPaymentGrantedToken ${tokenId} has already been used.`);
    }
    if (token.expiresAt !== null && nowSeconds() >= token.expiresAt) return refuse("shared_payment_granted_token_expired", `The SharedPaymentGrantedToken ${tokenId} expired at ${token.expiresAt}.`);
    if (currency !== token.currency) return refuse("shared_payment_granted_token_currency_mismatch", `The currency ${currency} does not match the SharedPaymentGrantedToken's usage_limits.currency (${token.currency}).`);
    if (amount > token.maxAmount) {
      return refuse("shared_payment_granted_token_amount_exceeded", `The amount ${formatAmount(amount, currency)} exceeds the SharedPaymentGrantedToken's usage_limits.max_amount (${formatAmount(token.maxAmount, currency)}).`);
    }
    return token;
  }

  // ───────────────────────── payment intents ─────────────────────────

  createPaymentIntent(params: FormObject, version?: ApiVersion): Json {
    allowOnly(params, PI_CREATE_PARAMS);
    if (version) refuseUnknownOnVersion(params, unknownPaymentIntentParams(version));
    const amount = reqInt(params, "amount");
    const currency = currencyParam(params, "currency");
    const minimum = MINIMUM_AMOUNT[currency] ?? 1;
    if (amount < minimum) {
      throw invalidRequest(`Amount must be at least ${formatAmount(minimum, currency)}`, { code: "amount_too_small", param: "amount" });
    }
    const amountProblem = amountRuleProblem(amount, currency);
    if (amountProblem) throw invalidRequest(amountProblem, { code: "parameter_invalid", param: "amount" });
    const confirm = optBool(params, "confirm") ?? false;
    const captureMethod = optEnum(params, "capture_method", ["automatic", "automatic_async", "manual"] as const) ?? "automatic_async";
    const pmData = optObject(params, "payment_method_data");
    if (pmData) allowOnly(pmData, ["shared_payment_granted_token", "type", "billing_details", "metadata"], "payment_method_data");
    // 2026-04-22 preview: payment_method_data[shared_payment_granted_token]; earlier previews: top level.
    const nested = pmData ? optString(pmData, "shared_payment_granted_token", TOKEN_PARAM) : undefined;
    const topLevel = optString(params, "shared_payment_granted_token");
    if (nested && topLevel) {
      throw invalidRequest("You cannot pass both shared_payment_granted_token and payment_method_data[shared_payment_granted_token].", { code: "parameter_invalid", param: "shared_payment_granted_token" });
    }
    const tokenId = nested ?? topLevel ?? null;
    const pmId = optString(params, "payment_method") ?? null;
    if (tokenId && pmId) {
      throw invalidRequest("You cannot pass both payment_method and a shared_payment_granted_token.", { code: "parameter_invalid", param: "payment_method" });
    }
    const returnUrl = optString(params, "return_url") ?? null;
    const apm = optObject(params, "automatic_payment_methods");
    // Since API 2023-08-16 automatic_payment_methods is on by default when no explicit list of types is
    // given, and Stripe then insists on a return_url (a redirect-based method might be chosen) unless
    // allow_redirects=never. The app must therefore restrict the types to card (payment_method_types[]=card, as
    // in Stripe's SPT docs; allowed_payment_method_types[]=card from 2026-07-29, the only name on GA endive),
    // or pass allow_redirects=never, or a return_url.
    const typesGiven = params.payment_method_types !== undefined || params.allowed_payment_method_types !== undefined;
    const apmEnabled = apm ? optBool(apm, "enabled") !== false : !typesGiven;
    const redirectsAllowed = !apm || optString(apm, "allow_redirects") !== "never";
    if (confirm && returnUrl === null && apmEnabled && redirectsAllowed) {
      throw invalidRequest("This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents. Otherwise, provide a `return_url`.", { param: "return_url" });
    }

    let card: TestCard | null = null;
    let token: GrantedToken | null = null;
    if (tokenId && confirm) {
      token = this.checkToken(tokenId, amount, currency);
      card = token.card;
    } else if (pmId) {
      card = TEST_CARDS[pmId] ?? null;
      if (!card) throw resourceMissing("PaymentMethod", pmId, "payment_method");
    } else if (tokenId) {
      // Not confirming yet: just remember the token (its limits are checked on confirm).
      const t = this.tokens.get(tokenId);
      if (!t || t.grantedTo !== this.accountId) throw resourceMissing("shared_payment.granted_token", tokenId, TOKEN_PARAM);
      card = t.card;
    }
    if (confirm && !card) {
      throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a payment method, pass `payment_method` or a `shared_payment_granted_token`.", { code: "payment_intent_unexpected_state" });
    }

    const pi: PaymentIntentRec = {
      id: newId("pi"),
      created: nowSeconds(),
      createdMs: Date.now(),
      amount,
      currency,
      status: card ? "requires_confirmation" : "requires_payment_method",
      captureMethod,
      description: optString(params, "description") ?? null,
      metadata: metadataParam(params),
      // Stripe clones the shared card into a fresh PaymentMethod on the seller's account.
      paymentMethodId: card ? newId("pm") : null,
      card,
      grantedToken: tokenId,
      latestCharge: null,
      amountReceived: 0,
      amountCapturable: 0,
      lastPaymentError: null,
      nextAction: null,
      canceledAt: null,
      cancellationReason: null,
      returnUrl,
      customer: optString(params, "customer") ?? null,
    };
    this.paymentIntents.set(pi.id, pi);
    if (confirm) this.confirm(pi, token);
    return this.paymentIntentJson(pi, expandList(params));
  }

  /** Runs the card's scripted outcome. Declines throw a 402 carrying the (persisted) intent. */
  private confirm(pi: PaymentIntentRec, token: GrantedToken | null): void {
    const card = pi.card!;
    const use = (result: TokenUse["result"], code?: string) => {
      if (pi.grantedToken) this.tokenUses.push({ at: nowSeconds(), tokenId: pi.grantedToken, paymentIntentId: pi.id, amount: pi.amount, currency: pi.currency, result, code });
    };
    const outcome = card.outcome;
    if (outcome.kind === "require_3ds") {
      pi.status = "requires_action";
      pi.nextAction = pi.returnUrl
        ? { type: "redirect_to_url", redirect_to_url: { return_url: pi.returnUrl, url: `https://hooks.stripe.com/3d_secure_2/hosted?payment_intent=${pi.id}` } }
        : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: `https://hooks.stripe.com/redirect/authenticate/src_sim?client_secret=${pi.id}_secret_sim`, source: "src_sim" } };
      if (token) token.reservedBy = pi.id;
      use("requires_action");
      return;
    }
    const charge: ChargeRec = {
      id: newId("ch"),
      created: nowSeconds(),
      amount: pi.amount,
      amountCaptured: 0,
      amountRefunded: 0,
      currency: pi.currency,
      status: "succeeded",
      captured: false,
      paymentIntent: pi.id,
      paymentMethodId: pi.paymentMethodId!,
      card,
      failureCode: null,
      failureMessage: null,
      declineCode: null,
      metadata: { ...pi.metadata },
      description: pi.description,
    };
    this.charges.set(charge.id, charge);
    pi.latestCharge = charge.id;

    if (outcome.kind === "decline") {
      charge.status = "failed";
      charge.failureCode = outcome.code;
      charge.failureMessage = outcome.message;
      charge.declineCode = outcome.declineCode;
      pi.status = "requires_payment_method";
      pi.lastPaymentError = {
        type: "card_error",
        code: outcome.code,
        decline_code: outcome.declineCode,
        message: outcome.message,
        charge: charge.id,
        doc_url: `https://docs.stripe.com/error-codes/${outcome.code.replace(/_/g, "-")}`,
        payment_method: this.paymentMethodJson(pi),
      };
      // Stripe detaches the failed method from the intent so a new one can be attached.
      const piJson = this.paymentIntentJson(pi, []);
      pi.paymentMethodId = null;
      piJson.payment_method = null;
      use("declined", outcome.declineCode);
      throw cardError(outcome.message, outcome.code, outcome.declineCode, {
        charge: charge.id,
        payment_intent: piJson,
        payment_method: this.paymentMethodJsonFor(charge.paymentMethodId, card),
      });
    }

    if (pi.captureMethod === "manual") {
      pi.status = "requires_capture";
      pi.amountCapturable = pi.amount;
    } else {
      charge.captured = true;
      charge.amountCaptured = pi.amount;
      pi.status = "succeeded";
      pi.amountReceived = pi.amount;
    }
    if (token) {
      token.deactivatedReason = "consumed";
      token.deactivatedAt = nowSeconds();
      token.reservedBy = null;
      token.amountCaptured += charge.amountCaptured;
    }
    use(pi.status === "succeeded" ? "succeeded" : "authorized");
  }

  getPaymentIntent(id: string, params: FormObject = {}): Json {
    return this.paymentIntentJson(this.requirePi(id), expandList(params));
  }

  private requirePi(id: string): PaymentIntentRec {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw resourceMissing("payment_intent", id);
    return pi;
  }

  cancelPaymentIntent(id: string, params: FormObject): Json {
    allowOnly(params, ["cancellation_reason", "expand"]);
    const pi = this.requirePi(id);
    const reason = optEnum(params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"] as const) ?? null;
    const cancellable: PaymentIntentStatus[] = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
    if (!cancellable.includes(pi.status)) {
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${cancellable.join(", ")}.`,
        payment_intent: this.paymentIntentJson(pi, []),
      });
    }
    if (pi.status === "requires_capture" && pi.latestCharge) {
      // Cancelling an authorization releases the funds: Stripe marks the charge fully refunded.
      const ch = this.charges.get(pi.latestCharge)!;
      ch.amountRefunded = ch.amount;
      pi.amountCapturable = 0;
    }
    if (pi.grantedToken) {
      const token = this.tokens.get(pi.grantedToken);
      if (token && token.reservedBy === pi.id) token.reservedBy = null;
    }
    pi.status = "canceled";
    pi.canceledAt = nowSeconds();
    pi.cancellationReason = reason;
    pi.nextAction = null;
    return this.paymentIntentJson(pi, expandList(params));
  }

  capturePaymentIntent(id: string, params: FormObject): Json {
    allowOnly(params, ["amount_to_capture", "metadata", "expand", "final_capture"]);
    const pi = this.requirePi(id);
    if (pi.status !== "requires_capture") {
      throw invalidRequest(`This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, { code: "payment_intent_unexpected_state" });
    }
    const amount = optInt(params, "amount_to_capture") ?? pi.amountCapturable;
    if (amount < 1 || amount > pi.amountCapturable) {
      throw invalidRequest(`The amount_to_capture must be between 1 and ${pi.amountCapturable}.`, { code: "amount_too_large", param: "amount_to_capture" });
    }
    const ch = this.charges.get(pi.latestCharge!)!;
    ch.captured = true;
    ch.amountCaptured = amount;
    // Stripe releases the uncaptured remainder, shown as a refund of the difference.
    ch.amountRefunded = pi.amount - amount;
    pi.amountReceived = amount;
    pi.amountCapturable = 0;
    pi.status = "succeeded";
    if (pi.grantedToken) {
      const t = this.tokens.get(pi.grantedToken);
      if (t) t.amountCaptured += amount;
    }
    Object.assign(pi.metadata, metadataParam(params));
    return this.paymentIntentJson(pi, expandList(params));
  }

  listPaymentIntents(params: FormObject): Json {
    const limit = listLimit(params);
    const customer = optString(params, "customer");
    const created = createdFilter(params);
    const all = [...this.paymentIntents.values()].filter((p) => (!customer || p.customer === customer) && created(p.created));
    const expand = itemExpansions(params);
    return this.page("/v1/payment_intents", newestFirst(all), params, limit, (p) => this.paymentIntentJson(p, expand));
  }

  /**
   * Stripe Search is eventually consistent ("data can take up to a minute to appear"); intents younger
   * than this many ms are left out of search results (list and retrieve see them at once).
   */
  searchLagMs = 0;

  searchPaymentIntents(params: FormObject): Json {
    const query = reqString(params, "query");
    const limit = listLimit(params);
    const clauses = parseSearchQuery(query);
    const indexedBefore = Date.now() - this.searchLagMs;
    const indexed = [...this.paymentIntents.values()].filter((p) => p.createdMs <= indexedBefore);
    const hits = newestFirst(indexed).filter((p) =>
      matchesQuery(clauses, (field, key) => {
        if (field === "metadata") return key === undefined ? undefined : p.metadata[key];
        if (field === "status") return p.status;
        if (field === "currency") return p.currency;
        if (field === "amount") return String(p.amount);
        if (field === "customer") return p.customer ?? undefined;
        if (field === "created") return String(p.created);
        throw invalidRequest(`Field \`${field}\` is an unsupported search field for resource \`payment_intents\`.`, { param: "query" });
      }),
    );
    const expand = itemExpansions(params);
    const data = hits.slice(0, limit).map((p) => this.paymentIntentJson(p, expand));
    return { object: "search_result", data, has_more: hits.length > limit, next_page: null, url: "/v1/payment_intents/search" };
  }

  private paymentMethodJsonFor(pmId: string, card: TestCard): Json {
    return {
      id: pmId,
      object: "payment_method",
      type: "card",
      card: this.cardJson(card),
      billing_details: { address: null, email: null, name: null, phone: null },
      created: nowSeconds(),
      customer: null,
      livemode: false,
      metadata: {},
    };
  }

  private paymentMethodJson(pi: PaymentIntentRec): Json | null {
    return pi.paymentMethodId && pi.card ? this.paymentMethodJsonFor(pi.paymentMethodId, pi.card) : null;
  }

  paymentIntentJson(pi: PaymentIntentRec, expand: string[]): Json {
    const charge = pi.latestCharge ? this.charges.get(pi.latestCharge) : undefined;
    return {
      id: pi.id,
      object: "payment_intent",
      amount: pi.amount,
      amount_capturable: pi.amountCapturable,
      amount_details: { tip: {} },
      amount_received: pi.amountReceived,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: pi.canceledAt,
      cancellation_reason: pi.cancellationReason,
      capture_method: pi.captureMethod,
      client_secret: `${pi.id}_secret_sim`,
      confirmation_method: "automatic",
      created: pi.created,
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      last_payment_error: pi.lastPaymentError,
      latest_charge: expand.includes("latest_charge") && charge ? this.chargeJson(charge) : pi.latestCharge,
      livemode: false,
      metadata: pi.metadata,
      next_action: pi.nextAction,
      on_behalf_of: null,
      payment_method: expand.includes("payment_method") ? this.paymentMethodJson(pi) : pi.paymentMethodId,
      payment_method_options: { card: { request_three_d_secure: "automatic" } },
      payment_method_types: ["card"],
      allowed_payment_method_types: ["card"],
      processing: null,
      receipt_email: null,
      review: null,
      setup_future_usage: null,
      shared_payment_granted_token: pi.grantedToken,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: pi.status,
      transfer_data: null,
      transfer_group: null,
    };
  }

  // ───────────────────────── charges ─────────────────────────

  getCharge(id: string): Json {
    const ch = this.charges.get(id);
    if (!ch) throw resourceMissing("charge", id);
    return this.chargeJson(ch);
  }

  chargeJson(ch: ChargeRec): Json {
    const failed = ch.status === "failed";
    return {
      id: ch.id,
      object: "charge",
      amount: ch.amount,
      amount_captured: ch.amountCaptured,
      amount_refunded: ch.amountRefunded,
      balance_transaction: failed ? null : `txn_${ch.id.slice(3)}`,
      captured: ch.captured,
      created: ch.created,
      currency: ch.currency,
      description: ch.description,
      disputed: false,
      failure_code: ch.failureCode,
      failure_message: ch.failureMessage,
      livemode: false,
      metadata: ch.metadata,
      outcome: failed
        ? { network_status: "declined_by_network", reason: ch.declineCode, risk_level: "normal", seller_message: "The bank did not return any further details with this decline.", type: "issuer_declined" }
        : { network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
      paid: !failed,
      payment_intent: ch.paymentIntent,
      payment_method: ch.paymentMethodId,
      payment_method_details: { type: "card", card: { ...this.cardJson(ch.card), checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null } } },
      refunded: ch.captured && ch.amountRefunded >= ch.amount,
      status: ch.status,
    };
  }

  // ───────────────────────── refunds ─────────────────────────

  createRefund(params: FormObject): Json {
    allowOnly(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand", "instructions_email"]);
    const piId = optString(params, "payment_intent");
    const chId = optString(params, "charge");
    if (!piId && !chId) throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", { code: "parameter_missing" });
    let charge: ChargeRec | undefined;
    if (piId) {
      const pi = this.paymentIntents.get(piId);
      if (!pi) throw resourceMissing("payment_intent", piId, "payment_intent");
      charge = pi.latestCharge ? this.charges.get(pi.latestCharge) : undefined;
      if (!charge || charge.status !== "succeeded" || !charge.captured) {
        throw invalidRequest(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
      }
      if (chId && chId !== charge.id) throw invalidRequest("The charge does not belong to this PaymentIntent.", { param: "charge" });
    } else {
      charge = this.charges.get(chId!);
      if (!charge) throw resourceMissing("charge", chId!, "charge");
      if (charge.status !== "succeeded" || !charge.captured) throw invalidRequest(`Charge ${chId} has not been captured.`, { code: "charge_not_refundable", param: "charge" });
    }
    // Stripe counts a released (uncaptured) remainder as refunded, so what is left is amount − refunded.
    const remaining = charge.amount - charge.amountRefunded;
    if (remaining <= 0) {
      throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    }
    const amount = optInt(params, "amount") ?? remaining;
    if (amount < 1) throw invalidRequest("Invalid positive integer", { code: "parameter_invalid_integer", param: "amount" });
    const refundAmountProblem = amountRuleProblem(amount, charge.currency);
    if (refundAmountProblem) throw invalidRequest(refundAmountProblem, { code: "parameter_invalid", param: "amount" });
    if (amount > remaining) {
      throw invalidRequest(`Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`, { code: "amount_too_large", param: "amount" });
    }
    const reason = optEnum(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
    const refund: RefundRec = {
      id: newId("re"),
      created: nowSeconds(),
      amount,
      currency: charge.currency,
      charge: charge.id,
      paymentIntent: charge.paymentIntent,
      reason,
      status: "succeeded", // test-mode card refunds settle immediately
      metadata: metadataParam(params),
    };
    charge.amountRefunded += amount;
    this.refunds.set(refund.id, refund);
    return this.refundJson(refund);
  }

  getRefund(id: string): Json {
    const r = this.refunds.get(id);
    if (!r) throw resourceMissing("refund", id);
    return this.refundJson(r);
  }

  listRefunds(params: FormObject): Json {
    const limit = listLimit(params);
    const pi = optString(params, "payment_intent");
    const ch = optString(params, "charge");
    const all = [...this.refunds.values()].filter((r) => (!pi || r.paymentIntent === pi) && (!ch || r.charge === ch));
    return this.page("/v1/refunds", newestFirst(all), params, limit, (r) => this.refundJson(r));
  }

  private refundJson(r: RefundRec): Json {
    return {
      id: r.id,
      object: "refund",
      amount: r.amount,
      balance_transaction: `txn_${r.id.slice(3)}`,
      charge: r.charge,
      created: r.created,
      currency: r.currency,
      destination_details: { type: "card", card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" } },
      metadata: r.metadata,
      payment_intent: r.paymentIntent,
      reason: r.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: r.status,
      transfer_reversal: null,
    };
  }

  private page<T extends { id: string }>(url: string, items: T[], params: FormObject, limit: number, toJson: (t: T) => Json): Json {
    const after = optString(params, "starting_after");
    const before = optString(params, "ending_before");
    let slice = items;
    if (after) {
      const i = items.findIndex((x) => x.id === after);
      if (i === -1) throw resourceMissing("object", after, "starting_after");
      slice = items.slice(i + 1);
    } else if (before) {
      const i = items.findIndex((x) => x.id === before);
      if (i === -1) throw resourceMissing("object", before, "ending_before");
      slice = items.slice(Math.max(0, i - limit), i);
    }
    return { object: "list", data: slice.slice(0, limit).map(toJson), has_more: slice.length > limit, url };
  }

  // ───────────────────────── ledger ─────────────────────────

  ledger(): StripeLedger {
    return {
      accountId: this.accountId,
      paymentIntents: [...this.paymentIntents.values()].map((p) => {
        const ch = p.latestCharge ? this.charges.get(p.latestCharge) : undefined;
        return {
          id: p.id,
          status: p.status,
          amount: p.amount,
          currency: p.currency,
          amountReceived: p.amountReceived,
          amountRefunded: ch?.amountRefunded ?? 0,
          metadata: { ...p.metadata },
          latestCharge: p.latestCharge,
          grantedToken: p.grantedToken,
          created: p.created,
        };
      }),
      charges: [...this.charges.values()].map((c) => ({
        id: c.id, paymentIntent: c.paymentIntent, status: c.status, amount: c.amount, amountCaptured: c.amountCaptured,
        amountRefunded: c.amountRefunded, currency: c.currency, failureCode: c.failureCode,
      })),
      refunds: [...this.refunds.values()].map((r) => ({
        id: r.id, paymentIntent: r.paymentIntent, charge: r.charge, amount: r.amount, currency: r.currency, status: r.status, reason: r.reason, metadata: { ...r.metadata },
      })),
      tokens: [...this.tokens.values()].map((t) => ({
        id: t.id, paymentMethod: t.paymentMethod, currency: t.currency, maxAmount: t.maxAmount, expiresAt: t.expiresAt,
        deactivatedReason: t.deactivatedReason, reservedBy: t.reservedBy, amountCaptured: t.amountCaptured,
      })),
      tokenUses: this.tokenUses.map((u) => ({ ...u })),
    };
  }
}

/** A parameter the request's API version does not have is unknown, exactly like a typo (400 parameter_unknown). */
function refuseUnknownOnVersion(params: FormObject, unknown: string[]): void {
  for (const name of unknown) {
    const [top, nested] = name.replace("]", "").split("[");
    const value = params[top];
    if (value === undefined) continue;
    if (!nested) throw unknownParam(name);
    if (value && typeof value === "object" && !Array.isArray(value) && (value as FormObject)[nested] !== undefined) throw unknownParam(name);
  }
}

/** List endpoints expand inside items with `expand[]=data.field`. */
function itemExpansions(params: FormObject): string[] {
  return expandList(params).filter((e) => e.startsWith("data.")).map((e) => e.slice(5));
}

/** `created=123` or `created[gte|gt|lte|lt]=123`. */
function createdFilter(params: FormObject): (t: number) => boolean {
  const exact = typeof params.created === "string" ? optInt(params, "created") : undefined;
  if (exact !== undefined) return (t) => t === exact;
  const range = optObject(params, "created");
  if (!range) return () => true;
  allowOnly(range, ["gte", "gt", "lte", "lt"], "created");
  const gte = optInt(range, "gte", "created[gte]");
  const gt = optInt(range, "gt", "created[gt]");
  const lte = optInt(range, "lte", "created[lte]");
  const lt = optInt(range, "lt", "created[lt]");
  return (t) => (gte === undefined || t >= gte) && (gt === undefined || t > gt) && (lte === undefined || t <= lte) && (lt === undefined || t < lt);
}

function newestFirst<T extends { created: number }>(items: T[]): T[] {
  // Map iteration is insertion order; reverse it so equal `created` seconds still sort newest first.
  return [...items].reverse().sort((a, b) => b.created - a.created);
}

export interface StripeLedger {
  accountId: string;
  paymentIntents: Array<{
    id: string; status: PaymentIntentStatus; amount: number; currency: string; amountReceived: number; amountRefunded: number;
    metadata: Record<string, string>; latestCharge: string | null; grantedToken: string | null; created: number;
  }>;
  charges: Array<{ id: string; paymentIntent: string; status: "succeeded" | "failed"; amount: number; amountCaptured: number; amountRefunded: number; currency: string; failureCode: string | null }>;
  refunds: Array<{ id: string; paymentIntent: string; charge: string; amount: number; currency: string; status: string; reason: string | null; metadata: Record<string, string> }>;
  tokens: Array<{ id: string; paymentMethod: string; currency: string; maxAmount: number; expiresAt: number | null; deactivatedReason: string | null; reservedBy: string | null; amountCaptured: number }>;
  tokenUses: TokenUse[];
}

// The Stripe adapter end to end: real `stripe` SDK → HTTP → sim/stripe. Nothing is mocked; the sim's
// ledger is the source of truth for "how many charges really happened".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import type { ChargeInput, PaymentGateway } from "./gateway";
import { createStripeGateway, sdkAddress } from "./stripe-gateway.server";

let sim: StripeSim;
let gateway: PaymentGateway;
let counter = 0;

beforeAll(async () => {
  sim = await startStripeSim({ port: 0 });
  gateway = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 0, timeoutMs: 5_000 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.reset();
});

function mint(paymentMethod = "pm_card_visa", maxAmount = 5_000, currency = "usd", expiresAt?: number) {
  return sim.mintGrantedToken({ paymentMethod, currency, maxAmount, expiresAt }).id;
}

function chargeInput(token: string, overrides: Partial<ChargeInput> = {}): ChargeInput {
  counter += 1;
  const session = `cs_test_${counter}`;
  return {
    token,
    amountMinor: 5_000,
    currency: "usd",
    idempotencyKey: `charge:${session}:1`,
    metadata: { checkout_session_id: session, shop: "demo.myshopify.com" },
    description: `ACP checkout ${session}`,
    ...overrides,
  };
}

describe("charge", () => {
  it("charges a visa SPT once and reports card details", async () => {
    const input = chargeInput(mint());
    const out = await gateway.charge(input);
    expect(out).toMatchObject({ kind: "succeeded", amountMinor: 5_000, currency: "usd", cardBrand: "visa", cardLast4: "4242" });
    if (out.kind !== "succeeded") throw new Error("unreachable");
    expect(out.paymentIntentId).toMatch(/^pi_/);
    expect(out.chargeId).toMatch(/^ch_/);

    const ledger = sim.ledger();
    expect(ledger.paymentIntents).toHaveLength(1);
    expect(ledger.paymentIntents[0]).toMatchObject({ id: out.paymentIntentId, status: "succeeded", amount: 5_000, currency: "usd", amountReceived: 5_000 });
    expect(ledger.paymentIntents[0].metadata.checkout_session_id).toBe(input.metadata.checkout_session_id);
    expect(ledger.tokens[0].deactivatedReason).toBe("consumed");
    // The SDK sent the 2026 preview parameter form.
    expect(ledger.tokenUses).toEqual([expect.objectContaining({ result: "succeeded", paymentIntentId: out.paymentIntentId })]);
  });

  it("replays the same result for the same idempotency key (one charge)", async () => {
    const input = chargeInput(mint());
    const first = await gateway.charge(input);
    const second = await gateway.charge(input);
    expect(second).toEqual(first);
    expect(sim.ledger().paymentIntents).toHaveLength(1);
    expect(sim.ledger().requests.filter((r) => r.path === "/v1/payment_intents" && r.replayed)).toHaveLength(1);
  });

  it("can use the older top-level token parameter", async () => {
    const legacy = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 0, sptParameter: "top_level", apiVersion: "2025-09-30.preview" });
    const out = await legacy.charge(chargeInput(mint()));
    expect(out.kind).toBe("succeeded");
  });

  it("refuses a reused token with a new key as invalid_token/already_used", async () => {
    const token = mint();
    expect((await gateway.charge(chargeInput(token))).kind).toBe("succeeded");
    const again = await gateway.charge(chargeInput(token));
    expect(again).toMatchObject({ kind: "invalid_token", reason: "already_used", code: "shared_payment_granted_token_already_used" });
    if (again.kind === "invalid_token") expect(again.message).not.toContain(token); // token ids are scrubbed
    expect(sim.ledger().paymentIntents).toHaveLength(1);
  });

  it("refuses an amount above max_amount", async () => {
    const out = await gateway.charge(chargeInput(mint("pm_card_visa", 4_999)));
    expect(out).toMatchObject({ kind: "invalid_token", reason: "amount_exceeded", code: "shared_payment_granted_token_amount_exceeded" });
    expect(sim.ledger().paymentIntents).toHaveLength(0);
  });

  it("refuses a currency other than the token's", async () => {
    const out = await gateway.charge(chargeInput(mint("pm_card_visa", 5_000, "eur")));
    expect(out).toMatchObject({ kind: "invalid_token", reason: "currency_mismatch" });
  });

  it("refuses an expired token", async () => {
    const out = await gateway.charge(chargeInput(mint("pm_card_visa", 5_000, "usd", Math.floor(Date.now() / 1000) - 60)));
    expect(out).toMatchObject({ kind: "invalid_token", reason: "expired", code: "shared_payment_granted_token_expired" });
  });

  it("refuses a revoked token and an unknown one", async () => {
    const token = mint();
    sim.revokeGrantedToken(token);
    expect(await gateway.charge(chargeInput(token))).toMatchObject({ kind: "invalid_token", reason: "revoked" });
    expect(await gateway.charge(chargeInput("spt_doesnotexist"))).toMatchObject({ kind: "invalid_token", reason: "not_found", code: "resource_missing" });
  });

  it("maps a decline to declined with Stripe's codes, leaving the token usable", async () => {
    const out = await gateway.charge(chargeInput(mint("pm_card_chargeDeclined")));
    expect(out).toMatchObject({ kind: "declined", code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." });
    if (out.kind !== "declined") throw new Error("unreachable");
    expect(out.paymentIntentId).toMatch(/^pi_/);
    const ledger = sim.ledger();
    expect(ledger.paymentIntents[0].status).toBe("requires_payment_method");
    expect(ledger.tokens[0].deactivatedReason).toBeNull();

    const funds = await gateway.charge(chargeInput(mint("pm_card_chargeDeclinedInsufficientFunds")));
    expect(funds).toMatchObject({ kind: "declined", code: "card_declined", declineCode: "insufficient_funds" });
  });

  it("maps 3DS to requires_authentication; void cancels it (twice is fine)", async () => {
    const out = await gateway.charge(chargeInput(mint("pm_card_threeDSecureRequired")));
    expect(out).toMatchObject({ kind: "requires_authentication" });
    if (out.kind !== "requires_authentication") throw new Error("unreachable");
    expect(sim.ledger().paymentIntents[0].status).toBe("requires_action");

    await gateway.void({ paymentIntentId: out.paymentIntentId, idempotencyKey: `void:${out.paymentIntentId}` });
    await gateway.void({ paymentIntentId: out.paymentIntentId, idempotencyKey: `void:${out.paymentIntentId}:again` });
    expect(sim.ledger().paymentIntents[0].status).toBe("canceled");
    // Cancelling released the token's reservation.
    expect(sim.ledger().tokens[0].reservedBy).toBeNull();
  });

  it("refuses to void a succeeded charge", async () => {
    const out = await gateway.charge(chargeInput(mint()));
    if (out.kind !== "succeeded") throw new Error("expected success");
    await expect(gateway.void({ paymentIntentId: out.paymentIntentId, idempotencyKey: "void:x" })).rejects.toMatchObject({
      name: "PaymentGatewayError",
      retryable: false,
      code: "payment_intent_unexpected_state",
    });
  });

  it("rejects malformed input without calling Stripe", async () => {
    const out = await gateway.charge(chargeInput(mint(), { amountMinor: 12.5 }));
    expect(out).toMatchObject({ kind: "failed", retryable: false, code: "invalid_input" });
    expect(sim.ledger().requests).toHaveLength(0);
  });
});

describe("refund", () => {
  async function paid(amount = 5_000) {
    const out = await gateway.charge(chargeInput(mint("pm_card_visa", amount), { amountMinor: amount }));
    if (out.kind !== "succeeded") throw new Error(`charge failed: ${out.kind}`);
    return out.paymentIntentId;
  }

  it("refunds in full by default", async () => {
    const pi = await paid();
    const r = await gateway.refund({ paymentIntentId: pi, idempotencyKey: `refund:${pi}:1`, reason: "requested_by_customer" });
    expect(r).toMatchObject({ kind: "succeeded", amountMinor: 5_000 });
    expect(sim.ledger().paymentIntents[0].amountRefunded).toBe(5_000);
    expect(sim.ledger().refunds[0]).toMatchObject({ amount: 5_000, reason: "requested_by_customer" });
  });

  it("refunds partially, replays by key, and refuses an over-refund", async () => {
    const pi = await paid();
    const first = await gateway.refund({ paymentIntentId: pi, amountMinor: 1_500, idempotencyKey: `refund:${pi}:1`, reason: "item out of stock" });
    expect(first).toMatchObject({ kind: "succeeded", amountMinor: 1_500 });
    expect(await gateway.refund({ paymentIntentId: pi, amountMinor: 1_500, idempotencyKey: `refund:${pi}:1`, reason: "item out of stock" })).toEqual(first);
    // A free-text reason is not a Stripe reason: it travels in metadata.
    expect(sim.ledger().refunds).toHaveLength(1);
    expect(sim.ledger().refunds[0]).toMatchObject({ reason: null, metadata: { refund_reason: "item out of stock" } });

    const over = await gateway.refund({ paymentIntentId: pi, amountMinor: 3_501, idempotencyKey: `refund:${pi}:2` });
    expect(over).toMatchObject({ kind: "failed", retryable: false, code: "amount_too_large" });
    expect(await gateway.refund({ paymentIntentId: pi, idempotencyKey: `refund:${pi}:3` })).toMatchObject({ kind: "succeeded", amountMinor: 3_500 });
    expect(await gateway.refund({ paymentIntentId: pi, amountMinor: 1, idempotencyKey: `refund:${pi}:4` })).toMatchObject({
      kind: "failed",
      retryable: false,
      code: "charge_already_refunded",
    });
    expect(sim.ledger().paymentIntents[0].amountRefunded).toBe(5_000);
  });
});

describe("findCharge", () => {
  it("finds the succeeded charge of a session, and null otherwise", async () => {
    const input = chargeInput(mint());
    const charged = await gateway.charge(input);
    // A declined attempt for another session must not be found for this one.
    await gateway.charge(chargeInput(mint("pm_card_chargeDeclined")));
    const found = await gateway.findCharge({ checkoutSessionId: input.metadata.checkout_session_id });
    expect(found).toEqual(charged);
    expect(await gateway.findCharge({ checkoutSessionId: "cs_never_charged" })).toBeNull();
  });

  it("still finds a fresh charge while Stripe's search index lags (falls back to list)", async () => {
    sim.configure({ searchLagMs: 60_000 });
    const input = chargeInput(mint());
    const charged = await gateway.charge(input);
    expect(await gateway.findCharge({ checkoutSessionId: input.metadata.checkout_session_id })).toEqual(charged);
    const paths = sim.ledger().requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(["POST /v1/payment_intents", "GET /v1/payment_intents/search", "GET /v1/payment_intents"]);
  });
});

describe("failures", () => {
  it("reports a 500 as failed/retryable; the retry with the same key charges once", async () => {
    const input = chargeInput(mint());
    sim.configure({ failNext: 1, match: "POST /v1/payment_intents" });
    expect(await gateway.charge(input)).toMatchObject({ kind: "failed", retryable: true });
    expect(sim.ledger().paymentIntents).toHaveLength(0);
    expect((await gateway.charge(input)).kind).toBe("succeeded");
    expect(sim.ledger().paymentIntents).toHaveLength(1);
  });

  it("lets the SDK retry a 500 by itself when retries are enabled", async () => {
    const retrying = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 1 });
    sim.configure({ failNext: 1, match: "POST /v1/payment_intents" });
    expect((await retrying.charge(chargeInput(mint()))).kind).toBe("succeeded");
    expect(sim.ledger().paymentIntents).toHaveLength(1);
    expect(sim.ledger().requests.filter((r) => r.path === "/v1/payment_intents").map((r) => r.status)).toEqual([500, 200]);
  });

  it("never charges twice when the response is lost (SDK resends under the same key)", async () => {
    sim.configure({ dropNext: 1, match: "POST /v1/payment_intents" });
    const out = await gateway.charge(chargeInput(mint()));
    // stripe-node retries a reset connection once even with maxNetworkRetries 0; Stripe replays it.
    expect(out.kind).toBe("succeeded");
    const ledger = sim.ledger();
    expect(ledger.paymentIntents).toHaveLength(1);
    expect(ledger.requests.filter((r) => r.path === "/v1/payment_intents").map((r) => [r.fault ?? "ok", r.replayed])).toEqual([
      ["dropped", false],
      ["ok", true],
    ]);
  });

  it("reports a timeout as failed/retryable, and findCharge recovers the charge made meanwhile", async () => {
    const impatient = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 0, timeoutMs: 100 });
    sim.configure({ latencyMs: 300, match: "POST /v1/payment_intents" });
    const input = chargeInput(mint());
    expect(await impatient.charge(input)).toMatchObject({ kind: "failed", retryable: true });
    await new Promise((r) => setTimeout(r, 400)); // the sim finishes the charge after we gave up
    sim.configure({});
    const found = await gateway.findCharge({ checkoutSessionId: input.metadata.checkout_session_id });
    expect(found).toMatchObject({ kind: "succeeded", amountMinor: 5_000 });
    expect(sim.ledger().paymentIntents).toHaveLength(1);
  });

  it("reports a bad secret key as failed, not retryable", async () => {
    const wrong = createStripeGateway({ secretKey: "sk_test_wrong", apiBase: sim.url, maxNetworkRetries: 0 });
    expect(await wrong.charge(chargeInput(mint()))).toMatchObject({ kind: "failed", retryable: false });
  });

  it("reports an unreachable Stripe as failed/retryable", async () => {
    const nowhere = createStripeGateway({ secretKey: sim.apiKey, apiBase: "http://127.0.0.1:1", maxNetworkRetries: 0, timeoutMs: 1_000 });
    expect(await nowhere.charge(chargeInput(mint()))).toMatchObject({ kind: "failed", retryable: true });
  });
});

describe("sdkAddress", () => {
  it("maps apiBase to the SDK's host/port/protocol", () => {
    expect(sdkAddress("http://127.0.0.1:4200")).toEqual({ host: "127.0.0.1", port: 4200, protocol: "http" });
    expect(sdkAddress("https://api.stripe.com")).toEqual({ host: "api.stripe.com", port: 443, protocol: "https" });
    expect(sdkAddress(undefined)).toEqual({});
    expect(() => sdkAddress("http://localhost:4200/v1")).toThrow(/path/);
  });
});

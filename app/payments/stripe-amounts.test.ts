// Stripe-side amounts (issue 13 item 4, docs/decisions/0143): ISO minor units → Stripe's `amount` and back, and
// the stand-in enforcing Stripe's per-currency rules on what the gateway sends.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { decimalToMinor } from "../money";
import { fromStripeAmount, toStripeAmount } from "./stripe-amounts";
import { createStripeGateway } from "./stripe-gateway.server";
import type { PaymentGateway } from "./gateway";

describe("toStripeAmount / fromStripeAmount", () => {
  it("passes two-decimal and zero-decimal currencies through (JPY is whole yen)", () => {
    expect(toStripeAmount(decimalToMinor("19.99", "usd"), "usd")).toEqual({ ok: true, amount: 1999 });
    expect(toStripeAmount(decimalToMinor("1500", "jpy"), "jpy")).toEqual({ ok: true, amount: 1500 });
    expect(toStripeAmount(decimalToMinor("2500", "krw"), "KRW")).toEqual({ ok: true, amount: 2500 });
    expect(toStripeAmount(decimalToMinor("12.34", "huf"), "huf")).toEqual({ ok: true, amount: 1234 });
  });

  it("three-decimal currencies: thousandths ending in 0 go as they are, others are refused (never rounded)", () => {
    expect(toStripeAmount(decimalToMinor("5.120", "kwd"), "kwd")).toEqual({ ok: true, amount: 5120 });
    expect(toStripeAmount(decimalToMinor("12.5", "bhd"), "bhd")).toEqual({ ok: true, amount: 12500 });
    for (const c of ["bhd", "jod", "kwd", "omr", "tnd"]) expect(toStripeAmount(5124, c).ok).toBe(false);
  });

  it("ISK is passed with two decimals, MGA in whole units; both convert back", () => {
    expect(toStripeAmount(decimalToMinor("1500", "isk"), "isk")).toEqual({ ok: true, amount: 150_000 });
    expect(fromStripeAmount(150_000, "isk")).toBe(1500);
    expect(toStripeAmount(decimalToMinor("3000.00", "mga"), "mga")).toEqual({ ok: true, amount: 3000 });
    expect(toStripeAmount(decimalToMinor("3000.50", "mga"), "mga").ok).toBe(false);
    expect(fromStripeAmount(3000, "mga")).toBe(300_000);
    for (const [minor, c] of [[1999, "usd"], [1500, "jpy"], [5120, "kwd"], [1500, "isk"]] as const) {
      const s = toStripeAmount(minor, c);
      expect(s.ok && fromStripeAmount(s.amount, c)).toBe(minor);
    }
  });

  it("refuses what is not a positive integer", () => {
    expect(toStripeAmount(0, "usd").ok).toBe(false);
    expect(toStripeAmount(12.5, "usd").ok).toBe(false);
  });
});

describe("the gateway against Stripe's amount rules (stand-in)", () => {
  let sim: StripeSim;
  let gateway: PaymentGateway;
  beforeAll(async () => {
    sim = await startStripeSim({ port: 0 });
    gateway = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 0 });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());

  const charge = (amountMinor: number, currency: string, maxAmount: number) =>
    gateway.charge({
      token: sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency, maxAmount }).id,
      amountMinor,
      currency,
      idempotencyKey: `k-${currency}-${amountMinor}`,
      metadata: { checkout_session_id: `cs_${currency}_${amountMinor}` },
    });

  it("charges JPY, KWD and ISK exactly the ACP total, reported back in ISO minor units", async () => {
    expect(await charge(1500, "jpy", 1500)).toMatchObject({ kind: "succeeded", amountMinor: 1500, currency: "jpy" });
    expect(await charge(5120, "kwd", 5120)).toMatchObject({ kind: "succeeded", amountMinor: 5120, currency: "kwd" });
    expect(await charge(1500, "isk", 150_000)).toMatchObject({ kind: "succeeded", amountMinor: 1500, currency: "isk" });
    expect(sim.ledger().paymentIntents.map((p) => [p.currency, p.amount]).sort()).toEqual([["isk", 150_000], ["jpy", 1500], ["kwd", 5120]]);
  });

  it("a KWD total not ending in 0 is refused before any request, nothing charged", async () => {
    expect(await charge(5124, "kwd", 6000)).toMatchObject({ kind: "failed", retryable: false, code: "amount_not_chargeable", notCharged: true });
    expect(sim.ledger().requests.filter((r) => r.path === "/v1/payment_intents")).toHaveLength(0);
  });

  it("canCharge asks the same rule without a request, and agrees with charge()", async () => {
    for (const c of ["bhd", "jod", "kwd", "omr", "tnd"]) {
      expect(gateway.canCharge(5120, c)).toEqual({ ok: true });
      expect(gateway.canCharge(5124, c)).toEqual({ ok: false, reason: `Stripe charges ${c.toUpperCase()} only in multiples of 0.010; 5.124 ${c.toUpperCase()} would have to be rounded` });
    }
    for (const [minor, c] of [[1999, "usd"], [1500, "jpy"], [1500, "isk"], [300_000, "mga"]] as const) expect(gateway.canCharge(minor, c).ok).toBe(true);
    expect(gateway.canCharge(300_050, "mga")).toMatchObject({ ok: false, reason: expect.stringContaining("3000.50 MGA") });
    expect(sim.ledger().requests).toHaveLength(0);
    for (const [minor, c] of [[5124, "kwd"], [5120, "kwd"], [7777, "bhd"]] as const) {
      expect((await charge(minor, c, 10_000)).kind === "succeeded", `${minor} ${c}`).toBe(gateway.canCharge(minor, c).ok);
    }
  });

  it("the stand-in refuses what Stripe refuses: a three-decimal amount not ending in 0, ISK not divisible by 100", async () => {
    const post = (form: string) =>
      fetch(`${sim.url}/v1/payment_intents`, { method: "POST", headers: { Authorization: `Bearer ${sim.apiKey}`, "Content-Type": "application/x-www-form-urlencoded" }, body: form }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: Record<string, unknown> } }));
    expect(await post("amount=5124&currency=kwd")).toMatchObject({ status: 400, body: { error: { type: "invalid_request_error", param: "amount" } } });
    expect(await post("amount=150050&currency=isk")).toMatchObject({ status: 400, body: { error: { param: "amount" } } });
    expect((await post("amount=5120&currency=kwd")).status).toBe(200);
  });
});

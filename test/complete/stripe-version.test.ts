// Issue 13 item 1: the Stripe API version the app sends, and the Shared Payment Token parameter on it
// (docs/decisions/0140, 0144). The stand-in refuses the parameter on versions that do not have it, as Stripe does.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { checkSharedPaymentTokens, createStripeGateway, STRIPE_API_VERSION } from "../../app/payments/stripe-gateway.server";
import { goingLiveChecklist, type ChecklistState } from "../../app/admin/checklist";
import { sharedPaymentReadinessFor } from "../../app/payments/spt-readiness.server";
import { encryptSecret } from "../../app/security/secrets.server";
import { shopSecret } from "../../app/security/encrypted-columns.server";
import { completeWorld } from "./world";

describe("the stand-in: SPTs exist only on preview versions", () => {
  let sim: StripeSim;
  beforeAll(async () => {
    sim = await startStripeSim({ port: 0 });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());

  async function createIntent(version: string, form: string) {
    const res = await fetch(`${sim.url}/v1/payment_intents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sim.apiKey}`, "Content-Type": "application/x-www-form-urlencoded", "Stripe-Version": version },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as { error?: Record<string, unknown>; status?: string } };
  }
  const nested = (tok: string) => `amount=1000&currency=usd&confirm=true&payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}`;
  const topLevel = (tok: string) => `amount=1000&currency=usd&confirm=true&payment_method_types[0]=card&shared_payment_granted_token=${tok}`;
  const token = () => sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: 1000 }).id;

  it("answers the SPT parameter on a GA version with Stripe's parameter_unknown, charging nothing", async () => {
    for (const version of ["2026-10-28.endive", "2026-09-30.endive", "2026-07-29.dahlia"]) {
      const r = await createIntent(version, nested(token()));
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual(expect.objectContaining({
        type: "invalid_request_error",
        code: "parameter_unknown",
        param: "payment_method_data[shared_payment_granted_token]",
        message: "Received unknown parameter: payment_method_data[shared_payment_granted_token]",
        doc_url: "https://docs.stripe.com/error-codes/parameter-unknown",
      }));
    }
    expect(sim.ledger().paymentIntents).toHaveLength(0);
    expect(sim.ledger().tokens.every((t) => t.deactivatedReason === null)).toBe(true);
  });

  it("takes the nested parameter from 2026-04-22.preview on and the top-level one before it", async () => {
    expect((await createIntent("2026-07-29.preview", nested(token()))).body.status).toBe("succeeded");
    expect((await createIntent("2026-04-22.preview", nested(token()))).body.status).toBe("succeeded");
    expect((await createIntent("2026-04-22.preview", topLevel(token()))).body.error).toMatchObject({ code: "parameter_unknown", param: "shared_payment_granted_token" });
    expect((await createIntent("2025-09-30.preview", topLevel(token()))).body.status).toBe("succeeded");
    expect((await createIntent("2025-09-30.preview", nested(token()))).body.error).toMatchObject({ code: "parameter_unknown" });
  });

  it("knows allowed_payment_method_types only from 2026-07-29, and GA endive no longer takes payment_method_types", async () => {
    const form = "amount=1000&currency=usd";
    expect((await createIntent("2026-04-22.preview", `${form}&allowed_payment_method_types[0]=card`)).body.error).toMatchObject({ code: "parameter_unknown", param: "allowed_payment_method_types" });
    expect((await createIntent("2026-10-28.endive", `${form}&payment_method_types[0]=card`)).body.error).toMatchObject({ code: "parameter_unknown", param: "payment_method_types" });
    expect((await createIntent("2026-10-28.endive", `${form}&allowed_payment_method_types[0]=card`)).status).toBe(200);
  });

  it("the SDK's own pinned version (what the app sent before) cannot charge a token", async () => {
    const sdkDefault = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 0, apiVersion: "2026-10-28.endive" });
    const out = await sdkDefault.charge({ token: token(), amountMinor: 1000, currency: "usd", idempotencyKey: "k1", metadata: { checkout_session_id: "cs_v" } });
    // A wrong version is the store's problem, not a bad token: refused before it ran, nothing charged.
    expect(out).toMatchObject({ kind: "failed", retryable: false, code: "parameter_unknown", notCharged: true });
    expect(sim.ledger().paymentIntents).toHaveLength(0);
  });

  it("the readiness check: ready; another country; charges disabled; not in the SPT preview; a refused key", async () => {
    const check = (secretKey = sim.apiKey) => checkSharedPaymentTokens({ secretKey, apiBase: sim.url });
    expect(await check()).toEqual({ kind: "ready", country: "US" });
    sim.setAccount({ country: "JP" });
    expect(await check()).toMatchObject({ kind: "unavailable", reason: "country" });
    sim.setAccount({ country: "DE", chargesEnabled: false });
    expect(await check()).toMatchObject({ kind: "unavailable", reason: "charges_disabled" });
    sim.setAccount({ chargesEnabled: true, sharedPaymentTokens: false });
    expect(await check()).toMatchObject({ kind: "unavailable", reason: "not_enabled" });
    expect(await check("sk_test_not_this_one")).toMatchObject({ kind: "unavailable", reason: "key" });
    // Two reads, never a write, on the pinned version.
    const requests = sim.ledger().requests;
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(["GET"]));
    expect(requests.filter((r) => r.status !== 401).every((r) => r.apiVersion === STRIPE_API_VERSION)).toBe(true);
  });
});

describe("the readiness check as Home asks it", () => {
  let sim: StripeSim;
  beforeAll(async () => {
    sim = await startStripeSim({ port: 0, account: { sharedPaymentTokens: false } });
  });
  afterAll(() => sim.stop());

  it("asks Stripe once per shop and key for 10 minutes; hand-off shops and shops without a key are not asked", async () => {
    let now = 1_000_000;
    const shop = { id: "shop_ready", checkoutMode: "agent_payment", stripeSecretKeyEnc: encryptSecret(sim.apiKey, shopSecret("stripeSecretKeyEnc", "shop_ready")) };
    const ask = (s = shop) => sharedPaymentReadinessFor(s, { apiBase: sim.url, now: () => now });
    expect(await ask()).toMatchObject({ kind: "unavailable", reason: "not_enabled" });
    const asked = sim.ledger().requests.length;
    expect(asked).toBe(2);
    now += 9 * 60_000;
    expect(await ask()).toMatchObject({ kind: "unavailable" });
    expect(sim.ledger().requests).toHaveLength(asked);
    now += 2 * 60_000;
    sim.setAccount({ sharedPaymentTokens: true });
    expect(await ask()).toEqual({ kind: "ready", country: "US" });
    expect(await ask({ ...shop, checkoutMode: "handoff" })).toBeUndefined();
    expect(await ask({ ...shop, stripeSecretKeyEnc: null as unknown as string })).toBeUndefined();
    expect(await ask({ ...shop, id: "shop_other", stripeSecretKeyEnc: "not-a-ciphertext" })).toMatchObject({ kind: "unknown" });
  });
});

describe("the going-live checklist", () => {
  const base: ChecklistState = {
    feedSettingsProblems: [],
    catalog: { variants: 1, selectedVariants: 1, eligibleVariants: 1, productsNeedingAttention: 0, synced: true },
    activeAgentKeys: 1,
    orderWebhook: { urlSet: true, secretSet: true },
    payments: { checkoutMode: "agent_payment", stripeKeySet: true, stripeAccountSet: true, stripeMode: "live" },
  };
  const payments = (spt: ChecklistState["payments"]["sharedPaymentTokens"]) =>
    goingLiveChecklist({ ...base, payments: { ...base.payments, sharedPaymentTokens: spt } }).items.find((i) => i.id === "payments")!;

  it("is not ready while Stripe says the account cannot take shared payment tokens", () => {
    expect(payments({ kind: "ready" })).toMatchObject({ done: true, tone: "success" });
    expect(payments({ kind: "unavailable", detail: "ask Stripe" })).toMatchObject({ done: false, tone: "critical", detail: "ask Stripe" });
    expect(payments({ kind: "unknown", detail: "timeout" })).toMatchObject({ done: true, tone: "attention" });
    expect(goingLiveChecklist({ ...base, payments: { ...base.payments, sharedPaymentTokens: { kind: "unavailable" } } }).ready).toBe(false);
  });
});

describe("the app", () => {
  let w: Awaited<ReturnType<typeof completeWorld>>;
  beforeAll(async () => {
    w = await completeWorld();
  });
  afterAll(() => w.stop());

  it("sends the pinned preview version on every Stripe request and charges the token once", async () => {
    const s = await w.ready();
    const res = await w.complete(s.id, w.paymentBody("2026-04-17", w.token(100_000)));
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("completed");
    expect(w.chargesFor(s.id)).toHaveLength(1);
    expect(STRIPE_API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.preview$/);
    const versions = new Set(w.stripe.ledger().requests.map((r) => r.apiVersion));
    expect(versions).toEqual(new Set([STRIPE_API_VERSION]));
  });
});

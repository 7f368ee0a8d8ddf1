// Issue 13 item 2: idempotency as Stripe stores it (docs/decisions/0141). Stripe saves the first result of an
// Idempotency-Key, a 500 included, replays it for 24 hours, and answers a reuse with other parameters with
// idempotency_error. The app must get to one charge and a completed (or cleanly failed) session through that.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IDEMPOTENCY_KEY_TTL_MS } from "../../sim/stripe/server";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";
import { completeWorld } from "./world";

describe("the stand-in keeps results as Stripe does", () => {
  let sim: StripeSim;
  beforeAll(async () => {
    sim = await startStripeSim({ port: 0 });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.reset());

  const post = async (form: string, key: string) => {
    const res = await fetch(`${sim.url}/v1/payment_intents`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sim.apiKey}`, "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key },
      body: form,
    });
    return { status: res.status, replayed: res.headers.get("idempotent-replayed"), body: (await res.json()) as { id?: string; error?: { type: string } } };
  };
  const form = (tok: string, amount = 1000) => `amount=${amount}&currency=usd&confirm=true&payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}`;
  const token = () => sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: 5000 }).id;

  it("replays a saved 500 for the same key for 24 hours, then runs the key again", async () => {
    const tok = token();
    sim.configure({ storedFailNext: 1, match: "POST /v1/payment_intents" });
    expect((await post(form(tok), "k-500")).status).toBe(500);
    const replay = await post(form(tok), "k-500");
    expect(replay).toMatchObject({ status: 500, replayed: "true" });
    expect(sim.ledger().paymentIntents).toHaveLength(0);
    sim.advanceTime(IDEMPOTENCY_KEY_TTL_MS - 60_000);
    expect((await post(form(tok), "k-500")).status).toBe(500);
    sim.advanceTime(60_000);
    const fresh = await post(form(tok), "k-500");
    expect(fresh).toMatchObject({ status: 200, replayed: null });
    expect(sim.ledger().paymentIntents).toHaveLength(1);
  });

  it("the SDK does not retry a saved 500 (Stripe-Should-Retry: false): one request, failed, outcome unknown", async () => {
    const retrying = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 2 });
    sim.configure({ storedFailNext: 1, match: "POST /v1/payment_intents" });
    const out = await retrying.charge({ token: token(), amountMinor: 1000, currency: "usd", idempotencyKey: "k-sdk", metadata: { checkout_session_id: "cs_sdk" } });
    expect(out).toMatchObject({ kind: "failed", retryable: true });
    expect(out.kind === "failed" && out.notCharged).toBeFalsy();
    expect(sim.ledger().requests.filter((r) => r.path === "/v1/payment_intents").map((r) => r.status)).toEqual([500]);
  });

  it("a 500 saved after the work was done: the charge exists, the key replays the 500", async () => {
    sim.configure({ storedFailNext: 1, storedFailureAfterWork: true, match: "POST /v1/payment_intents" });
    const tok = token();
    expect((await post(form(tok), "k-after")).status).toBe(500);
    expect((await post(form(tok), "k-after")).status).toBe(500);
    expect(sim.ledger().paymentIntents.map((p) => p.status)).toEqual(["succeeded"]);
  });

  it("a key reused with other parameters is an idempotency_error (400)", async () => {
    const tok = token();
    expect((await post(form(tok), "k-same")).status).toBe(200);
    const other = await post(form(tok, 1200), "k-same");
    expect(other.status).toBe(400);
    expect(other.body.error?.type).toBe("idempotency_error");
  });

  it("429 rate_limit: nothing runs, nothing is saved; the SDK retries it only when Stripe-Should-Retry says true", async () => {
    const retrying = createStripeGateway({ secretKey: sim.apiKey, apiBase: sim.url, maxNetworkRetries: 1 });
    const input = (key: string) => ({ token: token(), amountMinor: 1000, currency: "usd", idempotencyKey: key, metadata: { checkout_session_id: key } });
    sim.configure({ rateLimitNext: 1, rateLimitShouldRetry: "true", match: "POST /v1/payment_intents" });
    expect((await retrying.charge(input("k-429-a"))).kind).toBe("succeeded");
    sim.configure({ rateLimitNext: 1, match: "POST /v1/payment_intents" });
    expect(await retrying.charge(input("k-429-b"))).toMatchObject({ kind: "failed", retryable: true, code: "rate_limit", notCharged: true });
    const statuses = sim.ledger().requests.filter((r) => r.path === "/v1/payment_intents").map((r) => r.status);
    expect(statuses).toEqual([429, 200, 429]); // retried once after "true", not at all without the header
  });
});

describe("the app through a saved 500", () => {
  let w: Awaited<ReturnType<typeof completeWorld>>;
  beforeAll(async () => {
    w = await completeWorld();
  });
  afterAll(() => w.stop());
  beforeEach(() => w.stripe.configure({}));

  const succeeded = (sessionId: string) => w.chargesFor(sessionId).filter((p) => p.status === "succeeded");

  it("nothing was charged: the agent's retry goes out under a new key and completes, one charge, one order", async () => {
    const s = await w.ready();
    const token = w.token(100_000);
    w.stripe.configure({ storedFailNext: 1, match: "POST /v1/payment_intents" });
    const first = await w.complete(s.id, w.paymentBody("2026-04-17", token));
    expect(first.status).toBe(503); // outcome unknown: the agent is told to retry
    expect(first.headers.get("retry-after")).toBeTruthy();
    expect(w.chargesFor(s.id)).toHaveLength(0);

    // The agent retries after the lock; the app looks the charge up (none) and frees the session.
    await w.recover();
    expect((await w.stored(s.id)).status).toBe("ready_for_payment");
    const again = await w.complete(s.id, w.paymentBody("2026-04-17", token));
    expect(again.status).toBe(200);
    expect(again.json.status).toBe("completed");
    expect(succeeded(s.id)).toHaveLength(1);
    expect(w.ordersFor(s.id)).toHaveLength(1);
    const keys = w.stripe.ledger().requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_intents").map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2); // never the saved-500 key twice
  });

  it("the charge went through before the 500: found by metadata, completed, never charged again", async () => {
    const s = await w.ready();
    w.stripe.configure({ storedFailNext: 1, storedFailureAfterWork: true, match: "POST /v1/payment_intents" });
    const res = await w.complete(s.id, w.paymentBody("2026-04-17", w.token(100_000)));
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("completed");
    expect(succeeded(s.id)).toHaveLength(1);
    expect(w.ordersFor(s.id)).toHaveLength(1);
    // A later complete with another key gets the same completed session, no second charge.
    const again = await w.complete(s.id, w.paymentBody("2026-04-17", w.token(100_000)), { idempotencyKey: "another-key" });
    expect(again.json.status).toBe("completed");
    expect(w.chargesFor(s.id)).toHaveLength(1);
  });

  it("the same while Stripe Search lags: the list fallback still finds the charge", async () => {
    const s = await w.ready();
    w.stripe.configure({ storedFailNext: 1, storedFailureAfterWork: true, match: "POST /v1/payment_intents", searchLagMs: 60_000 });
    const res = await w.complete(s.id, w.paymentBody("2026-04-17", w.token(100_000)));
    expect(res.json.status).toBe("completed");
    expect(succeeded(s.id)).toHaveLength(1);
  });

  it("rate limited (429, not retried by the SDK): 503 with Retry-After, the session stays payable, the retry completes", async () => {
    const s = await w.ready();
    const token = w.token(100_000);
    w.stripe.configure({ rateLimitNext: 1, match: "POST /v1/payment_intents" });
    const first = await w.complete(s.id, w.paymentBody("2026-04-17", token));
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    expect((await w.stored(s.id)).status).toBe("ready_for_payment"); // not locked: no 409 for the retry
    const again = await w.complete(s.id, w.paymentBody("2026-04-17", token));
    expect(again.json.status).toBe("completed");
    expect(succeeded(s.id)).toHaveLength(1);
  });
});

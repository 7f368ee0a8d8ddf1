// The stand-in at the HTTP level, with plain fetch: wire format, auth, idempotency, errors, faults.
// (The SDK-level behaviour is covered by app/payments/stripe-gateway.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseForm } from "./form";
import { startStripeSim, type StripeSim } from "./index";
import { matchesQuery, parseSearchQuery } from "./search";

let sim: StripeSim;

beforeAll(async () => {
  sim = await startStripeSim({ port: 0, apiKeys: ["sk_test_demo", "sk_test_other"] });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => sim.reset());

async function call(method: string, path: string, form?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${sim.apiKey}`,
      ...(form !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
      ...headers,
    },
    body: form,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const mintForm = (pm = "pm_card_visa", max = 2000) =>
  `payment_method=${pm}&usage_limits%5Bcurrency%5D=usd&usage_limits[max_amount]=${max}&seller_details[network_id]=internal&seller_details[external_id]=shop_1`;

describe("form decoding", () => {
  it("nests brackets, indexes arrays and decodes escapes", () => {
    expect(parseForm("a=1&b[c]=2&b[d][e]=x%20y&arr[0]=p&arr[1]=q&push[]=m&push[]=n&plus=a+b")).toEqual({
      a: "1",
      b: { c: "2", d: { e: "x y" } },
      arr: ["p", "q"],
      push: ["m", "n"],
      plus: "a b",
    });
    expect(() => parseForm("a=1&a[b]=2")).toThrow();
    expect(() => parseForm("a[b=1")).toThrow();
  });

  it("accepts percent-encoded brackets on the wire", async () => {
    const r = await call("POST", "/v1/test_helpers/shared_payment/granted_tokens", mintForm());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: "shared_payment.granted_token",
      livemode: false,
      deactivated_at: null,
      deactivated_reason: null,
      usage_limits: { currency: "usd", max_amount: 2000, expires_at: null },
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242", funding: "credit" } },
    });
    expect(r.body.id).toMatch(/^spt_/);
  });

  it("rejects unknown and malformed parameters like Stripe", async () => {
    const unknown = await call("POST", "/v1/payment_intents", "amount=1000&currency=usd&amout=3");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: "invalid_request_error", code: "parameter_unknown", param: "amout" });
    const notInt = await call("POST", "/v1/payment_intents", "amount=10.50&currency=usd");
    expect(notInt.body.error).toMatchObject({ code: "parameter_invalid_integer", param: "amount" });
    const missing = await call("POST", "/v1/payment_intents", "currency=usd");
    expect(missing.body.error).toMatchObject({ code: "parameter_missing", param: "amount" });
    const small = await call("POST", "/v1/payment_intents", "amount=10&currency=usd");
    expect(small.body.error).toMatchObject({ code: "amount_too_small" });
  });
});

describe("auth and routing", () => {
  it("answers 401 with Stripe's error JSON for a missing or unknown key", async () => {
    const none = await call("GET", "/v1/payment_intents", undefined, { Authorization: "" });
    expect(none.status).toBe(401);
    expect(none.body.error.type).toBe("invalid_request_error");
    expect(none.body.error.message).toMatch(/did not provide an API key/);
    const wrong = await call("GET", "/v1/payment_intents", undefined, { Authorization: "Bearer sk_test_nottherightkey1234" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Invalid API Key provided: sk_test_\**1234$/);
  });

  it("accepts every configured key, and Basic auth as curl -u sends it", async () => {
    const other = await call("GET", "/v1/payment_intents", undefined, { Authorization: "Bearer sk_test_other" });
    expect(other.status).toBe(200);
    const basic = await call("GET", "/v1/payment_intents", undefined, { Authorization: `Basic ${Buffer.from(`${sim.apiKey}:`).toString("base64")}` });
    expect(basic.status).toBe(200);
    expect(basic.body).toMatchObject({ object: "list", data: [], has_more: false, url: "/v1/payment_intents" });
  });

  it("answers 404 for unknown URLs and ids", async () => {
    const route = await call("GET", "/v1/nope");
    expect(route.status).toBe(404);
    expect(route.body.error.message).toMatch(/Unrecognized request URL/);
    const pi = await call("GET", "/v1/payment_intents/pi_missing");
    expect(pi.status).toBe(404);
    expect(pi.body.error).toMatchObject({ type: "invalid_request_error", code: "resource_missing" });
  });

  it("echoes Stripe-Version and sets Request-Id", async () => {
    const r = await call("GET", "/v1/payment_intents", undefined, { "Stripe-Version": "2026-04-22.preview" });
    expect(r.headers.get("stripe-version")).toBe("2026-04-22.preview");
    expect(r.headers.get("request-id")).toMatch(/^req_/);
  });
});

describe("idempotency", () => {
  it("replays the same response and refuses the key with other params", async () => {
    const tok = (await call("POST", "/v1/test_helpers/shared_payment/granted_tokens", mintForm())).body.id;
    const form = `amount=2000&currency=usd&confirm=true&allowed_payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}&metadata[checkout_session_id]=cs_1`;
    const first = await call("POST", "/v1/payment_intents", form, { "Idempotency-Key": "k-1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "payment_intent", status: "succeeded", amount: 2000, amount_received: 2000 });
    expect(first.body.latest_charge).toMatch(/^ch_/);

    // Same params in another order are the same request.
    const reordered = form.split("&").reverse().join("&");
    const replay = await call("POST", "/v1/payment_intents", reordered, { "Idempotency-Key": "k-1" });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);

    const mismatch = await call("POST", "/v1/payment_intents", form.replace("amount=2000", "amount=1999"), { "Idempotency-Key": "k-1" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.type).toBe("idempotency_error");

    const otherEndpoint = await call("POST", "/v1/refunds", `payment_intent=${first.body.id}`, { "Idempotency-Key": "k-1" });
    expect(otherEndpoint.status).toBe(400);
    expect(otherEndpoint.body.error.type).toBe("idempotency_error");

    expect(sim.ledger().paymentIntents).toHaveLength(1);
  });

  it("replays errors too, but not parameter validation failures", async () => {
    const tok = (await call("POST", "/v1/test_helpers/shared_payment/granted_tokens", mintForm("pm_card_chargeDeclined"))).body.id;
    const form = `amount=2000&currency=usd&confirm=true&allowed_payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}`;
    const declined = await call("POST", "/v1/payment_intents", form, { "Idempotency-Key": "k-decl" });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      payment_intent: { status: "requires_payment_method", last_payment_error: { code: "card_declined" } },
    });
    const again = await call("POST", "/v1/payment_intents", form, { "Idempotency-Key": "k-decl" });
    expect(again.status).toBe(402);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(sim.ledger().paymentIntents).toHaveLength(1);

    const bad = await call("POST", "/v1/payment_intents", "currency=usd", { "Idempotency-Key": "k-val" });
    expect(bad.status).toBe(400);
    const fixed = await call("POST", "/v1/payment_intents", "amount=2000&currency=usd", { "Idempotency-Key": "k-val" });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe("requires_payment_method");
  });
});

describe("payment intents and refunds over HTTP", () => {
  it("accepts the older top-level shared_payment_granted_token (on an older preview) and enforces single use", async () => {
    const tok = sim.mintGrantedToken({ paymentMethod: "pm_card_mastercard", currency: "eur", maxAmount: 900 }).id;
    const form = `amount=900&currency=EUR&confirm=true&payment_method_types[]=card&shared_payment_granted_token=${tok}`;
    const old = { "Stripe-Version": "2025-09-30.preview" };
    const ok = await call("POST", "/v1/payment_intents", form, old);
    expect(ok.body).toMatchObject({ status: "succeeded", currency: "eur" });
    const used = await call("POST", "/v1/payment_intents", form, old);
    expect(used.status).toBe(400);
    expect(used.body.error).toMatchObject({ type: "invalid_request_error", code: "shared_payment_granted_token_already_used" });
    const token = await call("GET", `/v1/shared_payment/granted_tokens/${tok}`);
    expect(token.body).toMatchObject({ deactivated_reason: "consumed", usage_details: { amount_captured: { value: 900, currency: "eur" } } });
  });

  it("requires a return_url when automatic payment methods may redirect", async () => {
    const tok = sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: 900 }).id;
    const r = await call("POST", "/v1/payment_intents", `amount=900&currency=usd&confirm=true&payment_method_data[shared_payment_granted_token]=${tok}`);
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe("return_url");
  });

  it("puts 3DS intents in requires_action with next_action", async () => {
    const tok = sim.mintGrantedToken({ paymentMethod: "pm_card_authenticationRequired", currency: "usd", maxAmount: 900 }).id;
    const r = await call("POST", "/v1/payment_intents", `amount=900&currency=usd&confirm=true&allowed_payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}`);
    expect(r.body).toMatchObject({ status: "requires_action", next_action: { type: "use_stripe_sdk" } });
    const cancel = await call("POST", `/v1/payment_intents/${r.body.id}/cancel`, "cancellation_reason=abandoned");
    expect(cancel.body).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
  });

  it("supports manual capture: authorize, capture less, release the rest", async () => {
    const tok = sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: 900 }).id;
    const auth = await call("POST", "/v1/payment_intents", `amount=900&currency=usd&confirm=true&capture_method=manual&allowed_payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}`);
    expect(auth.body).toMatchObject({ status: "requires_capture", amount_capturable: 900, amount_received: 0 });
    const cap = await call("POST", `/v1/payment_intents/${auth.body.id}/capture`, "amount_to_capture=700&expand[0]=latest_charge");
    expect(cap.body).toMatchObject({ status: "succeeded", amount_received: 700, latest_charge: { amount_captured: 700, amount_refunded: 200 } });
    const refund = await call("POST", "/v1/refunds", `payment_intent=${auth.body.id}`);
    expect(refund.body.amount).toBe(700); // the released 200 was never captured, so it is not refundable
  });

  it("lists, searches, refunds and reports it all in the ledger", async () => {
    const ids: string[] = [];
    for (const cs of ["cs_a", "cs_b"]) {
      const tok = sim.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: 3000 }).id;
      const r = await call("POST", "/v1/payment_intents", `amount=3000&currency=usd&confirm=true&allowed_payment_method_types[0]=card&payment_method_data[shared_payment_granted_token]=${tok}&metadata[checkout_session_id]=${cs}`);
      ids.push(r.body.id);
    }
    const list = await call("GET", "/v1/payment_intents?limit=1");
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
    expect(list.body.has_more).toBe(true);
    const next = await call("GET", `/v1/payment_intents?limit=1&starting_after=${ids[1]}`);
    expect(next.body.data[0].id).toBe(ids[0]);

    const q = encodeURIComponent("metadata['checkout_session_id']:'cs_a' AND status:'succeeded'");
    const search = await call("GET", `/v1/payment_intents/search?query=${q}&expand[]=data.latest_charge`);
    expect(search.body).toMatchObject({ object: "search_result", has_more: false });
    expect(search.body.data).toHaveLength(1);
    expect(search.body.data[0]).toMatchObject({ id: ids[0], latest_charge: { object: "charge", payment_method_details: { card: { last4: "4242" } } } });

    const refund = await call("POST", "/v1/refunds", `payment_intent=${ids[0]}&amount=1000&reason=requested_by_customer&metadata[note]=x`);
    expect(refund.body).toMatchObject({ object: "refund", amount: 1000, status: "succeeded", payment_intent: ids[0], reason: "requested_by_customer" });
    const tooMuch = await call("POST", "/v1/refunds", `payment_intent=${ids[0]}&amount=2001`);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: "amount_too_large" });
    expect(tooMuch.body.error.message).toBe("Refund amount ($20.01) is greater than unrefunded amount on charge ($20.00)");
    const refunds = await call("GET", `/v1/refunds?payment_intent=${ids[0]}`);
    expect(refunds.body.data).toHaveLength(1);
    expect((await call("GET", `/v1/refunds/${refund.body.id}`)).body.id).toBe(refund.body.id);
    const charge = await call("GET", `/v1/charges/${search.body.data[0].latest_charge.id}`);
    expect(charge.body).toMatchObject({ amount_refunded: 1000, refunded: false });

    const ledger = (await fetch(`${sim.url}/_sim/ledger`).then((r) => r.json())) as ReturnType<StripeSim["ledger"]>;
    expect(ledger.paymentIntents.filter((p) => p.metadata.checkout_session_id === "cs_a")).toHaveLength(1);
    expect(ledger.refunds).toEqual([expect.objectContaining({ paymentIntent: ids[0], amount: 1000 })]);
    expect(ledger.tokenUses.map((u) => u.result)).toEqual(["succeeded", "succeeded"]);
  });
});

describe("fault injection", () => {
  it("is configurable over HTTP and injects 500s and latency", async () => {
    const set = await fetch(`${sim.url}/_sim/config`, { method: "POST", body: JSON.stringify({ failNext: 1, latencyMs: 50 }) });
    expect(set.status).toBe(200);
    const started = Date.now();
    const failed = await call("GET", "/v1/payment_intents");
    expect(failed.status).toBe(500);
    expect(failed.body.error.type).toBe("api_error");
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect((await call("GET", "/v1/payment_intents")).status).toBe(200);

    const bad = await fetch(`${sim.url}/_sim/config`, { method: "POST", body: JSON.stringify({ failureRate: 2 }) });
    expect(bad.status).toBe(400);
    expect(() => sim.configure({ failureRate: -1 })).toThrow();
  });

  it("drops the response after doing the work", async () => {
    sim.configure({ dropNext: 1, match: "POST /v1/test_helpers" });
    await expect(call("POST", "/v1/test_helpers/shared_payment/granted_tokens", mintForm())).rejects.toThrow();
    expect(sim.ledger().tokens).toHaveLength(1);
  });
});

describe("search query language subset", () => {
  it("parses metadata, comparison, negation, AND/OR", () => {
    const q = parseSearchQuery(`metadata['checkout_session_id']:'cs 1' AND amount>=100 AND -status:"canceled"`);
    const rec: Record<string, string> = { status: "succeeded", amount: "100" };
    expect(matchesQuery(q, (f, k) => (f === "metadata" ? (k === "checkout_session_id" ? "cs 1" : undefined) : rec[f]))).toBe(true);
    expect(() => parseSearchQuery("status:'a' AND status:'b' OR amount:1")).toThrow();
    expect(() => parseSearchQuery("what is this")).toThrow();
  });
});

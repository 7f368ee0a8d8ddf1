// The ACP checkout API end to end on a real database: official examples, both versions, state machine,
// messages, continue_url, capabilities. Store ports are the fakes in ./fakes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import examples from "../../spec/acp/2026-04-17/examples/examples.agentic_checkout.json";
import multi from "../../spec/acp/2026-04-17/examples/examples.multi_item_checkout.json";
import { call, harness, schemaErrors } from "./harness";
import { expectSpecError, expectValidSession } from "./assertions";

let h: Awaited<ReturnType<typeof harness>>;
let key: string;
const V = "2026-04-17";

beforeAll(async () => {
  h = await harness();
  ({ key } = await h.addShop());
});
afterAll(() => h.close());

const handler = () => h.acp.handler;

describe("official 2026-04-17 examples", () => {
  it("create (with address) → 201 ready_for_payment, preselected cheapest option", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request });
    expect(res.status).toBe(201);
    expectValidSession(V, res.json);
    expect(res.json.status).toBe("ready_for_payment");
    expect(res.json.selected_fulfillment_options[0].option_id).toBe("ship_standard");
    expect(res.json.protocol.version).toBe(V);
    expect(res.json.capabilities.payment.handlers[0]).toMatchObject({ psp: "stripe", config: { merchant_id: "acct_demo123" } });
    expect(res.json.links.map((l: any) => l.type)).toEqual(expect.arrayContaining(["terms_of_use", "return_policy", "privacy_policy"]));
    expect(res.json.continue_url).toMatch(/^https:\/\/demo-outfitters\.example\/cart\/123:1\?/);
    expect(res.json.continue_url).not.toContain("email"); // no buyer data in the URL (docs/decisions/0106)
    expect(res.json.continue_url).not.toContain("johndoe");
    expect(res.json.continue_url).toContain(`attributes%5Bacp_session%5D=${res.json.id}`);
    expect(Date.parse(res.json.expires_at)).toBeGreaterThan(Date.parse(res.json.created_at));
  });

  it("create with first-touch attribution (no address) → not_ready_for_payment", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request_with_first_touch_attribution });
    expect(res.status).toBe(201);
    expectValidSession(V, res.json);
    expect(res.json.status).toBe("not_ready_for_payment");
    expect(res.json.fulfillment_options).toEqual([]);
  });

  it("multi-item create (no capabilities: read leniently) → both lines priced", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: multi.create_multi_item_checkout_request });
    expect(res.status).toBe(201);
    expectValidSession(V, res.json);
    expect(res.json.line_items.map((l: any) => l.item.id)).toEqual(["item_123", "item_456"]);
  });

  it("update (selected option + order notes), retrieve, cancel (both cancel examples)", async () => {
    const created = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request });
    const id = created.json.id;
    // The example's option id is not one of ours: that is a message on a 2xx session, not an error.
    const wrong = await call(handler(), `/checkout_sessions/${id}`, { key, body: examples.update_checkout_session_request });
    expect(wrong.status).toBe(200);
    expectValidSession(V, wrong.json);
    expect(wrong.json.status).toBe("not_ready_for_payment");
    expect(wrong.json.messages[0]).toMatchObject({ type: "error", code: "invalid", param: "$.selected_fulfillment_options[0].option_id" });

    const express = await call(handler(), `/checkout_sessions/${id}`, { key, body: { selected_fulfillment_options: [{ type: "shipping", option_id: "ship_express", item_ids: ["item_123"] }] } });
    expect(express.status).toBe(200);
    expectValidSession(V, express.json);
    expect(express.json.status).toBe("ready_for_payment");
    expect(express.json.totals.find((t: any) => t.type === "fulfillment").amount).toBe(1500);

    const got = await call(handler(), `/checkout_sessions/${id}`, { key });
    expect(got.status).toBe(200);
    expectValidSession(V, got.json);
    expect(got.json).toEqual(express.json);

    const canceled = await call(handler(), `/checkout_sessions/${id}/cancel`, { key, body: examples.cancel_checkout_session_request });
    expect(canceled.status).toBe(200);
    expectValidSession(V, canceled.json);
    expect(canceled.json.status).toBe("canceled");

    const second = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request });
    const c2 = await call(handler(), `/checkout_sessions/${second.json.id}/cancel`, { key, body: examples.cancel_checkout_session_request_timing_deferred });
    expect(c2.status).toBe(200);
    expectValidSession(V, c2.json);
  });

  it("complete requests validate; a shop without a payment key sends the buyer to continue_url (hand-off answer)", async () => {
    const created = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request });
    for (const name of ["complete_checkout_session_request", "complete_checkout_session_request_with_last_touch_attribution", "complete_checkout_session_request_seller_backed"] as const) {
      const res = await call(handler(), `/checkout_sessions/${created.json.id}/complete`, { key, body: examples[name] });
      expect(res.status).toBe(200);
      expectValidSession(V, res.json);
      expect(res.json.status).toBe("requires_escalation");
      expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "error", code: "intervention_required", param: "$.continue_url" }));
    }
  });

  it("example responses and errors of the spec validate with the same validators", () => {
    for (const name of ["create_checkout_session_response", "update_checkout_session_response", "get_checkout_session_response", "cancel_checkout_session_response", "checkout_session_with_out_of_stock"] as const) {
      expect(schemaErrors(V, "CheckoutSession", examples[name])).toEqual([]);
    }
    for (const name of ["error_400_invalid_item", "error_400_idempotency_key_required", "error_422_idempotency_conflict", "error_409_idempotency_in_flight"] as const) {
      expectSpecError(examples[name]);
    }
  });
});

describe("business problems are messages on a 2xx session", () => {
  it("out of stock, low stock, quantity exceeded, not opted in, unknown item", async () => {
    const res = await call(handler(), "/checkout_sessions", {
      key,
      body: { currency: "usd", capabilities: {}, line_items: [{ id: "item_oos" }, { id: "item_low", quantity: 1 }, { item: { id: "item_123" }, quantity: 60 }, { id: "item_hidden" }, { id: "nope" }] },
    });
    expect(res.status).toBe(201);
    expectValidSession(V, res.json);
    expect(res.json.status).toBe("not_ready_for_payment");
    const codes = res.json.messages.map((m: any) => `${m.type}:${m.code}:${m.param}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "error:unsupported:$.line_items[3].id",
        "error:not_found:$.line_items[4].id",
        "error:out_of_stock:$.line_items[0].item.id",
        "warning:low_stock:$.line_items[1]",
        "error:quantity_exceeded:$.line_items[2].quantity",
      ]),
    );
    expect(res.json.line_items.find((l: any) => l.item.id === "item_oos").availability_status).toBe("out_of_stock");
  });

  it("no sellable item at all → 400 invalid_item_id (official error example)", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: "invalid_item" }] } });
    expect(res.status).toBe(400);
    expectSpecError(res.json);
    expect(res.json).toMatchObject({ type: "invalid_request", code: "invalid_item_id", param: "$.line_items[0].id" });
  });

  it("address the store does not ship to → region_restricted; invalid address → invalid", async () => {
    const address = { name: "Kim", line_one: "1 Main", city: "Pyongyang", state: "PY", country: "KP", postal_code: "1000" };
    const res = await call(handler(), "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: "item_123" }], fulfillment_details: { email: "a@example.com", address } } });
    expectValidSession(V, res.json);
    expect(res.json.messages).toContainEqual(expect.objectContaining({ code: "region_restricted", param: "$.fulfillment_details.address" }));
    expect(res.json.status).toBe("not_ready_for_payment");
    const bad = await call(handler(), `/checkout_sessions/${res.json.id}`, { key, body: { fulfillment_details: { address: { ...address, country: "US", state: "CA", postal_code: "00000" } } } });
    expectValidSession(V, bad.json);
    expect(bad.json.messages).toContainEqual(expect.objectContaining({ code: "invalid", param: "$.fulfillment_details.address" }));
  });

  it("discount codes: applied and rejected lists, with a warning for the rejected one", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: "item_456", quantity: 2 }], discounts: { codes: ["SAVE10", "BOGUS"] } } });
    expectValidSession(V, res.json);
    expect(res.json.discounts.applied[0]).toMatchObject({ code: "SAVE10", amount: 100 });
    expect(res.json.discounts.rejected).toEqual([expect.objectContaining({ code: "BOGUS", reason: "discount_code_invalid" })]);
    expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "warning", code: "discount_code_invalid", param: "$.discounts.codes[1]" }));
    expect(res.json.line_items[0].totals.find((t: any) => t.type === "discount").amount).toBe(100);
  });

  it("status: items + address + option + email → ready; email may come from buyer", async () => {
    const address = { name: "Jo", line_one: "1 Main", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
    const a = await call(handler(), "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: "item_123" }], fulfillment_details: { address } } });
    expect(a.json.status).toBe("not_ready_for_payment"); // no email yet
    const b = await call(handler(), `/checkout_sessions/${a.json.id}`, { key, body: { buyer: { email: "jo@example.com" } } });
    expectValidSession(V, b.json);
    expect(b.json.status).toBe("ready_for_payment");
    expect(b.json.continue_url).not.toContain("jo%40example.com"); // the email never goes into continue_url (0106)
  });

  it("handoff mode advertises no payment handler", async () => {
    const { key: handoffKey } = await h.addShop({ checkoutMode: "handoff" });
    const res = await call(handler(), "/checkout_sessions", { key: handoffKey, body: examples.create_checkout_session_request });
    expectValidSession(V, res.json);
    expect(res.json.capabilities.payment.handlers).toEqual([]);
  });

  it("unsupported currency → 400", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, body: { currency: "eur", capabilities: {}, line_items: [{ id: "item_123" }] } });
    expect(res.status).toBe(400);
    expectSpecError(res.json);
    expect(res.json.param).toBe("$.currency");
  });
});

describe("2025-09-29", () => {
  const V0 = "2025-09-29" as const;
  it("create → update address → option → retrieve → cancel, all valid against the 2025-09-29 schema", async () => {
    const created = await call(handler(), "/checkout_sessions", { key, version: V0, body: { items: [{ id: "item_123", quantity: 2 }], buyer: { first_name: "Ann", last_name: "Lee", email: "ann@example.com" } } });
    expect(created.status).toBe(201);
    expectValidSession(V0, created.json);
    expect(created.json.status).toBe("not_ready_for_payment");
    expect(created.json.payment_provider).toEqual({ provider: "stripe", supported_payment_methods: ["card"] });
    const id = created.json.id;
    const addressed = await call(handler(), `/checkout_sessions/${id}`, { key, version: V0, body: { fulfillment_address: { name: "Ann Lee", line_one: "1 Main", city: "Austin", state: "TX", country: "US", postal_code: "78701" } } });
    expectValidSession(V0, addressed.json);
    expect(addressed.json.status).toBe("ready_for_payment");
    expect(addressed.json.fulfillment_option_id).toBe("ship_standard");
    const express = await call(handler(), `/checkout_sessions/${id}`, { key, version: V0, body: { fulfillment_option_id: "ship_express" } });
    expectValidSession(V0, express.json);
    expect(express.json.fulfillment_option_id).toBe("ship_express");
    const got = await call(handler(), `/checkout_sessions/${id}`, { key, version: V0 });
    expectValidSession(V0, got.json);
    const canceled = await call(handler(), `/checkout_sessions/${id}/cancel`, { key, version: V0, body: {} });
    expectValidSession(V0, canceled.json);
    expect(canceled.json.status).toBe("canceled");
  });

  it("messages use the version's codes and paths; a fractional quantity is a 400", async () => {
    const res = await call(handler(), "/checkout_sessions", { key, version: V0, body: { items: [{ id: "item_oos", quantity: 1 }, { id: "nope", quantity: 1 }] } });
    expectValidSession(V0, res.json);
    expect(res.json.messages.map((m: any) => `${m.code}:${m.param}`)).toEqual(expect.arrayContaining(["invalid:$.items[1].id", "out_of_stock:$.line_items[0].item.id"]));
    const frac = await call(handler(), "/checkout_sessions", { key, version: V0, body: { items: [{ id: "item_123", quantity: 1.5 }] } });
    expect(frac.status).toBe(400);
    expectSpecError(frac.json, V0);
    expect(frac.json.param).toBe("$.items[0].quantity");
  });

  it("a session created in one version reads in the other", async () => {
    const created = await call(handler(), "/checkout_sessions", { key, body: examples.create_checkout_session_request });
    const old = await call(handler(), `/checkout_sessions/${created.json.id}`, { key, version: V0 });
    expectValidSession(V0, old.json);
  });
});

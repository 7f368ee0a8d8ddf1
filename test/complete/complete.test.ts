// POST /checkout_sessions/{id}/complete over the Shopify and Stripe stand-ins (real HTTP, real stripe SDK, real
// SQLite): the order in the shop, the charge in the Stripe ledger, every non-happy answer, and cancel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeWorld } from "./world";
import { expectValidSession } from "../acp/assertions";
import type { AcpVersion } from "../../app/acp/versions";

let w: Awaited<ReturnType<typeof completeWorld>>;
beforeAll(async () => {
  w = await completeWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const amount = (totals: { type: string; amount: number }[], type: string) => totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("happy path, %s", (version) => {
  it("charges exactly the total once, creates one Shopify order with lines, shipping, tax, transaction and decremented stock", async () => {
    const item = w.variantGid(version === "2025-09-29" ? 1 : 0);
    const numericId = Number(item.split("/").pop());
    const stockBefore = w.shopify.inventory(w.shop.domain, numericId);
    const session = await w.ready(version, 2, item);
    const total = amount(session.totals, "total");
    const quotesBefore = w.faults.quotes;
    const res = await w.complete(session.id, w.paymentBody(version, w.token(total)), { version });

    expect(res.status, res.text).toBe(200);
    if (version === "2026-04-17") expect(w.schemaErrors(version, "CheckoutSessionWithOrder", res.json)).toEqual([]);
    else {
      // 2025-09-29's CheckoutSessionWithOrder is allOf(CheckoutSessionBase [additionalProperties: false], {order}):
      // no body can pass it. Validate the session part and the order part each against their own definitions.
      const { order: wireOrder, ...rest } = res.json;
      expect(w.schemaErrors(version, "CheckoutSession", rest)).toEqual([]);
      expect(Object.keys(wireOrder).sort()).toEqual(["checkout_session_id", "id", "permalink_url"]);
    }
    expect(res.json.status).toBe("completed");
    expect(w.faults.quotes - quotesBefore).toBe(1);

    const charges = w.chargesFor(session.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: "succeeded", amount: total, currency: "usd" });
    expect(charges[0].metadata.shop).toBe(w.shop.domain);

    const orders = w.ordersFor(session.id);
    expect(orders).toHaveLength(1);
    const order = orders[0];
    expect(res.json.order).toMatchObject({ id: `gid://shopify/Order/${order.id}`, checkout_session_id: session.id });
    expect(res.json.order.permalink_url).toMatch(/\/orders\/[0-9a-f]+\/authenticate\?key=/);
    expect(order.lineItems.map((l) => ({ variant: l.variantId, quantity: l.quantity }))).toEqual([{ variant: numericId, quantity: 2 }]);
    const unit = version === "2025-09-29" ? session.line_items[0].base_amount / 2 : session.line_items[0].unit_amount;
    expect(order.lineItems[0].unitPrice).toBe(unit);
    expect(order.shippingLines.map((s) => s.price)).toEqual([amount(session.totals, "fulfillment")]);
    const tax = order.lineItems.reduce((a, l) => a + l.taxLines.reduce((b, t) => b + t.amount, 0), 0) + order.shippingLines.reduce((a, s) => a + s.taxLines.reduce((b, t) => b + t.amount, 0), 0);
    expect(tax).toBe(amount(session.totals, "tax"));
    expect(order.transactions).toEqual([expect.objectContaining({ kind: "SALE", status: "SUCCESS", gateway: "stripe", amount: total, authorizationCode: charges[0].id, test: true })]);
    expect(order.tags).toEqual(expect.arrayContaining(["agentic-checkout", "acp"]));
    expect(order.customAttributes).toContainEqual({ key: "acp_checkout_session_id", value: session.id });
    expect(order.email).toBe("ann@example.com");
    expect(w.shopify.inventory(w.shop.domain, numericId)).toBe(stockBefore - 2);

    // Recorded and reported: the AgentOrder row and the order_create event in the outbox, with the session.
    const agentOrder = await w.h.db.agentOrder.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
    expect(agentOrder).toMatchObject({ shopifyOrderId: `gid://shopify/Order/${order.id}`, paymentIntentId: charges[0].id, totalMinor: total });
    expect(await w.h.db.outboxEvent.count({ where: { aggregateId: agentOrder.id, type: "order_event" } })).toBe(1);

    // A retry with another key (a lost response): the same order, no second charge.
    const again = await w.complete(session.id, w.paymentBody(version, w.token(total)), { version });
    expect(again.status).toBe(200);
    expect(again.json.order.id).toBe(res.json.order.id);
    expect(w.chargesFor(session.id)).toHaveLength(1);
    expect(w.ordersFor(session.id)).toHaveLength(1);
  });
});

describe("payments that do not go through", () => {
  it("a decline: 2xx session, payment_declined, still ready_for_payment; a new card then completes", async () => {
    const session = await w.ready();
    const total = amount(session.totals, "total");
    const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total, "pm_card_chargeDeclined")));
    expect(res.status).toBe(200);
    expectValidSession("2026-04-17", res.json);
    expect(res.json.status).toBe("ready_for_payment");
    expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "error", code: "payment_declined" }));
    expect(w.ordersFor(session.id)).toHaveLength(0);

    const ok = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total)));
    expect(ok.json.status).toBe("completed");
    expect(w.chargesFor(session.id).filter((c) => c.status === "succeeded")).toHaveLength(1);
    expect(w.ordersFor(session.id)).toHaveLength(1);
  });

  it("3DS: authentication_required with authentication_metadata; without a result 400 requires_3ds; a denied result voids", async () => {
    const session = await w.ready();
    const total = amount(session.totals, "total");
    const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total, "pm_card_threeDSecureRequired")));
    expect(res.status).toBe(200);
    expectValidSession("2026-04-17", res.json);
    expect(res.json.status).toBe("authentication_required");
    expect(res.json.authentication_metadata).toMatchObject({ acquirer_details: expect.objectContaining({ acquirer_country: "US" }), directory_server: "visa" });

    const missing = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total)));
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ type: "invalid_request", code: "requires_3ds", param: "$.authentication_result" });

    const denied = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total), { authentication_result: { outcome: "denied" } }));
    expect(denied.status).toBe(200);
    expectValidSession("2026-04-17", denied.json);
    expect(denied.json.status).toBe("ready_for_payment");
    expect(w.chargesFor(session.id).map((c) => c.status)).toEqual(["canceled"]);
    expect(w.ordersFor(session.id)).toHaveLength(0);
  });

  it("the price moved since the buyer saw it: nothing charged, price_change warning, the new total; then completes", async () => {
    const item = w.variantGid(2);
    const session = await w.ready("2026-04-17", 1, item);
    const variant = w.shopify.variant(w.shop.domain, Number(item.split("/").pop()))!;
    const oldPrice = variant.price;
    w.shopify.setVariantPrice(w.shop.domain, variant.id, ((oldPrice + 300) / 100).toFixed(2));
    try {
      const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(100_000)));
      expect(res.status).toBe(200);
      expectValidSession("2026-04-17", res.json);
      expect(res.json.status).toBe("ready_for_payment");
      expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "warning", code: "price_change" }));
      expect(amount(res.json.totals, "total")).toBeGreaterThan(amount(session.totals, "total"));
      expect(w.chargesFor(session.id)).toHaveLength(0);
      const ok = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(amount(res.json.totals, "total"))));
      expect(ok.json.status).toBe("completed");
      expect(w.chargesFor(session.id)[0].amount).toBe(amount(res.json.totals, "total"));
    } finally {
      w.shopify.setVariantPrice(w.shop.domain, variant.id, (oldPrice / 100).toFixed(2));
    }
  });

  it("a used or expired token: payment_declined with a clear message, no charge, no order", async () => {
    const first = await w.ready();
    const total = amount(first.totals, "total");
    const spent = w.token(total);
    expect((await w.complete(first.id, w.paymentBody("2026-04-17", spent))).json.status).toBe("completed");

    const second = await w.ready();
    const reused = await w.complete(second.id, w.paymentBody("2026-04-17", spent));
    expect(reused.status).toBe(200);
    expectValidSession("2026-04-17", reused.json);
    expect(reused.json.status).toBe("ready_for_payment");
    expect(reused.json.messages).toContainEqual(expect.objectContaining({ code: "payment_declined", content: expect.stringContaining("already been used") }));

    const expired = await w.complete(second.id, w.paymentBody("2026-04-17", w.token(total, "pm_card_visa", Math.floor(Date.now() / 1000) - 60)));
    expect(expired.json.messages).toContainEqual(expect.objectContaining({ code: "payment_declined", content: expect.stringContaining("expired") }));
    expect(w.chargesFor(second.id)).toHaveLength(0);
    expect(w.ordersFor(second.id)).toHaveLength(0);
  });

  it("hand-off mode: no charge; the buyer is sent to continue_url", async () => {
    const session = await w.ready();
    await w.h.db.shop.update({ where: { id: w.shop.id }, data: { checkoutMode: "handoff" } });
    try {
      const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(100_000)));
      expect(res.status).toBe(200);
      expectValidSession("2026-04-17", res.json);
      expect(res.json.status).toBe("requires_escalation");
      expect(res.json.continue_url).toContain("/cart/");
      expect(res.json.messages).toContainEqual(expect.objectContaining({ code: "intervention_required", param: "$.continue_url" }));
      expect(w.chargesFor(session.id)).toHaveLength(0);
      expect((await w.stored(session.id)).status).toBe("ready_for_payment");
    } finally {
      await w.h.db.shop.update({ where: { id: w.shop.id }, data: { checkoutMode: "agent_payment" } });
    }
  });
});

describe("cancel", () => {
  it("stores intent_trace; 405 on a canceled or a completed session", async () => {
    const session = await w.ready();
    const trace = { reason_code: "shipping_cost", trace_summary: "Shipping too expensive", metadata: { target_shipping_cost: 0 } };
    const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(1)), {}); // token too small: declined
    expect(res.json.status).toBe("ready_for_payment");
    const canceled = await (await import("../acp/harness")).call(w.h.acp.handler, `/checkout_sessions/${session.id}/cancel`, { key: w.key, body: { intent_trace: trace } });
    expect(canceled.status).toBe(200);
    const row = await w.h.db.checkoutSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(JSON.parse(row.intentTraceJson!)).toEqual(trace);
    const again = await (await import("../acp/harness")).call(w.h.acp.handler, `/checkout_sessions/${session.id}/cancel`, { key: w.key, body: {} });
    expect(again.status).toBe(405);

    const done = await w.ready();
    expect((await w.complete(done.id, w.paymentBody("2026-04-17", w.token(amount(done.totals, "total"))))).json.status).toBe("completed");
    const late = await (await import("../acp/harness")).call(w.h.acp.handler, `/checkout_sessions/${done.id}/cancel`, { key: w.key, body: {} });
    expect(late.status).toBe(405);
  });
});

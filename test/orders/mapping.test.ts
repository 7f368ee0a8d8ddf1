// Shopify order JSON → the agent's order, and the order event on the wire for each ACP version.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildAgentOrder, type AgentOrderRecord, type MoneyRefundRecord } from "../../app/orders/agent-order";
import { shopifyAmountToMinor } from "../../app/orders/money";
import { emptyOrderFacts, fulfillmentFactsFrom, mergeOrder, orderFactsFrom, refundFactsFrom, withFulfillment, withRefund, type ShopifyOrderFacts } from "../../app/orders/shopify-order";
import { orderStatus } from "../../app/orders/status";
import { planStripeRefund, stripeRefundIdempotencyKey } from "../../app/orders/stripe-refund-plan";
import { eventNamesFrom, orderEventBody, orderWire20260417, SPEC_EVENT_NAMES } from "../../app/orders/wire";
import { LINE_A, LINE_B, ORDER_ID, restFulfillment, restOrder, restRefund } from "./fixtures";
import { errorsOf, validateOrder2026, validateOrderEvent2026, validateOrderEventLegacy } from "./schemas";

const SEEN = "2026-11-20T15:00:00.000Z";
const record: AgentOrderRecord = {
  orderId: `gid://shopify/Order/${ORDER_ID}`,
  checkoutSessionId: "cs_test_1",
  permalinkUrl: "https://demo.example/orders/fallback",
  orderName: "#1001",
  currency: "usd",
  totalMinor: 6872,
  status: "created",
  paidThroughStripe: true,
};
const facts = (payload: unknown = restOrder()) => orderFactsFrom(payload, SEEN)!;
const lineA = `gid://shopify/LineItem/${LINE_A}`;
const lineB = `gid://shopify/LineItem/${LINE_B}`;

/** orderEventBody for 2026-04-17, typed as the full-Order shape it returns for that version. */
const full = (...args: Parameters<typeof orderEventBody> extends [unknown, ...infer Rest] ? Rest : never) =>
  orderEventBody("2026-04-17", ...args) as { type: string; data: ReturnType<typeof orderWire20260417> };

function expectValid2026(body: unknown) {
  const ok = validateOrderEvent2026(body);
  expect(ok, errorsOf(validateOrderEvent2026)).toBe(true);
}

describe("money from Shopify decimals", () => {
  it.each([
    ["12.50", "USD", 1250],
    ["12.5", "USD", 1250],
    ["0.07", "usd", 7],
    ["1000", "JPY", 1000],
    ["1000.00", "JPY", 1000],
    ["1.234", "KWD", 1234],
    ["-3.10", "EUR", -310],
    ["19.990", "USD", 1999],
  ])("%s %s → %d", (amount, currency, minor) => {
    expect(shopifyAmountToMinor(amount, currency)).toBe(minor);
  });

  it("refuses precision the currency does not have, and non-decimals", () => {
    expect(() => shopifyAmountToMinor("10.5", "JPY")).toThrow(/more decimals/);
    expect(() => shopifyAmountToMinor("12.345", "USD")).toThrow(/more decimals/);
    expect(() => shopifyAmountToMinor("1e3", "USD")).toThrow(/Not a decimal/);
  });
});

describe("Shopify order → snapshot", () => {
  it("keeps what the agent needs and no buyer PII", () => {
    const f = facts();
    const json = JSON.stringify(f);
    expect(json).not.toContain("buyer@example.com");
    expect(json).not.toContain("Main St");
    expect(json).not.toContain("+1555");
    expect(f.totals).toEqual({ subtotalMinor: 5900, discountMinor: 0, shippingMinor: 500, taxMinor: 472, totalMinor: 6872 });
    expect(f.lineItems[0]).toMatchObject({ id: lineA, ordered: 2, current: 2, unitPriceMinor: 2500, productId: "gid://shopify/Product/632910392" });
  });

  it("reads the agent session from the acp_session cart attribute only when it looks like a session id", () => {
    expect(facts(restOrder({ note_attributes: [{ name: "acp_session", value: "cs_abc123" }] })).agentSessionId).toBe("cs_abc123");
    expect(facts(restOrder({ note_attributes: [{ name: "acp_session", value: "<script>" }] })).agentSessionId).toBeNull();
    expect(facts(restOrder({ note_attributes: [{ name: "gift", value: "cs_abc" }] })).agentSessionId).toBeNull();
  });

  it("merges fulfillments and refunds that arrive on their own, and keeps them when an older full payload arrives late", () => {
    let f = facts();
    f = withFulfillment(f, fulfillmentFactsFrom(restFulfillment(), SEEN)!);
    f = withFulfillment(f, fulfillmentFactsFrom(restFulfillment({ shipment_status: "in_transit", updated_at: "2026-11-22T09:00:00-05:00" }), SEEN)!);
    f = withRefund(f, refundFactsFrom(restRefund(), "USD")!);
    f = withRefund(f, refundFactsFrom(restRefund(), "USD")!); // duplicate
    expect(f.fulfillments).toHaveLength(1);
    expect(f.fulfillments[0].shipmentStatus).toBe("in_transit");
    expect(f.refunds).toHaveLength(1);
    const stale = mergeOrder(f, facts(restOrder({ updated_at: "2026-11-19T00:00:00-05:00" })));
    expect(stale.fulfillments).toHaveLength(1);
    expect(stale.refunds).toHaveLength(1);
    const newer = mergeOrder(f, facts(restOrder({ updated_at: "2026-11-23T00:00:00-05:00", financial_status: "partially_refunded" })));
    expect(newer.financialStatus).toBe("partially_refunded");
    expect(newer.fulfillments[0].history.map((h) => h.status)).toEqual(["in_transit"]);
  });
});

describe("status mapping (docs/decisions/0060)", () => {
  const line = (current: number, fulfilled: number, requiresShipping = true) => ({ current, fulfilled, requiresShipping });
  it.each([
    [{ cancelled: true, financialStatus: "paid", lines: [line(1, 0)], fulfillmentStatuses: [] }, "canceled"],
    [{ cancelled: false, financialStatus: "refunded", lines: [line(0, 0)], fulfillmentStatuses: [] }, "canceled"],
    [{ cancelled: false, financialStatus: "pending", lines: [line(1, 0)], fulfillmentStatuses: [] }, "created"],
    [{ cancelled: false, financialStatus: "paid", lines: [line(1, 0)], fulfillmentStatuses: [] }, "confirmed"],
    [{ cancelled: false, financialStatus: "paid", lines: [line(2, 1)], fulfillmentStatuses: ["shipped"] }, "processing"],
    [{ cancelled: false, financialStatus: "paid", lines: [line(2, 2)], fulfillmentStatuses: ["in_transit"] }, "shipped"],
    [{ cancelled: false, financialStatus: "paid", lines: [line(2, 2)], fulfillmentStatuses: ["delivered"] }, "completed"],
    [{ cancelled: false, financialStatus: "paid", lines: [line(1, 1, false)], fulfillmentStatuses: ["shipped"] }, "completed"],
  ] as const)("%j → %s", (input, status) => {
    expect(orderStatus({ ...input, lines: [...input.lines], fulfillmentStatuses: [...input.fulfillmentStatuses] })).toBe(status);
  });
});

describe("order events, 2026-04-17 (full Order)", () => {
  it("a new paid order: confirmed, lines processing, totals; valid against the official schema", () => {
    const order = buildAgentOrder(record, facts(), []);
    const body = full("created", SPEC_EVENT_NAMES, order);
    expectValid2026(body);
    expect(body.type).toBe("order_create");
    expect(body.data).toMatchObject({
      type: "order",
      id: `gid://shopify/Order/${ORDER_ID}`,
      checkout_session_id: "cs_test_1",
      permalink_url: "https://demo.example/123/orders/abc/authenticate?key=xyz",
      status: "confirmed",
      order_number: "#1001",
    });
    expect(body.data.line_items?.[0]).toEqual({ id: lineA, title: "Trail Shoe - 42", product_id: "gid://shopify/Product/632910392", quantity: { ordered: 2, current: 2, fulfilled: 0 }, unit_price: 2500, subtotal: 5000, status: "processing" });
    expect(body.data.totals).toEqual([
      { type: "subtotal", display_text: "Subtotal", amount: 5900 },
      { type: "fulfillment", display_text: "Shipping", amount: 500 },
      { type: "tax", display_text: "Tax", amount: 472 },
      { type: "total", display_text: "Total", amount: 6872 },
    ]);
  });

  it("shipped: fulfillment with carrier, tracking and a shipped event; delivered → completed", () => {
    const shipped = withFulfillment(facts(), fulfillmentFactsFrom(restFulfillment(), SEEN)!);
    const body = full("updated", SPEC_EVENT_NAMES, buildAgentOrder(record, shipped, []));
    expectValid2026(body);
    expect(body.data.status).toBe("shipped");
    expect(body.data.fulfillments?.[0]).toMatchObject({
      type: "shipping",
      status: "shipped",
      carrier: "UPS",
      tracking_number: "1Z2345",
      tracking_url: "https://www.ups.com/track?tracknum=1Z2345",
      line_items: [{ id: lineA, quantity: 2 }, { id: lineB, quantity: 1 }],
      events: [{ type: "shipped", occurred_at: "2026-11-21T09:00:00-05:00" }],
    });
    expect(body.data.line_items?.map((l) => l.status)).toEqual(["fulfilled", "fulfilled"]);
    const delivered = withFulfillment(shipped, fulfillmentFactsFrom(restFulfillment({ shipment_status: "delivered", updated_at: "2026-11-24T10:00:00-05:00" }), SEEN)!);
    const done = full("updated", SPEC_EVENT_NAMES, buildAgentOrder(record, delivered, []));
    expectValid2026(done);
    expect(done.data.status).toBe("completed");
    expect(done.data.fulfillments?.[0].events?.map((e) => e.type)).toEqual(["shipped", "delivered"]);
  });

  it("a partial refund paid through Stripe: pending until Stripe refunds, then completed with amount_refunded", () => {
    const refunded = withRefund(facts(), refundFactsFrom(restRefund(), "USD")!);
    const money = (status: MoneyRefundRecord["status"]): MoneyRefundRecord[] => [{ shopifyRefundId: "gid://shopify/Refund/509562969", amountMinor: 972, status, refundedAt: "2026-11-22T17:00:00.000Z" }];
    const pending = full("updated", SPEC_EVENT_NAMES, buildAgentOrder(record, refunded, money("pending")));
    expectValid2026(pending);
    expect(pending.data.adjustments).toEqual([
      { id: "gid://shopify/Refund/509562969", type: "refund", occurred_at: "2026-11-22T12:00:00-05:00", status: "pending", line_items: [{ id: lineB, quantity: 1 }], amount: 972, currency: "usd" },
    ]);
    expect(pending.data.totals?.find((t) => t.type === "amount_refunded")?.amount).toBe(0);
    const done = full("updated", SPEC_EVENT_NAMES, buildAgentOrder(record, refunded, money("succeeded")));
    expectValid2026(done);
    expect(done.data.adjustments?.[0].status).toBe("completed");
    expect(done.data.totals?.find((t) => t.type === "amount_refunded")?.amount).toBe(972);
    expect(done.data.totals?.find((t) => t.type === "total")?.amount).toBe(6872); // the original charge, never reduced
    expect(done.data.line_items?.find((l) => l.id === lineB)).toMatchObject({ quantity: { ordered: 1, current: 0, fulfilled: 0 }, status: "removed" });
  });

  it("a cancellation with refund: canceled, a cancellation adjustment and the refund", () => {
    const cancelled = facts(restOrder({ cancelled_at: "2026-11-20T11:00:00-05:00", cancel_reason: "customer", financial_status: "refunded", refunds: [restRefund({ refund_line_items: [], transactions: [{ id: 9, kind: "refund", status: "success", gateway: "stripe-acp", amount: "68.72", currency: "USD" }] })] }));
    const order = buildAgentOrder(record, cancelled, [{ shopifyRefundId: "gid://shopify/Refund/509562969", amountMinor: 6872, status: "succeeded", refundedAt: "2026-11-20T16:00:00.000Z" }]);
    const body = full("updated", SPEC_EVENT_NAMES, order);
    expectValid2026(body);
    expect(body.data.status).toBe("canceled");
    expect(body.data.adjustments?.map((a) => [a.type, a.status, a.amount])).toEqual([
      ["cancellation", "completed", undefined],
      ["refund", "completed", 6872],
    ]);
    expect(body.data.adjustments?.[0].reason).toBe("customer");
  });

  it("a hand-off order (paid in Shopify): refund status from Shopify's transactions; store credit is a credit", () => {
    const handoff = { ...record, paidThroughStripe: false };
    const withCredit = withRefund(facts(), refundFactsFrom(restRefund({ transactions: [{ id: 1, kind: "refund", status: "success", gateway: "shopify_store_credit", amount: "5.00", currency: "USD" }, { id: 2, kind: "refund", status: "pending", gateway: "shopify_payments", amount: "4.72", currency: "USD" }] }), "USD")!);
    const body = full("updated", SPEC_EVENT_NAMES, buildAgentOrder(handoff, withCredit, []));
    expectValid2026(body);
    expect(body.data.adjustments?.map((a) => [a.type, a.status, a.amount])).toEqual([
      ["refund", "pending", 472],
      ["credit", "completed", 500],
    ]);
  });

  it("an order known only from our record (no Shopify payload yet) is still a valid Order", () => {
    const body = full("created", SPEC_EVENT_NAMES, buildAgentOrder(record, emptyOrderFacts(record.orderId, "#1001", "USD", null), []));
    expectValid2026(body);
    expect(body.data).toMatchObject({ status: "created", permalink_url: record.permalinkUrl, totals: [{ type: "total", amount: 6872 }] });
  });

  it("every official order example still validates with our validator (the validator is the spec's)", () => {
    const dir = path.resolve(import.meta.dirname, "../../spec/acp/2026-04-17/examples/orders");
    for (const file of readdirSync(dir)) {
      const example = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, unknown>;
      delete example.$schema;
      delete example._description;
      expect(validateOrder2026(example), `${file}: ${errorsOf(validateOrder2026)}`).toBe(true);
    }
    expect(validateOrder2026({ id: "x", checkout_session_id: "y", permalink_url: "https://a.example", status: "created", surprise: 1 })).toBe(false);
  });
});

describe("order events, legacy (2025-09-29 … 2026-01-30)", () => {
  it("carries {type, checkout_session_id, permalink_url, status, refunds[]} with the old status names", () => {
    let f: ShopifyOrderFacts = withFulfillment(facts(), fulfillmentFactsFrom(restFulfillment({ shipment_status: "delivered" }), SEEN)!);
    f = withRefund(f, refundFactsFrom(restRefund(), "USD")!);
    const order = buildAgentOrder(record, f, [{ shopifyRefundId: "gid://shopify/Refund/509562969", amountMinor: 972, status: "succeeded", refundedAt: SEEN }]);
    const body = orderEventBody("2025-09-29", "updated", SPEC_EVENT_NAMES, order);
    expect(validateOrderEventLegacy(body), errorsOf(validateOrderEventLegacy)).toBe(true);
    expect(body).toEqual({
      type: "order_update",
      data: { type: "order", checkout_session_id: "cs_test_1", permalink_url: "https://demo.example/123/orders/abc/authenticate?key=xyz", status: "fulfilled", refunds: [{ type: "original_payment", amount: 972 }] },
    });
    const created = orderEventBody("2025-09-29", "created", SPEC_EVENT_NAMES, buildAgentOrder(record, facts(), []));
    expect(validateOrderEventLegacy(created), errorsOf(validateOrderEventLegacy)).toBe(true);
    expect(created.data.status).toBe("confirmed");
  });

  it("the spec's own legacy webhook examples pass the hand-written legacy validator", () => {
    const examples = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../spec/acp/2026-04-17/examples/examples.agentic_checkout.json"), "utf8")) as Record<string, unknown>;
    expect(validateOrderEventLegacy(examples.webhook_order_create_event), errorsOf(validateOrderEventLegacy)).toBe(true);
    expect(validateOrderEventLegacy(examples.webhook_order_update_event), errorsOf(validateOrderEventLegacy)).toBe(true);
  });
});

describe("event names", () => {
  it("uses the shop's setting, falling back to the spec's names", () => {
    expect(eventNamesFrom('{"created":"order_created","updated":"order_updated"}')).toEqual({ created: "order_created", updated: "order_updated" });
    expect(eventNamesFrom("{}")).toEqual(SPEC_EVENT_NAMES);
    expect(eventNamesFrom("not json")).toEqual(SPEC_EVENT_NAMES);
    expect(eventNamesFrom('{"created":"Bad Name!"}').created).toBe("order_create");
  });
});

describe("Stripe refund plan (docs/decisions/0063)", () => {
  it("refunds exactly what was asked, capped at what is left of the charge", () => {
    expect(planStripeRefund({ requestedMinor: 972, chargedMinor: 6872, earlierRefundsMinor: 0 })).toEqual({ requestedMinor: 972, amountMinor: 972, outcome: "refund" });
    expect(planStripeRefund({ requestedMinor: 5000, chargedMinor: 6872, earlierRefundsMinor: 6000 })).toEqual({ requestedMinor: 5000, amountMinor: 872, outcome: "capped" });
    expect(planStripeRefund({ requestedMinor: 100, chargedMinor: 6872, earlierRefundsMinor: 6872 }).outcome).toBe("skipped");
    expect(stripeRefundIdempotencyKey("shop1", "gid://shopify/Refund/509562969")).toBe("acp-shopify-refund-shop1-509562969");
  });
});

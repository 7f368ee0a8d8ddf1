// orderCreate (inventory behaviours), orders search, refundCreate with @idempotent, orderCancel,
// merchant fulfilment/refund actions.
import { describe, expect, it } from "vitest";
import { SHOP, useSim, variantGid } from "./helpers.js";

const { sim, gql } = useSim();

const CREATE = `mutation CreateAgentOrder($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order { id legacyResourceId name displayFinancialStatus displayFulfillmentStatus sourceIdentifier tags statusPageUrl
      totalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } }
      customAttributes { key value }
      lineItems(first: 10) { nodes { id title quantity currentQuantity sku fulfillableQuantity variant { id } originalUnitPriceSet { shopMoney { amount } } } }
      transactions { id kind status gateway amountSet { shopMoney { amount } } } }
    userErrors { field message code } } }`;

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });

function orderInput(variantId: string, quantity: number, extra: Record<string, unknown> = {}) {
  return {
    lineItems: [{ variantId, quantity, priceSet: money("18.00") }],
    email: "buyer@example.com",
    shippingAddress: { firstName: "Ada", lastName: "Buyer", address1: "1 Main St", city: "Albany", provinceCode: "NY", countryCode: "US", zip: "12207" },
    shippingLines: [{ title: "Standard", code: "Standard", priceSet: money("5.00"), taxLines: [{ title: "NY State Tax", rate: "0.08875", priceSet: money("0.44") }] }],
    taxLines: [{ title: "NY State Tax", rate: "0.08875", priceSet: money("3.20") }],
    transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe", amountSet: money((18 * quantity + 5 + 3.64).toFixed(2)), authorizationCode: "pi_123", test: true }],
    sourceName: "chatgpt",
    sourceIdentifier: `cs_${Math.random().toString(36).slice(2)}`,
    tags: ["chatgpt", "acp"],
    customAttributes: [{ key: "checkout_session_id", value: "cs_1" }],
    test: true,
    ...extra,
  };
}

describe("orderCreate", () => {
  it("creates a paid order and decrements inventory", async () => {
    const v = variantGid(sim(), "enamel-camp-mug", "White");
    const before = sim().inventory(SHOP, v);
    const res = await gql(CREATE, { order: orderInput(v, 2), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    const { order, userErrors } = res.body.data.orderCreate;
    expect(userErrors).toEqual([]);
    expect(order.name).toBe("#1001");
    expect(order.displayFinancialStatus).toBe("PAID");
    expect(order.displayFulfillmentStatus).toBe("UNFULFILLED");
    expect(order.totalPriceSet.shopMoney.amount).toBe("44.64");
    expect(order.totalTaxSet.shopMoney.amount).toBe("3.64");
    expect(order.statusPageUrl).toMatch(/^https:\/\/demo-outfitters\.example\/\d+\/orders\/[0-9a-f]{32}\/authenticate\?key=/);
    expect(order.lineItems.nodes[0]).toMatchObject({ title: "Enamel Camp Mug", quantity: 2, currentQuantity: 2, fulfillableQuantity: 2, sku: "CG-ECM-WHIT", variant: { id: v } });
    expect(order.transactions[0]).toMatchObject({ kind: "SALE", status: "SUCCESS", gateway: "stripe" });
    expect(sim().inventory(SHOP, v)).toBe(before - 2);
  });

  it("BYPASS leaves inventory alone; DECREMENT_OBEYING_POLICY refuses out-of-stock DENY variants", async () => {
    const v = variantGid(sim(), "titanium-mug-450ml");
    const before = sim().inventory(SHOP, v);
    await gql(CREATE, { order: orderInput(v, 1) });
    expect(sim().inventory(SHOP, v)).toBe(before);

    const out = variantGid(sim(), "packable-wind-jacket", "M");
    const ordersBefore = sim().orders().length;
    const res = await gql(CREATE, { order: orderInput(out, 1), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    expect(res.body.data.orderCreate.order).toBeNull();
    expect(res.body.data.orderCreate.userErrors[0]).toMatchObject({ field: ["order", "lineItems", "0"], code: "INVENTORY_CLAIM_FAILED" });
    expect(sim().orders().length).toBe(ordersBefore);

    // CONTINUE (backorder) is allowed and goes negative.
    const back = variantGid(sim(), "storm-shell-pro-jacket", "L");
    const ok = await gql(CREATE, { order: orderInput(back, 2), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } });
    expect(ok.body.data.orderCreate.userErrors).toEqual([]);
    expect(sim().inventory(SHOP, back)).toBe(-2);

    // DECREMENT_IGNORING_POLICY oversells DENY variants.
    const ign = await gql(CREATE, { order: orderInput(out, 1), options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" } });
    expect(ign.body.data.orderCreate.userErrors).toEqual([]);
    expect(sim().inventory(SHOP, out)).toBe(-1);
  });

  it("finds orders by source_identifier, tag and name", async () => {
    const input = orderInput(variantGid(sim(), "spork"), 1, { sourceIdentifier: "checkout_abc_123", tags: ["findme"] });
    const created = (await gql(CREATE, { order: input })).body.data.orderCreate.order;
    const q = `query F($q: String) { orders(first: 5, query: $q) { nodes { id name sourceIdentifier } } }`;
    const bySource = await gql(q, { q: "source_identifier:checkout_abc_123" });
    expect(bySource.body.data.orders.nodes).toEqual([{ id: created.id, name: created.name, sourceIdentifier: "checkout_abc_123" }]);
    expect((await gql(q, { q: "source_identifier:nope" })).body.data.orders.nodes).toEqual([]);
    expect((await gql(q, { q: "tag:findme" })).body.data.orders.nodes[0].id).toBe(created.id);
    expect((await gql(q, { q: `name:${created.name.slice(1)}` })).body.data.orders.nodes[0].id).toBe(created.id);
    const one = await gql(`query O($id: ID!) { order(id: $id) { name customAttributes { key value } } }`, { id: created.id });
    expect(one.body.data.order).toEqual({ name: created.name, customAttributes: [{ key: "checkout_session_id", value: "cs_1" }] });
  });
});

const REFUND = `mutation Refund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { quantity restockType } } transactions(first: 5) { nodes { kind amountSet { shopMoney { amount } } parentTransaction { id } } } }
    order { displayFinancialStatus totalRefundedSet { shopMoney { amount } } }
    userErrors { field message } } }`;

describe("refundCreate", () => {
  it("requires @idempotent, replays on the same key, refuses a reused key with other input", async () => {
    const v = variantGid(sim(), "wool-beanie", "Rust");
    const order = (await gql(CREATE, { order: orderInput(v, 2), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } })).body.data.orderCreate.order;
    const stock = sim().inventory(SHOP, v);
    const input = {
      orderId: order.id,
      note: "damaged",
      refundLineItems: [{ lineItemId: order.lineItems.nodes[0].id, quantity: 1, restockType: "RETURN" }],
      transactions: [{ orderId: order.id, parentId: order.transactions[0].id, amount: "19.60", gateway: "stripe", kind: "REFUND" }],
    };
    const missing = await gql(`mutation R($input: RefundInput!) { refundCreate(input: $input) { refund { id } userErrors { message } } }`, { input });
    expect(missing.body.errors[0].message).toMatch(/@idempotent directive is required/);
    expect(missing.body.data.refundCreate).toBeNull();
    expect(sim().order(SHOP, order.id)!.refunds).toHaveLength(0);

    const first = await gql(REFUND, { input, key: "refund-1" });
    const r1 = first.body.data.refundCreate;
    expect(r1.userErrors).toEqual([]);
    expect(r1.refund.totalRefundedSet.shopMoney.amount).toBe("19.60");
    expect(r1.refund.refundLineItems.nodes).toEqual([{ quantity: 1, restockType: "RETURN" }]);
    expect(r1.refund.transactions.nodes[0]).toMatchObject({ kind: "REFUND", parentTransaction: { id: order.transactions[0].id } });
    expect(r1.order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    expect(sim().inventory(SHOP, v)).toBe(stock + 1);

    const replay = await gql(REFUND, { input, key: "refund-1" });
    expect(replay.body.data.refundCreate.refund.id).toBe(r1.refund.id);
    expect(sim().order(SHOP, order.id)!.refunds).toHaveLength(1);
    expect(sim().inventory(SHOP, v)).toBe(stock + 1);

    const mismatch = await gql(REFUND, { input: { ...input, note: "other" }, key: "refund-1" });
    expect(mismatch.body.errors[0].extensions.code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");

    const over = await gql(REFUND, { input: { orderId: order.id, transactions: [{ orderId: order.id, amount: "500.00", gateway: "stripe", kind: "REFUND" }] }, key: "refund-2" });
    expect(over.body.data.refundCreate.userErrors[0].message).toMatch(/greater than net payment received/);
  });
});

describe("orderCancel and merchant actions", () => {
  it("cancels with restock and refund", async () => {
    const v = variantGid(sim(), "daypack-22l", "Olive");
    const stock = sim().inventory(SHOP, v);
    const order = (await gql(CREATE, { order: orderInput(v, 1), options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" } })).body.data.orderCreate.order;
    expect(sim().inventory(SHOP, v)).toBe(stock - 1);
    const res = await gql(
      `mutation C($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refund: true, notifyCustomer: false, staffNote: "agent cancel") { job { id done } orderCancelUserErrors { field message code } } }`,
      { id: order.id },
    );
    expect(res.body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(res.body.data.orderCancel.job.id).toMatch(/^gid:\/\/shopify\/Job\//);
    expect(sim().inventory(SHOP, v)).toBe(stock);
    const o = await gql(`query O($id: ID!) { order(id: $id) { cancelledAt cancelReason closed displayFinancialStatus totalRefundedSet { shopMoney { amount } } lineItems(first: 1) { nodes { currentQuantity } } } }`, { id: order.id });
    expect(o.body.data.order).toMatchObject({ cancelReason: "CUSTOMER", closed: true, displayFinancialStatus: "REFUNDED", totalRefundedSet: { shopMoney: { amount: "26.64" } }, lineItems: { nodes: [{ currentQuantity: 0 }] } });
    const again = await gql(`mutation C($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true) { orderCancelUserErrors { code } } }`, { id: order.id });
    expect(again.body.data.orderCancel.orderCancelUserErrors[0].code).toBe("INVALID");
  });

  it("fulfils with tracking and refunds as the merchant would", async () => {
    const v = variantGid(sim(), "compass");
    const created = sim().createOrder(SHOP, orderInput(v, 2) as never);
    const f = sim().fulfillOrder(SHOP, created.id, { trackingCompany: "UPS", trackingNumber: "1Z999", trackingUrl: "https://ups.example/1Z999" });
    expect(f.status).toBe("SUCCESS");
    const o = await gql(`query O($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillments { status trackingInfo { company number url } fulfillmentLineItems(first: 5) { nodes { quantity } } } lineItems(first: 1) { nodes { fulfillableQuantity } } } }`, { id: `gid://shopify/Order/${created.id}` });
    expect(o.body.data.order).toEqual({
      displayFulfillmentStatus: "FULFILLED",
      fulfillments: [{ status: "SUCCESS", trackingInfo: [{ company: "UPS", number: "1Z999", url: "https://ups.example/1Z999" }], fulfillmentLineItems: { nodes: [{ quantity: 2 }] } }],
      lineItems: { nodes: [{ fulfillableQuantity: 0 }] },
    });
    const refund = sim().refundOrder(SHOP, created.id, { amount: "10.00", note: "goodwill" });
    expect(refund.note).toBe("goodwill");
    const after = await gql(`query O($id: ID!) { order(id: $id) { displayFinancialStatus totalRefundedSet { shopMoney { amount } } refunds { note totalRefundedSet { shopMoney { amount } } } } }`, { id: `gid://shopify/Order/${created.id}` });
    expect(after.body.data.order).toEqual({ displayFinancialStatus: "PARTIALLY_REFUNDED", totalRefundedSet: { shopMoney: { amount: "10.00" } }, refunds: [{ note: "goodwill", totalRefundedSet: { shopMoney: { amount: "10.00" } } }] });
    // fulfilled orders cannot be cancelled
    expect(() => sim().cancelOrder(SHOP, created.id)).toThrow(/fulfillments/);
  });
});

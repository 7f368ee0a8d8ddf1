// Limits of real stores in the stand-in (docs/decisions/0157): the cost bucket per plan, a development store's five
// API orders a minute, and orderCancel's 2026-10 refund options.
import { describe, expect, it } from "vitest";
import { PLAN_THROTTLE, type ShopPlanTier } from "../cost.js";
import { ORDER_LIMIT_MESSAGE, setDevelopmentStore } from "../resolvers/order-limits.js";
import { SHOP, useSim, variantGid } from "./helpers.js";

const { sim, gql } = useSim();

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });
const CREATE = `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } userErrors { message } } }`;
const order = () => ({
  lineItems: [{ variantId: variantGid(sim(), "titanium-mug-450ml"), quantity: 1, priceSet: money("18.00") }],
  transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe", amountSet: money("18.00") }],
});

async function rawCreate() {
  const res = await fetch(sim().graphqlUrl(SHOP), {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sim().accessToken(SHOP) },
    body: JSON.stringify({ query: CREATE, variables: { order: order() } }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as { errors?: unknown; data?: { orderCreate: { order: { id: string } | null } } } };
}

describe("the cost bucket per plan", () => {
  it.each(Object.entries(PLAN_THROTTLE) as Array<[ShopPlanTier, (typeof PLAN_THROTTLE)[ShopPlanTier]]>)("%s: throttleStatus reports the plan's bucket and restore rate", async (_plan, cfg) => {
    sim().setThrottle(cfg, SHOP);
    const res = await gql("query Q { shop { name } }");
    const status = res.body.extensions.cost.throttleStatus;
    expect(status).toMatchObject({ maximumAvailable: cfg.maximumAvailable, restoreRate: cfg.restoreRate });
    // Restoring runs in real time, so a fast plan may have refilled the one point already.
    expect(status.currentlyAvailable).toBeGreaterThanOrEqual(cfg.maximumAvailable - res.body.extensions.cost.actualQueryCost);
    expect(status.currentlyAvailable).toBeLessThanOrEqual(cfg.maximumAvailable);
  });

  it("the documented restore rates: Standard 100, Advanced 200, Plus 1000, Enterprise 2000 points/s; one query at most 1000", async () => {
    expect(Object.values(PLAN_THROTTLE).map((c) => c.restoreRate)).toEqual([100, 200, 1000, 2000]);
    sim().setThrottle(PLAN_THROTTLE.standard, SHOP);
    const state = sim().shop(SHOP);
    state.bucket.tryTake(2000);
    const throttled = await gql("query Q { products(first: 50) { nodes { id variants(first: 10) { nodes { id } } } } }");
    expect(throttled.body.errors[0].extensions.code).toBe("THROTTLED");
    expect(throttled.body.extensions.cost.throttleStatus.restoreRate).toBe(100);
    await new Promise((r) => setTimeout(r, 300));
    const available = state.bucket.status().currentlyAvailable;
    expect(available).toBeGreaterThanOrEqual(25);
    expect(available).toBeLessThan(60);
  });
});

describe("a development store's order limit", () => {
  it("five orders a minute; the sixth gets HTTP 429 with Retry-After and is not made; shop.plan says development", async () => {
    sim().setThrottle(PLAN_THROTTLE.plus, SHOP);
    const state = sim().shop(SHOP);
    setDevelopmentStore(state, true);
    try {
      expect((await gql("query P { shop { plan { partnerDevelopment } } }")).body.data.shop.plan.partnerDevelopment).toBe(true);
      for (let i = 0; i < 5; i++) expect((await rawCreate()).body.data?.orderCreate.order?.id).toMatch(/^gid:\/\/shopify\/Order\//);
      const before = sim().orders(SHOP).length;
      const sixth = await rawCreate();
      expect(sixth.status).toBe(429);
      expect(sixth.body).toEqual({ errors: ORDER_LIMIT_MESSAGE });
      expect(Number(sixth.retryAfter)).toBeGreaterThan(0);
      expect(Number(sixth.retryAfter)).toBeLessThanOrEqual(60);
      expect(sim().orders(SHOP).length).toBe(before);
      // Other calls are not limited.
      expect((await gql("query Q { shop { name } }")).status).toBe(200);
    } finally {
      setDevelopmentStore(state, false);
    }
  });

  it("a store on a paid plan has no such limit", async () => {
    for (let i = 0; i < 7; i++) expect((await rawCreate()).status).toBe(200);
  });
});

describe("orderCancel's refund options (2026-10)", () => {
  const CANCEL = `mutation X($id: ID!, $m: OrderCancelRefundMethodInput) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refundMethod: $m) { job { id } orderCancelUserErrors { field code } } }`;
  const refunded = async (id: string) => (await gql(`query O($id: ID!) { order(id: $id) { cancelledAt displayFinancialStatus } }`, { id })).body.data.order;

  it("refundMethod.originalPaymentMethodsRefund refunds the payment", async () => {
    const { body } = await rawCreate();
    const id = body.data!.orderCreate.order!.id;
    expect((await gql(CANCEL, { id, m: { originalPaymentMethodsRefund: true } })).body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(await refunded(id)).toMatchObject({ displayFinancialStatus: "REFUNDED" });
  });

  it("without a refund method nothing is refunded", async () => {
    const { body } = await rawCreate();
    const id = body.data!.orderCreate.order!.id;
    expect((await gql(CANCEL, { id, m: null })).body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    const o = await refunded(id);
    expect(o.cancelledAt).toBeTruthy();
    expect(o.displayFinancialStatus).toBe("PAID");
  });

  it("store credit for an order without a customer: STORE_CREDIT_REFUND_MISSING_CUSTOMER, not cancelled", async () => {
    const { body } = await rawCreate();
    const id = body.data!.orderCreate.order!.id;
    const res = await gql(CANCEL, { id, m: { storeCreditRefund: {} } });
    expect(res.body.data.orderCancel.orderCancelUserErrors).toEqual([{ field: ["refundMethod", "storeCreditRefund"], code: "STORE_CREDIT_REFUND_MISSING_CUSTOMER" }]);
    expect((await refunded(id)).cancelledAt).toBeNull();
  });
});

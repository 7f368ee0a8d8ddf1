// Limits of real stores, end to end (issue 13 item 8, docs/decisions/0157): a development store's limit of five
// API orders a minute, and the Admin API's cost bucket. The app must answer in ACP terms, refund a charge whose order
// Shopify refused, lose nothing, and wait out a throttle instead of failing.
import { beforeAll, describe, expect, it } from "vitest";
import { pay, useCompleteWorld, type World } from "./complete-world";
import { setDevelopmentStore } from "../../sim/shopify/resolvers/order-limits";
import { DEVELOPMENT_STORE_LIMIT_MESSAGE } from "../../app/shopify/order-sink";
import { PLAN_THROTTLE } from "../../sim/shopify/cost";
import { sentNotifications } from "../../sim/shopify/resolvers/order-notifications";

const world = useCompleteWorld();
let w: World;
beforeAll(() => {
  w = world();
});

describe("a development store's order limit", () => {
  it("five orders a minute go through; the sixth is refused by Shopify: refunded, canceled with a message, no order", async () => {
    const state = w.shopify.shop(w.shop.domain);
    setDevelopmentStore(state, true);
    try {
      const sessions = [];
      for (let i = 0; i < 6; i++) sessions.push(await w.ready());
      for (const session of sessions.slice(0, 5)) {
        const res = await pay(w, session);
        expect(res.json.status).toBe("completed");
      }
      const sixth = sessions[5];
      const res = await pay(w, sixth);
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("canceled");
      expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "error", content: expect.stringContaining("refunded") }));
      expect(w.schemaErrors("2026-04-17", "CheckoutSession", res.json)).toEqual([]);
      const [charge] = w.chargesFor(sixth.id);
      expect(w.chargesFor(sixth.id)).toHaveLength(1);
      expect(charge.amountRefunded).toBe(charge.amount);
      expect(w.ordersFor(sixth.id)).toHaveLength(0);
      // Why, for the merchant: the reason Shopify gave is kept on the session.
      expect((await w.stored(sixth.id)).completion?.lastError).toBe(DEVELOPMENT_STORE_LIMIT_MESSAGE);
    } finally {
      setDevelopmentStore(state, false);
    }
  }, 60_000);
});

describe("the cost bucket of a standard-plan store", () => {
  it("an empty bucket at orderCreate: THROTTLED, the client waits for the restore rate, and the checkout completes", async () => {
    const session = await w.ready();
    const state = w.shopify.shop(w.shop.domain);
    w.shopify.setThrottle(PLAN_THROTTLE.standard, w.shop.domain);
    try {
      expect(state.bucket.status()).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
      // Empty the bucket right after the charge, before orderCreate (complete's crash seam runs this, no crash).
      w.crash.at = "after_charge_recorded";
      w.crash.run = () => void state.bucket.tryTake(state.bucket.status().currentlyAvailable);
      const injectedBefore = w.shopify.faults.stats().throttles;
      const throttledBefore = realThrottles(w.shopify);
      const started = Date.now();
      const res = await pay(w, session);
      expect(res.json.status).toBe("completed");
      expect(w.ordersFor(session.id)).toHaveLength(1);
      expect(w.chargesFor(session.id)).toHaveLength(1);
      // Nothing injected: Shopify's own bucket throttled the calls, and the client waited (at 100 points/s).
      expect(w.shopify.faults.stats().throttles).toBe(injectedBefore);
      expect(realThrottles(w.shopify)).toBeGreaterThan(throttledBefore);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    } finally {
      w.crash.run = undefined;
      w.crash.at = null;
      w.shopify.setThrottle({ maximumAvailable: 1_000_000, restoreRate: 1_000_000 }, w.shop.domain);
    }
  }, 30_000);
});

/** THROTTLED answers the stand-in's bucket gave (its call log). */
function realThrottles(sim: World["shopify"]): number {
  return (sim as unknown as { calls: Array<{ throttled: boolean }> }).calls.filter((c) => c.throttled).length;
}

describe("orderCreate as the app sends it", () => {
  it("the Stripe charge is a successful SALE through gateway stripe; stock is claimed; no shipping confirmation for an unfulfilled order", async () => {
    const item = w.variantGid(1);
    const variantId = Number(item.split("/").pop());
    const state = w.shopify.shop(w.shop.domain);
    const stockBefore = state.inventoryQuantity(state.variants.get(variantId)!);
    const session = await w.ready("2026-04-17", 2, item);
    const res = await pay(w, session);
    expect(res.json.status).toBe("completed");
    const [order] = w.ordersFor(session.id);
    const [charge] = w.chargesFor(session.id);
    expect(order.transactions).toEqual([expect.objectContaining({ kind: "SALE", status: "SUCCESS", gateway: "stripe", amount: charge.amount, authorizationCode: charge.id })]);
    expect(state.inventoryQuantity(state.variants.get(variantId)!)).toBe(stockBefore - 2);
    expect(sentNotifications(state).filter((n) => n.orderId === order.id && n.kind === "shipping_confirmation")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { orderBlockView, orderIdParam, type OrderAgentCheckout } from "./logic";

const order: NonNullable<OrderAgentCheckout["agentOrder"]> = {
  id: "ao_1",
  agent: "ChatGPT",
  attribution: "checkout",
  checkoutSessionId: "cs_123",
  sessionStatus: "completed",
  acpVersion: "2026-04-17",
  orderStatus: "shipped",
  total: "$68.72",
  paymentIntentId: "pi_9",
  createdAt: "2026-11-20T10:00:00.000Z",
};

describe("order block", () => {
  it("says when an order did not come from an agent", () => {
    expect(orderBlockView({ agentOrder: null, events: [] })).toMatchObject({ agentOrder: false, collapsedSummary: "Not an agent order", appPath: null });
  });

  it("shows the agent, the session and how it was paid, with a link to the app's timeline", () => {
    const view = orderBlockView({ agentOrder: order, events: [{ type: "order_update", createdAt: "t2", delivery: "delivered", attempts: 1, lastError: null }, { type: "order_create", createdAt: "t1", delivery: "delivered", attempts: 1, lastError: null }] });
    expect(view.collapsedSummary).toBe("Sold by ChatGPT");
    expect(view.facts).toEqual([
      { label: "Agent", value: "ChatGPT" },
      { label: "How it was paid", value: "Agent payment (Stripe pi_9)" },
      { label: "Checkout session", value: "cs_123" },
      { label: "Session status", value: "completed (ACP 2026-04-17)" },
      { label: "Status reported to the agent", value: "shipped" },
    ]);
    expect(view.updates).toEqual({ tone: "success", text: "Latest update (order_update) delivered; 2 sent in all." });
    expect(view.appPath).toBe("app:app/orders/ao_1");
  });

  it("flags updates that could not be delivered, and hand-off orders", () => {
    const view = orderBlockView({ agentOrder: { ...order, attribution: "handoff", paymentIntentId: null }, events: [{ type: "order_create", createdAt: "t", delivery: "failed", attempts: 1, lastError: "HTTP 503" }] });
    expect(view.updates).toEqual({ tone: "critical", text: "1 of 1 order update could not be delivered (HTTP 503). Re-send it from the app." });
    expect(view.facts[1].value).toBe("Buyer finished in Shopify checkout");
    expect(orderBlockView({ agentOrder: order, events: [] }).updates?.tone).toBe("neutral");
  });

  it("takes the numeric id from the order GID", () => {
    expect(orderIdParam("gid://shopify/Order/820982911946154500")).toBe("820982911946154500");
    expect(orderIdParam("820982911946154500")).toBeNull();
  });
});

// Pure admin helpers: the going-live checklist rules, the checkout timeline, dashboard arithmetic and the labels.
import { describe, expect, it } from "vitest";
import { goingLiveChecklist, type ChecklistState } from "../../app/admin/checklist";
import { buildTimeline, summarizeResponse } from "../../app/admin/timeline";
import { abandonmentBreakdown, completionRate, daysOf, fillDays, periodFrom, periodStart } from "../../app/admin/dashboard";
import { abandonmentLabel, deliveryState, formatMoney, parseIntentTrace, paymentStatus, shopifyOrderUrl } from "../../app/admin/labels";

const live: ChecklistState = {
  feedSettingsProblems: [],
  catalog: { variants: 10, selectedVariants: 8, eligibleVariants: 8, productsNeedingAttention: 0, synced: true },
  activeAgentKeys: 1,
  orderWebhook: { urlSet: true, secretSet: true },
  payments: { checkoutMode: "agent_payment", stripeKeySet: true, stripeAccountSet: true, stripeMode: "live" },
};
const item = (s: ChecklistState, id: string) => goingLiveChecklist(s).items.find((i) => i.id === id)!;

describe("going-live checklist", () => {
  it("is ready when every item is done, and links each item to where it is fixed", () => {
    const list = goingLiveChecklist(live);
    expect(list).toMatchObject({ done: 5, total: 5, ready: true });
    expect(list.items.map((i) => [i.id, i.action.url])).toEqual([
      ["feed_settings", "/app/feed"],
      ["products", "/app/products"],
      ["agent_key", "/app/settings"],
      ["order_webhook", "/app/settings"],
      ["payments", "/app/settings"],
    ]);
  });

  it("blocks on feed-settings errors but only cautions on warnings", () => {
    expect(item({ ...live, feedSettingsProblems: [{ code: "missing_seller_url", severity: "error", message: "No seller URL." }] }, "feed_settings")).toMatchObject({ done: false, detail: "No seller URL." });
    expect(item({ ...live, feedSettingsProblems: [{ code: "x", severity: "warning", message: "Minor." }] }, "feed_settings")).toMatchObject({ done: true, tone: "attention" });
  });

  it("asks for a sync, a choice of products, or fixes, in that order", () => {
    const c = live.catalog;
    expect(item({ ...live, catalog: { ...c, variants: 0, selectedVariants: 0, eligibleVariants: 0, synced: false } }, "products")).toMatchObject({ done: false, title: "Sync your catalog" });
    expect(item({ ...live, catalog: { ...c, selectedVariants: 0, eligibleVariants: 0 } }, "products")).toMatchObject({ done: false, action: { url: "/app/products" } });
    expect(item({ ...live, catalog: { ...c, eligibleVariants: 0, productsNeedingAttention: 2 } }, "products")).toMatchObject({ done: false, action: { url: "/app/products?status=needs_attention" } });
    const some = item({ ...live, catalog: { ...c, productsNeedingAttention: 1 } }, "products");
    expect(some).toMatchObject({ done: true, tone: "attention" });
    expect(some.detail).toContain("1 product needs attention");
  });

  it("needs an active key, and both the order-event endpoint and its secret", () => {
    expect(item({ ...live, activeAgentKeys: 0 }, "agent_key").done).toBe(false);
    expect(item({ ...live, orderWebhook: { urlSet: true, secretSet: false } }, "order_webhook")).toMatchObject({ done: false });
    expect(item({ ...live, orderWebhook: { urlSet: true, secretSet: false } }, "order_webhook").detail).toContain("the signing secret");
    expect(item({ ...live, orderWebhook: { urlSet: false, secretSet: false } }, "order_webhook").detail).toContain("the endpoint and its signing secret");
  });

  it("accepts Stripe in test or live mode, or hand-off without Stripe", () => {
    const p = live.payments;
    expect(item({ ...live, payments: { ...p, stripeMode: "test" } }, "payments")).toMatchObject({ done: true, tone: "attention" });
    expect(item({ ...live, payments: { ...p, stripeKeySet: false } }, "payments")).toMatchObject({ done: false, title: "Connect Stripe" });
    expect(item({ ...live, payments: { ...p, stripeAccountSet: false } }, "payments").detail).toContain("your account id");
    expect(item({ ...live, payments: { checkoutMode: "handoff", stripeKeySet: false, stripeAccountSet: false, stripeMode: "test" } }, "payments")).toMatchObject({ done: true, tone: "success" });
  });
});

describe("checkout timeline", () => {
  const session = {
    id: "cs_1",
    status: "canceled",
    currency: "usd",
    totalMinor: 5000,
    createdAt: "2026-11-20T10:00:00.000Z",
    updatedAt: "2026-11-20T10:05:00.000Z",
    expiresAt: "2026-11-20T16:00:00.000Z",
    completedAt: null,
    canceledAt: "2026-11-20T10:05:00.000Z",
    reasonCode: "shipping_cost",
    reasonSummary: "Shipping too expensive",
    messages: [{ type: "warning" as const, content: "Only 2 left" }],
  };

  it("reads what the buyer saw from the stored responses, oldest first, and says why the buyer left", () => {
    const entries = buildTimeline({
      session,
      responses: [
        { at: "2026-11-20T10:00:00.000Z", operation: "create", httpStatus: 201, body: JSON.stringify({ status: "not_ready_for_payment", totals: [{ type: "total", amount: 4000 }], messages: [{ type: "error", code: "missing", content: "Add a shipping address" }], buyer: { email: "a@b.c" } }) },
        { at: "2026-11-20T10:02:00.000Z", operation: "update", httpStatus: 200, body: JSON.stringify({ status: "ready_for_payment", totals: [{ type: "total", amount: 5000 }], messages: [] }) },
        { at: "2026-11-20T10:05:00.000Z", operation: "cancel", httpStatus: 200, body: JSON.stringify({ status: "canceled", totals: [], messages: [] }) },
      ],
      order: null,
      events: [],
      refunds: [],
    });
    expect(entries.map((e) => e.kind)).toEqual(["response", "response", "response", "canceled"]);
    expect(entries[0]).toMatchObject({ title: "Agent created the checkout", detail: "Checkout needs more details, total $40.00", messages: [{ type: "error", content: "Add a shipping address" }] });
    expect(entries[1].detail).toBe("Checkout ready for payment, total $50.00");
    expect(entries[3].detail).toBe("Reason: Shipping too expensive · Shipping too expensive");
    expect(JSON.stringify(entries)).not.toContain("a@b.c"); // never the buyer's fields
  });

  it("falls back to the session's last state when the responses are gone, and shows the order, refunds and events", () => {
    const entries = buildTimeline({
      session: { ...session, status: "completed", canceledAt: null, reasonCode: null, completedAt: "2026-11-20T10:06:00.000Z" },
      responses: [],
      order: { orderName: "#1001", createdAt: "2026-11-20T10:06:00.000Z", totalMinor: 5000, currency: "usd", attribution: "checkout" },
      events: [
        { id: "e1", createdAt: "2026-11-20T10:06:01.000Z", payloadJson: JSON.stringify({ body: { type: "order_create", data: { status: "confirmed" } } }), attempts: 1, deliveredAt: null, deadAt: "2026-11-20T10:06:02.000Z", lastError: "no order event endpoint configured" },
      ],
      refunds: [{ createdAt: "2026-11-21T09:00:00.000Z", amountMinor: 972, currency: "usd", status: "succeeded", lastError: null }],
    });
    expect(entries.map((e) => e.kind)).toEqual(["created", "updated", "completed", "order", "event", "refund"]);
    expect(entries[1].messages).toEqual([{ type: "warning", content: "Only 2 left" }]);
    expect(entries[4]).toMatchObject({ title: "Sent order_create to the agent", delivery: "failed", tone: "critical" });
    expect(entries[4].detail).toContain("last error: no order event endpoint configured");
    expect(entries[5].title).toBe("Refund of $9.72");
  });

  it("marks a session that ran out of time as expired", () => {
    const entries = buildTimeline({ session: { ...session, status: "ready_for_payment", canceledAt: null, reasonCode: null }, responses: [], order: null, events: [], refunds: [], now: new Date("2026-11-21T00:00:00Z") });
    expect(entries.at(-1)).toMatchObject({ kind: "expired", at: session.expiresAt });
  });

  it("shows a refused call with the error message", () => {
    expect(summarizeResponse({ at: "t", operation: "complete", httpStatus: 400, body: JSON.stringify({ type: "invalid_request", message: "Payment declined" }) }, "usd")).toMatchObject({ detail: "Refused: Payment declined", tone: "critical" });
  });
});

describe("dashboard arithmetic", () => {
  it("covers every day of the period, zero when nothing happened", () => {
    const start = periodStart(7, new Date("2026-11-26T15:00:00Z"));
    expect(start.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    const days = daysOf(start, 7);
    expect(days).toHaveLength(7);
    expect(fillDays(days, [{ day: "2026-11-22", value: 3 }]).map((p) => p.value)).toEqual([0, 0, 3, 0, 0, 0, 0]);
    expect(periodFrom("90")).toBe(90);
    expect(periodFrom("13")).toBe(30);
  });

  it("computes completion rate and groups abandonment reasons (unknown codes count as other)", () => {
    expect(completionRate(0, 0)).toBeNull();
    expect(completionRate(3, 1)).toBe(33.3);
    expect(abandonmentBreakdown([{ reason: "shipping_cost", n: 2 }, { reason: "made_up", n: 1 }, { reason: "other", n: 1 }, { reason: "", n: 1 }, { reason: "expired", n: 4 }])).toEqual([
      { code: "expired", label: "Expired without a decision", count: 4 },
      { code: "other", label: "Other reason", count: 2 },
      { code: "shipping_cost", label: "Shipping too expensive", count: 2 },
      { code: "no_reason", label: "Canceled, no reason given", count: 1 },
    ]);
  });
});

describe("labels", () => {
  it("formats money from minor units, by the currency's digits", () => {
    expect(formatMoney(6872, "usd")).toBe("$68.72");
    expect(formatMoney(500, "JPY")).toBe("¥500");
  });

  it("links an order to the Shopify admin, or to its status page in the demo", () => {
    expect(shopifyOrderUrl("demo-outfitters.myshopify.com", "gid://shopify/Order/820982911946154500", "https://s/status", false)).toBe("https://admin.shopify.com/store/demo-outfitters/orders/820982911946154500");
    expect(shopifyOrderUrl("demo-outfitters.myshopify.com", "gid://shopify/Order/1", "https://s/status", true)).toBe("https://s/status");
  });

  it("names payment and delivery states", () => {
    const base = { financialStatus: null, paymentIntentId: "pi_1", totalMinor: 1000, refundedMinor: 0, attribution: "checkout" };
    expect(paymentStatus(base).label).toBe("Paid");
    expect(paymentStatus({ ...base, refundedMinor: 400 }).label).toBe("Partially refunded");
    expect(paymentStatus({ ...base, refundedMinor: 1000 }).label).toBe("Refunded");
    expect(paymentStatus({ ...base, paymentIntentId: null, attribution: "handoff" }).label).toBe("Paid in Shopify checkout");
    expect(paymentStatus({ ...base, financialStatus: "pending" }).label).toBe("Payment pending");
    expect(deliveryState(null)).toBe("none");
    expect(deliveryState({ deliveredAt: new Date(), deadAt: null, attempts: 1 })).toBe("delivered");
    expect(deliveryState({ deliveredAt: null, deadAt: new Date(), attempts: 1 })).toBe("failed");
    expect(deliveryState({ deliveredAt: null, deadAt: null, attempts: 2 })).toBe("retrying");
    expect(abandonmentLabel("timing_deferred")).toBe("Buying later");
    expect(parseIntentTrace('{"reason_code":"comparison","trace_summary":"Cheaper elsewhere"}')).toEqual({ reasonCode: "comparison", summary: "Cheaper elsewhere" });
    expect(parseIntentTrace("not json")).toEqual({ reasonCode: null, summary: null });
  });
});

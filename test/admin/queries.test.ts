// The admin's server modules on a real (SQLite) database: the orders list's filters, search and paging, the order
// detail and its re-send, the dashboard's aggregates and the checklist state, each scoped to one shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { freshDb } from "../support/db";
import { seedAgentOrders, seedCatalogItems } from "../support/admin-seed";
import { agentOrderDetail, listAgentOrders, orderFiltersFrom, resendOrderEvent } from "../../app/admin/orders.server";
import { dashboardData } from "../../app/admin/dashboard.server";
import { checklistState, homePageData } from "../../app/admin/home.server";

const t = freshDb();
let shop: Shop;
let other: Shop;
const now = new Date("2026-11-26T12:00:00Z");
const filters = (query = "") => orderFiltersFrom(new URL(`http://x/app/orders?${query}`));

beforeAll(async () => {
  shop = await t.db.shop.create({ data: { domain: "admin-q.myshopify.com", name: "Admin Q", currencyCode: "USD" } });
  other = await t.db.shop.create({ data: { domain: "other-q.myshopify.com", name: "Other" } });
  // 120 orders one hour apart (five days), 20 abandoned sessions; another shop's orders must never show.
  await seedAgentOrders(t.db, { shopId: shop.id, count: 120, abandoned: 20, now, spacingMs: 3_600_000, prefix: "a" });
  await seedAgentOrders(t.db, { shopId: other.id, count: 5, now, prefix: "b" });
  await seedCatalogItems(t.db, shop.id, 40);
});
afterAll(() => t.close());

describe("orders list", () => {
  it("pages newest first with the total, and shows the buyer's name only", async () => {
    const first = await listAgentOrders(t.db, shop, filters(), false);
    expect(first.total).toBe(120);
    expect(first.orders).toHaveLength(50);
    expect(first.orders[0]).toMatchObject({ orderName: "#1001", buyer: "Ann Lee", total: "$30.00", agent: "Perplexity", orderUrl: "https://admin.shopify.com/store/admin-q/orders/100000" });
    expect(JSON.stringify(first.orders)).not.toMatch(/@example\.com|Main St/);
    const third = await listAgentOrders(t.db, shop, filters("page=2"), false);
    expect(third.orders.map((o) => o.orderName)).toEqual(Array.from({ length: 20 }, (_, i) => `#${1101 + i}`));
    expect((await listAgentOrders(t.db, shop, filters(), true)).orders[0].orderUrl).toBe("https://shop.example/orders/0");
  });

  it("filters by status, delivery state and date range, and searches order, buyer and agent", async () => {
    const shipped = await listAgentOrders(t.db, shop, filters("status=shipped"), false);
    expect(shipped.total).toBe(20);
    expect(shipped.orders.every((o) => o.orderStatus.label === "Shipped")).toBe(true);
    const failed = await listAgentOrders(t.db, shop, filters("delivery=failed"), false);
    expect(failed.total).toBe(Math.ceil(120 / 7));
    expect(failed.orders.every((o) => o.delivery === "failed")).toBe(true);
    const pending = await listAgentOrders(t.db, shop, filters("delivery=pending"), false);
    expect(pending.orders.every((o) => o.delivery === "pending")).toBe(true);
    expect((await listAgentOrders(t.db, shop, filters("delivery=none"), false)).total).toBe(0);
    // 2026-11-26 12:00 back to 00:00 UTC: orders 0..12.
    expect((await listAgentOrders(t.db, shop, filters("from=2026-11-26&to=2026-11-26"), false)).total).toBe(13);
    expect((await listAgentOrders(t.db, shop, filters("q=%231005"), false)).orders.map((o) => o.orderName)).toEqual(["#1005"]);
    expect((await listAgentOrders(t.db, shop, filters("q=carla"), false)).total).toBe(24);
    expect((await listAgentOrders(t.db, shop, filters("q=chatgpt"), false)).total).toBe(60);
    expect((await listAgentOrders(t.db, shop, filters("q=100%25"), false)).total).toBe(0); // LIKE wildcards are literal
  });

  it("ignores unknown filter values", () => {
    expect(filters("status=bogus&delivery=x&from=2026-13-45&page=-3")).toMatchObject({ status: null, delivery: null, from: null, page: 0 });
  });
});

describe("order detail and re-send", () => {
  it("shows the order with its timeline, payment, buyer and events; another shop's order is not found", async () => {
    const d = (await agentOrderDetail(t.db, shop, "ao_a_000007", false))!;
    expect(d.order).toMatchObject({ name: "#1008", total: "$55.00" });
    expect(d.buyer).toMatchObject({ name: "Carla Diaz", email: "carla.7@example.com" });
    expect(d.payment).toMatchObject({ paymentIntentId: "pi_a_7", amount: "$55.00" });
    expect(d.events).toEqual([expect.objectContaining({ id: "ev_a_7", type: "order_create", delivery: "failed", lastError: "HTTP 503" })]);
    expect(d.timeline.map((e) => e.kind)).toEqual(["created", "completed", "order", "event"]);
    expect(await agentOrderDetail(t.db, other, "ao_a_000007", false)).toBeNull();
  });

  it("re-sends only this order's events, for this shop", async () => {
    expect(await resendOrderEvent(t.db, other.id, "ao_a_000007", "ev_a_7")).toBe("NOT_FOUND");
    expect(await resendOrderEvent(t.db, shop.id, "ao_a_000008", "ev_a_7")).toBe("NOT_FOUND");
    expect(await resendOrderEvent(t.db, shop.id, "ao_a_000007", "ev_a_7")).toBe("RESENT");
    const event = await t.db.outboxEvent.findUniqueOrThrow({ where: { id: "ev_a_7" } });
    expect(event).toMatchObject({ deadAt: null, deliveredAt: null, attempts: 0 });
  });
});

describe("dashboard", () => {
  it("aggregates sessions, completion, revenue and abandonment reasons over the period", async () => {
    const week = await dashboardData(t.db, shop, 7, now);
    expect(week.totals.sessions).toBe(140);
    expect(week.totals.orders).toBe(120);
    expect(week.totals.completionRate).toBe(85.7);
    // totals cycle 30, 55, 80 dollars: 40 of each.
    expect(week.totals.revenue).toBe("$6,600.00");
    expect(week.totals.averageOrderValue).toBe("$55.00");
    expect(week.series.sessions).toHaveLength(7);
    expect(week.series.orders.reduce((s, p) => s + p.value, 0)).toBe(120);
    expect(week.series.revenue.reduce((s, p) => s + p.value, 0)).toBe(6600);
    expect(week.abandonment.reduce((s, r) => s + r.count, 0)).toBe(20);
    expect(week.abandonment.find((r) => r.code === "expired")?.count).toBe(5);
    expect(week.abandonment.find((r) => r.code === "shipping_cost")?.label).toBe("Shipping too expensive");
    expect(week.feed).toMatchObject({ variants: 40, eligible: 32, withProblems: 8, blocked: 8, lastSync: null }); // products 0 and 9 of 10 are blocked
    const day = await dashboardData(t.db, shop, 7, new Date("2026-12-30T00:00:00Z"));
    expect(day.totals).toMatchObject({ sessions: 0, completionRate: null, averageOrderValue: null });
  });
});

describe("home", () => {
  it("builds the checklist state from the shop's rows", async () => {
    const state = await checklistState(t.db, shop);
    expect(state.catalog).toEqual({ variants: 40, selectedVariants: 40, eligibleVariants: 32, productsNeedingAttention: 2, synced: false });
    expect(state.activeAgentKeys).toBe(0);
    expect(state.orderWebhook).toEqual({ urlSet: false, secretSet: false });
    await t.db.feedRun.create({ data: { shopId: shop.id, kind: "full_sync", status: "running", itemsTotal: 400, itemsDone: 100 } });
    const home = await homePageData(t.db, shop);
    expect(home.counts).toMatchObject({ sessions: 140, orders: 120 });
    expect(home.runs).toEqual([expect.objectContaining({ label: "Catalog sync", itemsDone: 100, itemsTotal: 400, percent: 25 })]);
    expect((await homePageData(t.db, other)).runs).toEqual([]);
    expect(home.checklist.items.find((i) => i.id === "agent_key")?.done).toBe(false);
  });
});

// The lookup that keeps orderCreate exactly-once after a crash: it must find only the order carrying this
// checkout session's id, never another order the search also returns (a walk-in order of the same buyer, another
// agent session's order), whatever order the search answers in.
import { describe, expect, it } from "vitest";
import { createShopifyOrderSink } from "../../app/shopify/order-sink";
import type { AdminClient } from "../../app/shopify/admin-client";
import type { PlacedOrderNode } from "../../app/shopify/documents/orders";

/** Search answers `nodes`; the custom-ID read answers `byCustomId` (null: no order carries it, as for older orders). */
function adminAnswering(nodes: PlacedOrderNode[], byCustomId: PlacedOrderNode | null = null) {
  const queries: string[] = [];
  const customIds: unknown[] = [];
  const admin: AdminClient = {
    shop: "demo.myshopify.com",
    stats: { calls: 0, throttled: 0, retries: 0 } as unknown as AdminClient["stats"],
    async request<T>(document: string, variables?: Record<string, unknown>) {
      if (document.includes("orderByIdentifier")) {
        customIds.push(variables?.identifier);
        return { orderByIdentifier: byCustomId } as T;
      }
      queries.push(String(variables?.query));
      return { orders: { nodes } } as T;
    },
  };
  return { admin, queries, customIds };
}

const order = (id: number, sourceIdentifier: string | null): PlacedOrderNode => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  statusPageUrl: `https://demo.example/orders/${id}`,
  sourceIdentifier,
});

describe("finding the order of a checkout session", () => {
  it("does not take a walk-in order (no source identifier) that the search returns", async () => {
    const { admin } = adminAnswering([order(1001, null)]);
    expect(await createShopifyOrderSink(admin).findBySession("cs_paid_1")).toBeNull();
  });

  it("does not take another session's order", async () => {
    const { admin } = adminAnswering([order(1002, "cs_other"), order(1003, "")]);
    expect(await createShopifyOrderSink(admin).findBySession("cs_paid_1")).toBeNull();
  });

  it("finds this session's order wherever it is in the answer", async () => {
    const { admin, queries } = adminAnswering([order(1004, null), order(1005, "cs_other"), order(1006, "cs_paid_1")]);
    expect(await createShopifyOrderSink(admin).findBySession("cs_paid_1")).toEqual({ id: "gid://shopify/Order/1006", name: "#1006", statusUrl: "https://demo.example/orders/1006" });
    expect(queries).toEqual(["source_identifier:'cs_paid_1'"]);
  });

  it("keeps the session id from changing the search (quotes and operators are dropped)", async () => {
    const { admin, queries } = adminAnswering([]);
    await createShopifyOrderSink(admin).findBySession("cs_1' OR status:any");
    expect(queries).toEqual(["source_identifier:'cs_1ORstatusany'"]);
  });

  it("reads the custom ID first and takes its order without searching", async () => {
    const { admin, queries, customIds } = adminAnswering([], order(1007, "cs_paid_1"));
    expect(await createShopifyOrderSink(admin).findBySession("cs_paid_1")).toEqual({ id: "gid://shopify/Order/1007", name: "#1007", statusUrl: "https://demo.example/orders/1007" });
    expect(customIds).toEqual([{ customId: { namespace: "$app", key: "checkout_session_id", value: "cs_paid_1" } }]);
    expect(queries).toEqual([]);
  });

  it("does not take a custom-ID answer that carries another session's id; search decides", async () => {
    const { admin, queries } = adminAnswering([], order(1008, "cs_other"));
    expect(await createShopifyOrderSink(admin).findBySession("cs_paid_1")).toBeNull();
    expect(queries).toEqual(["source_identifier:'cs_paid_1'"]);
  });
});

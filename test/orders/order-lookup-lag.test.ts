// Finding the order after a lost orderCreate answer when Shopify's search index lags behind (issue 13 item 7,
// docs/decisions/0156). The answer to orderCreate is dropped (the order exists, the app never hears of it); the
// complete request's next attempt looks the order up before creating again. With search alone the fresh order is
// not in the index yet and a second order is created; the custom ID (orderByIdentifier) is read directly.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { pay, useCompleteWorld, type World } from "./complete-world";
import { setSearchIndexLag } from "../../sim/shopify/search";

const world = useCompleteWorld();
let w: World;
beforeAll(() => {
  w = world();
});
afterEach(() => {
  w.shopify.faults.set(null);
  setSearchIndexLag(w.shopify.shop(w.shop.domain), 0);
});

describe("a lost orderCreate answer while search lags", () => {
  it("the next attempt finds the order it made (by custom ID): one charge, one order, completed", async () => {
    setSearchIndexLag(w.shopify.shop(w.shop.domain), 60_000);
    const session = await w.ready();
    w.shopify.faults.set({ rules: [{ operations: ["AgentOrderCreate"], dropResponseNext: 1 }] });
    const res = await pay(w, session);

    expect(w.shopify.faults.stats().droppedResponses).toBe(1);
    expect(w.ordersFor(session.id)).toHaveLength(1);
    expect(w.chargesFor(session.id)).toHaveLength(1);
    expect(res.status).toBe(200);
    expect(res.json.status).toBe("completed");
    expect(res.json.order.id).toBe(`gid://shopify/Order/${w.ordersFor(session.id)[0].id}`);
  });

  it("the lag is real in the stand-in: search does not see the fresh order, the custom ID does", async () => {
    setSearchIndexLag(w.shopify.shop(w.shop.domain), 60_000);
    const session = await w.ready();
    const res = await pay(w, session);
    expect(res.json.status).toBe("completed");
    const order = w.ordersFor(session.id)[0];
    const search = await gql(`query S($q: String!) { orders(first: 10, query: $q) { nodes { id } } }`, { q: `source_identifier:'${session.id}'` });
    expect(search.orders.nodes).toEqual([]);
    const direct = await gql(`query D($v: String!) { orderByIdentifier(identifier: { customId: { namespace: "$app", key: "checkout_session_id", value: $v } }) { id sourceIdentifier } }`, { v: session.id });
    expect(direct.orderByIdentifier).toEqual({ id: `gid://shopify/Order/${order.id}`, sourceIdentifier: session.id });
  });
});

async function gql(query: string, variables: Record<string, unknown>) {
  const res = await fetch(w.shopify.adminUrlTemplate.replace("{shop}", w.shop.domain).replace("{version}", "2026-10"), {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": w.shopify.accessToken(w.shop.domain) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: Record<string, { nodes: unknown[] } & Record<string, unknown>>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

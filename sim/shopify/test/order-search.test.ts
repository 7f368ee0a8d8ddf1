// Finding orders as Shopify does (docs/decisions/0156): search (`orders(query:)`) reads an index that lags behind
// orderCreate and ignores a field it does not know (the whole query then matches everything); a direct read by id
// or by custom ID (`orderByIdentifier`, an `id` metafield with unique values) sees the order at once.
import { describe, expect, it } from "vitest";
import { setSearchIndexLag } from "../search.js";
import { SHOP, useSim, variantGid } from "./helpers.js";

const { sim, gql } = useSim();

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "USD" } });
const CREATE = `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id sourceIdentifier } userErrors { message } } }`;
const SEARCH = `query S($q: String!) { orders(first: 10, query: $q) { nodes { id sourceIdentifier } } }`;
const BY_CUSTOM_ID = `query B($v: String!) { orderByIdentifier(identifier: { customId: { key: "checkout_session_id", value: $v } }) { id metafield(namespace: "$app", key: "checkout_session_id") { value type } } }`;
const DEFINE = `mutation D { metafieldDefinitionCreate(definition: { name: "Session", namespace: "$app", key: "checkout_session_id", type: "id", ownerType: ORDER }) { createdDefinition { id } userErrors { field code } } }`;

async function createOrder(sessionId: string) {
  const res = await gql(CREATE, {
    order: {
      lineItems: [{ variantId: variantGid(sim(), "titanium-mug-450ml"), quantity: 1, priceSet: money("18.00") }],
      transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe", amountSet: money("18.00") }],
      sourceIdentifier: sessionId,
      metafields: [{ namespace: "$app", key: "checkout_session_id", type: "id", value: sessionId }],
    },
  });
  expect(res.body.data.orderCreate.userErrors).toEqual([]);
  return res.body.data.orderCreate.order.id as string;
}

describe("order search and direct reads", () => {
  it("a fresh order is not searchable until the index catches up; by id and by custom ID it is there at once", async () => {
    expect((await gql(DEFINE)).body.data.metafieldDefinitionCreate.userErrors).toEqual([]);
    setSearchIndexLag(sim().shop(SHOP), 400);
    const id = await createOrder("cs_lag_1");
    expect((await gql(SEARCH, { q: "source_identifier:'cs_lag_1'" })).body.data.orders.nodes).toEqual([]);
    expect((await gql(`query O($id: ID!) { order(id: $id) { id } }`, { id })).body.data.order).toEqual({ id });
    expect((await gql(BY_CUSTOM_ID, { v: "cs_lag_1" })).body.data.orderByIdentifier).toEqual({ id, metafield: { value: "cs_lag_1", type: "id" } });
    await new Promise((r) => setTimeout(r, 450));
    expect((await gql(SEARCH, { q: "source_identifier:'cs_lag_1'" })).body.data.orders.nodes).toEqual([{ id, sourceIdentifier: "cs_lag_1" }]);
    setSearchIndexLag(sim().shop(SHOP), 0);
  });

  it("a second definition of the same key is TAKEN", async () => {
    expect((await gql(DEFINE)).body.data.metafieldDefinitionCreate.userErrors).toEqual([{ field: ["definition", "key"], code: "TAKEN" }]);
  });

  it("a custom ID that no order carries finds nothing", async () => {
    expect((await gql(BY_CUSTOM_ID, { v: "cs_nobody" })).body.data.orderByIdentifier).toBeNull();
  });

  it("an unknown search field is ignored: the query matches every order (the walk-in one too)", async () => {
    await createOrder("cs_known");
    sim().createOrder(SHOP, { lineItems: [{ variantId: variantGid(sim(), "titanium-mug-450ml"), quantity: 1 }], email: "walk-in@example.com" });
    const typo = (await gql(SEARCH, { q: "source_identifer:'cs_known'" })).body.data.orders.nodes as Array<{ sourceIdentifier: string | null }>;
    expect(typo.length).toBeGreaterThan(1);
    expect(typo.some((o) => o.sourceIdentifier === null)).toBe(true);
    const exact = (await gql(SEARCH, { q: "source_identifier:'cs_known'" })).body.data.orders.nodes as Array<{ sourceIdentifier: string | null }>;
    expect(exact.map((o) => o.sourceIdentifier)).toEqual(["cs_known"]);
  });
});

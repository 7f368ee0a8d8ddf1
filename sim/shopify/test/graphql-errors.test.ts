// Shopify's error shapes for invalid documents, auth and versions, and loud failures for unimplemented fields.
import { describe, expect, it } from "vitest";
import { SHOP, useSim } from "./helpers.js";

const { sim, gql } = useSim();

describe("validation errors in graphql-ruby style", () => {
  it("rejects a misspelled field with undefinedField and no data", async () => {
    const res = await gql("query CatalogPage { products(first: 2) { nodes { titel } } }");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      errors: [
        {
          message: "Field 'titel' doesn't exist on type 'Product'",
          locations: [{ line: 1, column: 50 }],
          path: ["query CatalogPage", "products", "nodes", "titel"],
          extensions: { code: "undefinedField", typeName: "Product", fieldName: "titel" },
        },
      ],
    });
    expect(res.body.data).toBeUndefined();
  });

  it("maps unknown and missing arguments", async () => {
    const a = await gql("query Q { products(frist: 2) { nodes { id } } }");
    expect(a.body.errors[0]).toMatchObject({ message: "Field 'products' doesn't accept argument 'frist'", extensions: { code: "argumentNotAccepted", argumentName: "frist" } });
    const b = await gql("query Q { product { id } }");
    expect(b.body.errors[0]).toMatchObject({ message: "Field 'product' is missing required arguments: id", extensions: { code: "missingRequiredArguments" } });
  });

  it("maps variable type mismatches and invalid variable values", async () => {
    const a = await gql("query Q($id: String!) { product(id: $id) { id } }", { id: "x" });
    expect(a.body.errors[0].extensions).toMatchObject({ code: "variableMismatch", variableName: "id", argumentName: "id" });
    const b = await gql("query Q($n: Int!) { products(first: $n) { nodes { id } } }", { n: "abc" });
    expect(b.body.errors[0]).toMatchObject({ message: "Variable $n of type Int! was provided invalid value", extensions: { value: "abc" } });
    expect(b.body.errors[0].extensions.problems[0].explanation).toMatch(/Could not coerce value "abc" to Int/);
    const c = await gql("mutation M($i: DraftOrderInput!) { draftOrderCalculate(input: $i) { userErrors { message } } }", { i: { lineItems: [{ quantity: 1 }], bogus: 1 } });
    expect(c.body.errors[0].message).toBe("Variable $i of type DraftOrderInput! was provided invalid value for bogus");
    expect(c.body.errors[0].extensions.problems).toEqual([{ path: ["bogus"], explanation: "Field is not defined on DraftOrderInput" }]);
  });

  it("reports syntax errors like graphql-ruby", async () => {
    const res = await gql("query { products(first: 2) { nodes { id } }");
    expect(res.body).toEqual({ errors: [{ message: "syntax error, unexpected end of file at [1, 44]", locations: [{ line: 1, column: 44 }] }] });
    const res2 = await gql("query { products(first: 2) { nodes { id } } } }");
    expect(res2.body.errors[0].message).toBe('syntax error, unexpected RCURLY ("}") at [1, 47]');
  });
});

describe("execution", () => {
  it("fails loudly on a schema field the simulator does not implement", async () => {
    const res = await gql("{ shop { name features { storefront } } }");
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0]).toMatchObject({ message: "Shop.features is not implemented by the Shopify simulator", path: ["shop", "features"], extensions: { code: "NOT_IMPLEMENTED" } });
    const root = await gql("{ giftCards(first: 1) { nodes { id } } }");
    expect(root.body.errors[0].message).toBe("QueryRoot.giftCards is not implemented by the Shopify simulator");
  });

  it("returns real nulls for implemented-but-empty fields", async () => {
    const res = await gql(`{ products(first: 1) { nodes { id m: metafield(namespace: "$app", key: "x") { value } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.products.nodes[0].m).toBeNull();
  });

  it("requires first or last on connections", async () => {
    const res = await gql("{ products { nodes { id } } }");
    expect(res.body.errors[0].message).toBe("you must provide one of first or last");
  });
});

describe("HTTP surface", () => {
  const post = (url: string, headers: Record<string, string>, body: string) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  it("401 for a missing or unknown token", async () => {
    const r1 = await post(sim().graphqlUrl(SHOP), {}, JSON.stringify({ query: "{ shop { name } }" }));
    expect(r1.status).toBe(401);
    expect(await r1.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    const r2 = await post(sim().graphqlUrl(SHOP), { "X-Shopify-Access-Token": "shpat_nope" }, JSON.stringify({ query: "{ shop { name } }" }));
    expect(r2.status).toBe(401);
  });
  it("404 for an unknown API version, 400 for invalid JSON", async () => {
    const r = await post(`${sim().url}/shops/${SHOP}/admin/api/2019-01/graphql.json`, { "X-Shopify-Access-Token": sim().accessToken() }, "{}");
    expect(r.status).toBe(404);
    const j = await post(sim().graphqlUrl(SHOP), { "X-Shopify-Access-Token": sim().accessToken() }, "{nope");
    expect(j.status).toBe(400);
  });
  it("resolves the shop from the token on /admin/api/<v>/graphql.json", async () => {
    const r = await post(`${sim().url}/admin/api/2026-10/graphql.json`, { "X-Shopify-Access-Token": sim().accessToken() }, JSON.stringify({ query: "{ shop { myshopifyDomain } }" }));
    expect((await r.json()).data.shop.myshopifyDomain).toBe(SHOP);
  });
  it("logs calls with operation name, root fields and cost", async () => {
    sim().calls.length = 0;
    await gql("query ShopInfo { shop { name } }");
    expect(sim().calls).toHaveLength(1);
    expect(sim().calls[0]).toMatchObject({ shop: SHOP, operationName: "ShopInfo", operationType: "query", rootFields: ["shop"], requestedQueryCost: 1 });
    expect(sim().callCounts()).toEqual({ ShopInfo: 1 });
  });
});

// Multi-shop isolation and the cost/throttle model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShopifySim } from "../index.js";
import { demoShopSeed } from "../fixtures/demo-shop.js";
import { client, SHOP, startSim } from "./helpers.js";

const OTHER = "other-store.myshopify.com";
let sim: ShopifySim;
beforeAll(async () => {
  const other = demoShopSeed(OTHER, "shpat_other_store");
  other.products = other.products!.slice(0, 3);
  sim = await startSim({ shops: [demoShopSeed(), other] });
});
afterAll(() => sim.stop());

describe("two shops", () => {
  it("each token reads only its own shop", async () => {
    const a = client(sim, SHOP);
    const b = client(sim, OTHER);
    expect((await a(`{ shop { myshopifyDomain } }`)).body.data.shop.myshopifyDomain).toBe(SHOP);
    expect((await b(`{ shop { myshopifyDomain } products(first: 10) { nodes { id } } }`)).body.data.products.nodes).toHaveLength(3);
    const crossed = await fetch(sim.graphqlUrl(OTHER), { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sim.accessToken(SHOP) }, body: JSON.stringify({ query: "{ shop { name } }" }) });
    expect(crossed.status).toBe(401);
  });
  it("state changes stay in one shop", async () => {
    const a = sim.shop(SHOP);
    const b = sim.shop(OTHER);
    const pa = [...a.products.values()][0];
    const pb = [...b.products.values()][0];
    expect(pa.id).toBe(pb.id); // same seed, same ids: isolation must not rely on distinct ids
    sim.updateProduct(SHOP, pa.id, { title: "Only in A" });
    expect(b.products.get(pb.id)!.title).not.toBe("Only in A");
  });
});

describe("cost and throttling", () => {
  it("reports requested and actual cost", async () => {
    const gql = client(sim, OTHER);
    const res = await gql(`{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }`);
    // 2 + 10 × (1 + (2 + 5 × 1)) = 82 requested; actual counts the 3 products and their variants.
    expect(res.body.extensions.cost.requestedQueryCost).toBe(82);
    expect(res.body.extensions.cost.actualQueryCost).toBeLessThan(82);
    expect(res.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    const m = await gql(`mutation { draftOrderCalculate(input: {}) { userErrors { message } } }`);
    expect(m.body.extensions.cost.requestedQueryCost).toBe(10);
  });

  it("THROTTLED when the bucket is empty, then recovers", async () => {
    // The demo shop has enough products for actual cost ≈ requested cost (12 per call).
    sim.setThrottle({ maximumAvailable: 30, restoreRate: 50 }, SHOP);
    const gql = client(sim, SHOP);
    const q = `{ products(first: 10) { nodes { id } } }`;
    expect((await gql(q)).body.data).toBeTruthy();
    expect((await gql(q)).body.data).toBeTruthy();
    const throttled = await gql(q);
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.extensions.cost.requestedQueryCost).toBe(12);
    expect(throttled.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 30, restoreRate: 50 });
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(12);
    expect(sim.calls.at(-1)).toMatchObject({ throttled: true, shop: SHOP });
    // the other shop has its own bucket
    expect((await client(sim, OTHER)(q)).body.data).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300)); // 50 points/s → ≥12 points back
    expect((await gql(q)).body.data.products.nodes).toHaveLength(10);
    sim.setThrottle({ maximumAvailable: 2000, restoreRate: 100 }, SHOP);
  });

  it("MAX_COST_EXCEEDED above 1000 for a single query", async () => {
    const res = await client(sim, OTHER)(`{ products(first: 250) { nodes { id variants(first: 100) { nodes { id } } } } }`);
    expect(res.body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", maxCost: 1000 });
    expect(res.body.errors[0].message).toMatch(/^Query cost is \d+, which exceeds the single query max cost limit \(1000\)/);
  });
});

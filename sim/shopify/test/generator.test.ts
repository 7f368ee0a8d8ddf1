// The benchmark catalog generator: deterministic, fast; 100k variants load into a shop and a bulk
// export over them streams to disk (the heavy part only with SIM_SHOPIFY_SLOW=1).
import { describe, expect, it } from "vitest";
import { generateCatalog, generatedShopSeed } from "../generator.js";
import { demoShopSeed } from "../fixtures/demo-shop.js";
import { startSim } from "./helpers.js";

describe("fixtures and generator", () => {
  it("the demo catalog has the promised shape", () => {
    const seed = demoShopSeed();
    const products = seed.products!;
    const variants = products.flatMap((p) => p.variants);
    expect(products.length).toBeGreaterThanOrEqual(45);
    expect(variants.length).toBeGreaterThanOrEqual(140);
    expect(products.some((p) => p.images.length === 0)).toBe(true);
    expect(products.some((p) => p.vendor === "")).toBe(true);
    expect(products.some((p) => p.descriptionHtml === "")).toBe(true);
    expect(products.some((p) => p.descriptionHtml.length > 10_000)).toBe(true);
    expect(products.some((p) => p.status === "DRAFT")).toBe(true);
    expect(variants.some((v) => v.barcode === null)).toBe(true);
    expect(variants.some((v) => v.barcode === "12345ABC")).toBe(true);
    expect(variants.some((v) => v.inventoryPolicy === "CONTINUE")).toBe(true);
    expect(variants.some((v) => Object.values(v.inventoryItem.levels).every((q) => q === 0) && v.inventoryPolicy === "DENY")).toBe(true);
    expect(JSON.stringify(demoShopSeed())).toBe(JSON.stringify(seed)); // deterministic
  });

  it("generates 100,000 variants quickly and deterministically", () => {
    const t = Date.now();
    const products = generateCatalog({ products: 1000, variantsPerProduct: 100, seed: 7 });
    const ms = Date.now() - t;
    expect(products.reduce((a, p) => a + p.variants.length, 0)).toBe(100_000);
    expect(ms).toBeLessThan(5000);
    const again = generateCatalog({ products: 3, variantsPerProduct: 2, seed: 7 });
    expect(again.map((p) => p.title)).toEqual(products.slice(0, 3).map((p) => p.title));
    expect(new Set(products.flatMap((p) => p.variants.map((v) => v.id))).size).toBe(100_000);
  });

  it.runIf(process.env.SIM_SHOPIFY_SLOW === "1")("bulk-exports 100,000 variants", async () => {
    const sim = await startSim({ shops: [generatedShopSeed("big.myshopify.com", { products: 1000, variantsPerProduct: 100, accessToken: "shpat_big" })] });
    try {
      const res = await fetch(sim.graphqlUrl("big.myshopify.com"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_big" },
        body: JSON.stringify({ query: `mutation { bulkOperationRunQuery(query: "{ productVariants { edges { node { id sku price inventoryQuantity product { id } } } } }") { bulkOperation { id } userErrors { message } } }` }),
      });
      const id = (await res.json()).data.bulkOperationRunQuery.bulkOperation.id;
      await sim.waitForBulkOperations();
      const op = sim.shop("big.myshopify.com").bulkOperations.get(Number(id.split("/").pop()))!;
      expect(op.status).toBe("COMPLETED");
      expect(op.objectCount).toBe(100_000);
    } finally {
      await sim.stop();
    }
  }, 120_000);
});

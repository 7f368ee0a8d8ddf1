// Issue 16: a variant the merchant excluded (VariantExclusion) is refused at create exactly like a variant of an
// excluded product, while its sibling in the same product still sells. Real adapters against the Shopify simulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify/index";
import { createAdminClient } from "../../app/shopify/admin-client";
import { VariantExclusionRepository } from "../../app/db/product-selections.server";
import { call, harness } from "./harness";

let sim: ShopifySim;
let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let shopId: string;
let productId: string;
let excluded: string;
let sibling: string;

const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const create = (id: string) => call(h.acp.handler, "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id, quantity: 1 }], fulfillment_details: { email: "a@example.com", address } } });

beforeAll(async () => {
  sim = await startShopifySim();
  const admin = createAdminClient({ shop: DEMO_SHOP_DOMAIN, accessToken: sim.accessToken(DEMO_SHOP_DOMAIN), urlTemplate: sim.adminUrlTemplate });
  h = await harness({ adapters: undefined, adminFor: async () => admin });
  const { shop } = await h.addShop({ domain: DEMO_SHOP_DOMAIN });
  shopId = shop.id;
  await h.db.shop.update({ where: { id: shop.id }, data: { selectionRule: "all" } });
  ({ key } = await h.acp.keys.create(shop.id, "variant exclusion"));
  const product = [...sim.shop(DEMO_SHOP_DOMAIN).products.values()].find((p) => p.title === "Organic Cotton Logo Tee")!;
  const inStock = product.variants.filter((v) => Object.values(v.inventoryItem.levels).reduce((a, b) => a + b, 0) > 0);
  expect(inStock.length).toBeGreaterThanOrEqual(2);
  productId = `gid://shopify/Product/${product.id}`;
  [excluded, sibling] = inStock.map((v) => `gid://shopify/ProductVariant/${v.id}`);
});
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

describe("a variant the merchant excluded", () => {
  it("is refused at create like an excluded product; its sibling still sells; including it again lets it sell", async () => {
    expect((await create(excluded)).status).toBe(201);

    // The product excluded: the refusal a variant exclusion must match.
    await h.db.productSelection.create({ data: { shopId, productId, included: false } });
    const byProduct = await create(excluded);
    await h.db.productSelection.deleteMany({ where: { shopId } });
    expect(byProduct.status, byProduct.text).toBe(400);
    expect(byProduct.json).toMatchObject({ type: "invalid_request", code: "invalid_item_id", param: "$.line_items[0].id" });

    const exclusions = new VariantExclusionRepository(h.db, shopId);
    await exclusions.set([{ productId, variantId: excluded }], true);
    const byVariant = await create(excluded);
    expect(byVariant.status, byVariant.text).toBe(400);
    expect(byVariant.json).toEqual(byProduct.json);
    expect((await create(sibling)).status).toBe(201);

    await exclusions.set([{ productId, variantId: excluded }], false);
    expect((await create(excluded)).status).toBe(201);
  });
});

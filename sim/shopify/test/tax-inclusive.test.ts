// Tax-inclusive shops (Shop.taxesIncluded): prices and shipping rates hold the tax, draftOrderCalculate reports the
// tax inside them (Tax = Rate × Price / (1 + Rate), half up), the total does not grow, and an order created with
// `taxesIncluded: true` totals the same way (docs/decisions/0150). Also: amounts in JPY (no decimals) and BHD (three).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShopifySim } from "../index.js";
import { regionalShopSeed } from "../fixtures/regional-shops.js";
import { client, startSim, variantGid } from "./helpers.js";

const GB = "demo-gb.myshopify.com";
const JP = "demo-jp.myshopify.com";
const BH = "demo-bh.myshopify.com";
let sim: ShopifySim;
beforeAll(async () => {
  sim = await startSim({ shops: [regionalShopSeed("GB"), regionalShopSeed("JP"), regionalShopSeed("BH")] });
});
afterAll(() => sim.stop());

const DOC = `mutation Q($input: DraftOrderInput!) { draftOrderCalculate(input: $input) {
  calculatedDraftOrder { currencyCode taxesIncluded
    lineItems { originalUnitPriceSet { shopMoney { amount } } discountedTotalSet { shopMoney { amount } } }
    availableShippingRates { handle title price { amount currencyCode } }
    shippingLine { shippingRateHandle taxLines { rate priceSet { shopMoney { amount } } } }
    subtotalPriceSet { shopMoney { amount } } totalShippingPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
    taxLines { title rate priceSet { shopMoney { amount currencyCode } } } totalPriceSet { shopMoney { amount currencyCode } } }
  userErrors { field message } } }`;

async function calc(shop: string, input: Record<string, unknown>) {
  const res = await client(sim, shop)(DOC, { input });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.draftOrderCalculate.calculatedDraftOrder;
}
const amt = (m: { shopMoney: { amount: string } }) => m.shopMoney.amount;
const price = (shop: string, handle: string, title?: string) => {
  const id = Number(variantGid(sim, handle, title, shop).split("/").pop());
  return sim.shop(shop).variants.get(id)!.price;
};

describe("a tax-inclusive shop (GB, 20% VAT in prices and shipping)", () => {
  it("Shop.taxesIncluded is true", async () => {
    const res = await client(sim, GB)("{ shop { currencyCode taxesIncluded taxShipping } }");
    expect(res.body.data.shop).toEqual({ currencyCode: "GBP", taxesIncluded: true, taxShipping: true });
  });

  it("the tax is the part of the price that is tax; the total is the price plus shipping", async () => {
    const jacket = variantGid(sim, "summit-rain-jacket", "M", GB);
    const unit = price(GB, "summit-rain-jacket", "M");
    const address = { countryCode: "GB", zip: "SW1A 1AA", city: "London", address1: "10 Downing St" };
    const quoted = await calc(GB, { lineItems: [{ variantId: jacket, quantity: 2 }], shippingAddress: address });
    const express = quoted.availableShippingRates.find((r: { title: string }) => r.title === "Express");
    const d = await calc(GB, { lineItems: [{ variantId: jacket, quantity: 2 }], shippingAddress: address, shippingLine: { shippingRateHandle: express.handle } });
    expect(d.taxesIncluded).toBe(true);
    const goods = unit * 2;
    const ship = 995;
    const goodsTax = Math.round((goods * 0.2) / 1.2);
    const shipTax = Math.round((ship * 0.2) / 1.2);
    const pounds = (p: number) => (p / 100).toFixed(2);
    expect(amt(d.subtotalPriceSet)).toBe(pounds(goods));
    expect(amt(d.totalShippingPriceSet)).toBe(pounds(ship));
    expect(amt(d.shippingLine.taxLines[0].priceSet)).toBe(pounds(shipTax));
    expect(amt(d.totalTaxSet)).toBe(pounds(goodsTax + shipTax));
    expect(d.taxLines).toEqual([{ title: "VAT", rate: 0.2, priceSet: { shopMoney: { amount: pounds(goodsTax + shipTax), currencyCode: "GBP" } } }]);
    expect(d.totalPriceSet.shopMoney).toEqual({ amount: pounds(goods + ship), currencyCode: "GBP" });
  });

  it("a destination without a tax rate pays the same price with no tax in it", async () => {
    const d = await calc(GB, { lineItems: [{ variantId: variantGid(sim, "enamel-camp-mug", "White", GB), quantity: 1 }], shippingAddress: { countryCode: "NL", zip: "1012 AB" } });
    expect(amt(d.totalTaxSet)).toBe("0.00");
    expect(amt(d.subtotalPriceSet)).toBe((price(GB, "enamel-camp-mug", "White") / 100).toFixed(2));
  });

  it("orderCreate with taxesIncluded: the total does not add the tax lines again", async () => {
    const mug = variantGid(sim, "enamel-camp-mug", "White", GB);
    const unit = price(GB, "enamel-camp-mug", "White");
    const tax = Math.round((unit * 0.2) / 1.2);
    const money = (p: number) => ({ shopMoney: { amount: (p / 100).toFixed(2), currencyCode: "GBP" } });
    const res = await client(sim, GB)(
      `mutation C($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { taxesIncluded totalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } } } userErrors { field message } } }`,
      { order: { currency: "GBP", taxesIncluded: true, lineItems: [{ variantId: mug, quantity: 1, priceSet: money(unit), taxLines: [{ title: "VAT", rate: "0.2", priceSet: money(tax) }] }], transactions: [{ kind: "SALE", status: "SUCCESS", amountSet: money(unit) }] } },
    );
    expect(res.body.data.orderCreate.userErrors).toEqual([]);
    const o = res.body.data.orderCreate.order;
    expect(o.taxesIncluded).toBe(true);
    expect(amt(o.totalPriceSet)).toBe((unit / 100).toFixed(2));
    expect(amt(o.totalTaxSet)).toBe((tax / 100).toFixed(2));
  });
});

describe("currencies without two decimals", () => {
  it("JPY: whole yen, tax inside the price rounded to the yen", async () => {
    const unit = price(JP, "enamel-camp-mug", "White");
    const d = await calc(JP, { lineItems: [{ variantId: variantGid(sim, "enamel-camp-mug", "White", JP), quantity: 3 }], shippingAddress: { countryCode: "JP", zip: "100-0005", city: "Tokyo" } });
    expect(d.currencyCode).toBe("JPY");
    expect(d.taxesIncluded).toBe(true);
    expect(amt(d.subtotalPriceSet)).toBe(String(unit * 3));
    expect(amt(d.totalTaxSet)).toBe(String(Math.round((unit * 3 * 0.1) / 1.1)));
    expect(d.availableShippingRates.map((r: { price: { amount: string } }) => r.price.amount)).toEqual(["770", "1650"]);
  });

  it("BHD: three decimals, tax added on top", async () => {
    const unit = price(BH, "summit-rain-jacket", "M");
    const d = await calc(BH, { lineItems: [{ variantId: variantGid(sim, "summit-rain-jacket", "M", BH), quantity: 1 }], shippingAddress: { countryCode: "BH", city: "Manama" }, shippingLine: { shippingRateHandle: "shopify-Express-3.275" } });
    expect(d.taxesIncluded).toBe(false);
    const tax = Math.round(unit * 0.1) + Math.round(3275 * 0.1);
    expect(amt(d.totalTaxSet)).toBe((tax / 1000).toFixed(3));
    expect(d.totalPriceSet.shopMoney).toEqual({ amount: ((unit + 3275 + tax) / 1000).toFixed(3), currencyCode: "BHD" });
  });
});

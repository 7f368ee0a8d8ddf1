// draftOrderCalculate arithmetic: shipping zones, free-shipping threshold, taxes by province,
// discount codes applied and rejected, and no rates for countries without a zone.
import { describe, expect, it } from "vitest";
import { useSim, variantGid } from "./helpers.js";

const { sim, gql } = useSim();

const DOC = `mutation PriceCheckout($input: DraftOrderInput!) { draftOrderCalculate(input: $input) {
  calculatedDraftOrder { currencyCode taxesIncluded discountCodes
    lineItems { variant { id } quantity title sku originalUnitPriceSet { shopMoney { amount } } discountedTotalSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } }
    availableShippingRates { handle title price { amount currencyCode } }
    shippingLine { title code originalPriceSet { shopMoney { amount } } discountedPriceSet { shopMoney { amount } } }
    subtotalPriceSet { shopMoney { amount currencyCode } } totalLineItemsPriceSet { shopMoney { amount } }
    totalShippingPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
    taxLines { title rate priceSet { shopMoney { amount currencyCode } } }
    totalDiscountsSet { shopMoney { amount } } totalPriceSet { shopMoney { amount currencyCode } }
    platformDiscounts { code totalAmount { amount } }
    warnings { field errorCode message ... on DraftOrderDiscountNotAppliedWarning { discountCode } } }
  userErrors { field message } } }`;

async function calc(input: Record<string, unknown>) {
  const res = await gql(DOC, { input });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.draftOrderCalculate;
}
const jacket = () => variantGid(sim(), "summit-rain-jacket", "M");
const mug = () => variantGid(sim(), "enamel-camp-mug", "White");
const amt = (m: { shopMoney: { amount: string } }) => m.shopMoney.amount;

describe("draftOrderCalculate", () => {
  it("CA: free Standard over $75, Express $15, 7.25% tax on goods only", async () => {
    const r = await calc({ lineItems: [{ variantId: jacket(), quantity: 1 }], shippingAddress: { countryCode: "US", provinceCode: "CA", zip: "94103" } });
    expect(r.userErrors).toEqual([]);
    const d = r.calculatedDraftOrder;
    expect(d.availableShippingRates).toEqual([
      { handle: "shopify-Standard-0.00", title: "Standard", price: { amount: "0.00", currencyCode: "USD" } },
      { handle: "shopify-Express-15.00", title: "Express", price: { amount: "15.00", currencyCode: "USD" } },
    ]);
    const r2 = await calc({ lineItems: [{ variantId: jacket(), quantity: 1 }], shippingAddress: { countryCode: "US", provinceCode: "CA", zip: "94103" }, shippingLine: { shippingRateHandle: "shopify-Express-15.00" } });
    const d2 = r2.calculatedDraftOrder;
    expect(amt(d2.subtotalPriceSet)).toBe("129.00");
    expect(amt(d2.totalShippingPriceSet)).toBe("15.00");
    expect(d2.taxLines).toEqual([{ title: "CA State Tax", rate: 0.0725, priceSet: { shopMoney: { amount: "9.35", currencyCode: "USD" } } }]);
    expect(amt(d2.totalPriceSet)).toBe("153.35");
    expect(d2.shippingLine).toMatchObject({ title: "Express", originalPriceSet: { shopMoney: { amount: "15.00" } } });
  });

  it("NY: Standard $5 under the threshold, 8.875% on goods and shipping", async () => {
    const r = await calc({ lineItems: [{ variantId: mug(), quantity: 2 }], shippingAddress: { countryCode: "US", provinceCode: "NY", zip: "10001" }, shippingLine: { shippingRateHandle: "shopify-Standard-5.00" } });
    const d = r.calculatedDraftOrder;
    expect(amt(d.subtotalPriceSet)).toBe("36.00");
    expect(amt(d.totalShippingPriceSet)).toBe("5.00");
    expect(amt(d.totalTaxSet)).toBe("3.64"); // 3.195→3.20 on goods + 0.44 on shipping
    expect(amt(d.totalPriceSet)).toBe("44.64");
  });

  it("TX 6.25%, other states 5%, Canada HST 13% incl. shipping", async () => {
    const tx = await calc({ lineItems: [{ variantId: mug(), quantity: 1 }], shippingAddress: { countryCode: "US", provinceCode: "TX", zip: "78701" } });
    expect(amt(tx.calculatedDraftOrder.totalTaxSet)).toBe("1.13");
    const or = await calc({ lineItems: [{ variantId: mug(), quantity: 1 }], shippingAddress: { countryCode: "US", provinceCode: "OR", zip: "97209" } });
    expect(or.calculatedDraftOrder.taxLines[0]).toMatchObject({ title: "State Tax", rate: 0.05 });
    const ca = await calc({ lineItems: [{ variantId: mug(), quantity: 1 }], shippingAddress: { countryCode: "CA", provinceCode: "ON", zip: "M5V 2T6" }, shippingLine: { shippingRateHandle: "shopify-International-25.00" } });
    const d = ca.calculatedDraftOrder;
    expect(d.availableShippingRates.map((x: { title: string }) => x.title)).toEqual(["International"]);
    expect(amt(d.totalTaxSet)).toBe("5.59"); // 13% of (18 + 25) = 5.59
    expect(amt(d.totalPriceSet)).toBe("48.59");
  });

  it("no zone for the country → no rates; no address → no rates and no tax", async () => {
    const fr = await calc({ lineItems: [{ variantId: jacket(), quantity: 1 }], shippingAddress: { countryCode: "FR", zip: "75001" } });
    expect(fr.calculatedDraftOrder.availableShippingRates).toEqual([]);
    expect(fr.calculatedDraftOrder.shippingLine).toBeNull();
    const none = await calc({ lineItems: [{ variantId: jacket(), quantity: 1 }] });
    expect(none.calculatedDraftOrder.availableShippingRates).toEqual([]);
    expect(amt(none.calculatedDraftOrder.totalTaxSet)).toBe("0.00");
  });

  it("gift cards need no shipping: no rates even with an address", async () => {
    const r = await calc({ lineItems: [{ variantId: variantGid(sim(), "demo-outfitters-gift-card", "$50"), quantity: 1 }], shippingAddress: { countryCode: "US", provinceCode: "CA", zip: "94103" } });
    expect(r.calculatedDraftOrder.availableShippingRates).toEqual([]);
    expect(amt(r.calculatedDraftOrder.totalTaxSet)).toBe("0.00");
  });

  it("applies WELCOME10 across lines before tax", async () => {
    const r = await calc({ lineItems: [{ variantId: jacket(), quantity: 1 }, { variantId: mug(), quantity: 1 }], discountCodes: ["WELCOME10"], shippingAddress: { countryCode: "US", provinceCode: "CA", zip: "94103" } });
    const d = r.calculatedDraftOrder;
    expect(amt(d.totalLineItemsPriceSet)).toBe("147.00");
    expect(amt(d.totalDiscountsSet)).toBe("14.70");
    expect(d.lineItems.map((l: { totalDiscountSet: { shopMoney: { amount: string } } }) => amt(l.totalDiscountSet))).toEqual(["12.90", "1.80"]);
    expect(amt(d.subtotalPriceSet)).toBe("132.30");
    expect(amt(d.totalTaxSet)).toBe("9.59"); // 7.25% of 132.30 = 9.59
    expect(d.platformDiscounts).toEqual([{ code: "WELCOME10", totalAmount: { amount: "14.70" } }]);
    expect(d.warnings).toEqual([]);
  });

  it("rejects expired, unknown and below-minimum codes as warnings, still calculating", async () => {
    const r = await calc({ lineItems: [{ variantId: mug(), quantity: 2 }], discountCodes: ["EXPIRED20", "NOPE", "SAVE5"] });
    expect(r.userErrors).toEqual([]);
    const d = r.calculatedDraftOrder;
    expect(amt(d.totalDiscountsSet)).toBe("0.00");
    expect(d.discountCodes).toEqual(["EXPIRED20", "NOPE", "SAVE5"]);
    expect(d.warnings.map((w: { errorCode: string; discountCode: string; field: string }) => [w.field, w.discountCode, w.errorCode])).toEqual([
      ["discountCodes", "EXPIRED20", "DISCOUNT_CURRENTLY_INACTIVE"],
      ["discountCodes", "NOPE", "DISCOUNT_NOT_FOUND"],
      ["discountCodes", "SAVE5", "DISCOUNT_PURCHASE_NOT_IN_RANGE"],
    ]);
    const ok = await calc({ lineItems: [{ variantId: mug(), quantity: 3 }], discountCodes: ["SAVE5"] });
    expect(amt(ok.calculatedDraftOrder.totalDiscountsSet)).toBe("5.00");
    expect(amt(ok.calculatedDraftOrder.subtotalPriceSet)).toBe("49.00");
  });

  it("FREESHIP zeroes the chosen shipping line", async () => {
    const r = await calc({ lineItems: [{ variantId: mug(), quantity: 1 }], discountCodes: ["FREESHIP"], shippingAddress: { countryCode: "US", provinceCode: "NY", zip: "10001" }, shippingLine: { shippingRateHandle: "shopify-Express-15.00" } });
    const d = r.calculatedDraftOrder;
    expect(amt(d.shippingLine.originalPriceSet)).toBe("15.00");
    expect(amt(d.shippingLine.discountedPriceSet)).toBe("0.00");
    expect(amt(d.totalShippingPriceSet)).toBe("0.00");
    expect(amt(d.totalDiscountsSet)).toBe("15.00");
    expect(amt(d.totalTaxSet)).toBe("1.60"); // goods only, shipping is free
  });

  it("custom lines and custom shipping lines", async () => {
    const r = await calc({ lineItems: [{ title: "Engraving", quantity: 2, originalUnitPriceWithCurrency: { amount: "7.50", currencyCode: "USD" }, requiresShipping: false }], shippingLine: { title: "Courier", priceWithCurrency: { amount: "3.00", currencyCode: "USD" } } });
    const d = r.calculatedDraftOrder;
    expect(amt(d.subtotalPriceSet)).toBe("15.00");
    expect(d.shippingLine).toBeNull(); // nothing requires shipping
    expect(d.lineItems[0].variant).toBeNull();
  });

  it("userErrors for unknown variants and unpurchasable products", async () => {
    const r = await gql(DOC, { input: { lineItems: [{ variantId: "gid://shopify/ProductVariant/999", quantity: 1 }] } });
    expect(r.body.data.draftOrderCalculate.calculatedDraftOrder).toBeNull();
    expect(r.body.data.draftOrderCalculate.userErrors[0].field).toEqual(["lineItems", "0", "variantId"]);
    const draft = await gql(DOC, { input: { lineItems: [{ variantId: variantGid(sim(), "prototype-bivy-sack"), quantity: 1 }] } });
    expect(draft.body.data.draftOrderCalculate.userErrors[0].message).toMatch(/not available/);
  });

  it("persists nothing", () => {
    expect(sim().orders()).toHaveLength(0);
  });
});

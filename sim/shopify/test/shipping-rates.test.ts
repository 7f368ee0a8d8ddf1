// What draftOrderCalculate needs before it offers shipping rates (docs/decisions/0151): a line that requires shipping,
// an address complete enough to rate (country; province and postal code for US/CA/AU), and a zone covering the
// country. Otherwise `availableShippingRates: []` — never a userError — and a chosen handle is refused.
import { describe, expect, it } from "vitest";
import { useSim, variantGid } from "./helpers.js";

const { sim, gql } = useSim();

const DOC = `mutation Q($input: DraftOrderInput!) { draftOrderCalculate(input: $input) {
  calculatedDraftOrder { availableShippingRates { handle title price { amount } } lineItems { requiresShipping isGiftCard } totalPriceSet { shopMoney { amount } } }
  userErrors { field message } } }`;
async function rates(input: Record<string, unknown>) {
  const res = await gql(DOC, { input });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.draftOrderCalculate;
}
const mug = () => variantGid(sim(), "enamel-camp-mug", "White");
const giftCard = () => variantGid(sim(), "demo-outfitters-gift-card", "$50");
const full = { address1: "1 Main St", city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" };

describe("availableShippingRates", () => {
  it("a complete US address gets the zone's rates", async () => {
    const r = await rates({ lineItems: [{ variantId: mug(), quantity: 1 }], shippingAddress: full });
    expect(r.calculatedDraftOrder.availableShippingRates.map((x: { title: string }) => x.title)).toEqual(["Standard", "Express"]);
  });

  it.each([
    ["no address", undefined],
    ["no country", { ...full, countryCode: undefined }],
    ["a US address without its state", { ...full, provinceCode: undefined }],
    ["a US address without its ZIP", { ...full, zip: undefined }],
    ["a country no zone covers", { address1: "1 Rue de Rivoli", city: "Paris", countryCode: "FR", zip: "75001" }],
  ])("%s: none, and no userError", async (_label, shippingAddress) => {
    const r = await rates({ lineItems: [{ variantId: mug(), quantity: 1 }], ...(shippingAddress ? { shippingAddress } : {}) });
    expect(r.userErrors).toEqual([]);
    expect(r.calculatedDraftOrder.availableShippingRates).toEqual([]);
  });

  it("a handle that is not on offer for the address is a userError on shippingLine", async () => {
    const r = await rates({ lineItems: [{ variantId: mug(), quantity: 1 }], shippingAddress: { ...full, zip: undefined }, shippingLine: { shippingRateHandle: "shopify-Standard-5.00" } });
    expect(r.calculatedDraftOrder).toBeNull();
    expect(r.userErrors[0].field).toEqual(["shippingLine", "shippingRateHandle"]);
  });

  it("a gift card requires no shipping: no rates, and none needed", async () => {
    const r = await rates({ lineItems: [{ variantId: giftCard(), quantity: 1 }], shippingAddress: full });
    expect(r.calculatedDraftOrder.lineItems).toEqual([{ requiresShipping: false, isGiftCard: true }]);
    expect(r.calculatedDraftOrder.availableShippingRates).toEqual([]);
    expect(r.calculatedDraftOrder.totalPriceSet.shopMoney.amount).toBe("50.00");
  });

  it("a gift card with a physical item: the physical item brings the rates", async () => {
    const r = await rates({ lineItems: [{ variantId: giftCard(), quantity: 1 }, { variantId: mug(), quantity: 1 }], shippingAddress: full });
    expect(r.calculatedDraftOrder.availableShippingRates.length).toBeGreaterThan(0);
  });
});

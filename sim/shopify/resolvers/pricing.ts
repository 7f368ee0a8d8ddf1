// draftOrderCalculate → CalculatedDraftOrder. Invalid/expired/inapplicable discount codes are NOT
// userErrors: Shopify still calculates the draft and reports each one as a
// DraftOrderDiscountNotAppliedWarning in `warnings` (field "discountCodes"); `discountCodes` echoes the
// input codes, and only the applied ones appear in `platformDiscounts` / `totalDiscountsSet`.
import { gid } from "../ids.js";
import { moneyBag, moneyV2 } from "../money.js";
import { calculateDraft, type CalcLine, type DraftInput } from "../domain/pricing.js";
import type { ShopState } from "../store.js";
import { ProductView, VariantView } from "./catalog.js";

export function draftOrderCalculate(shop: ShopState, input: DraftInput) {
  const { result, userErrors } = calculateDraft(shop, input);
  if (!result) return { calculatedDraftOrder: null, userErrors: userErrors.map((e) => ({ field: e.field, message: e.message })) };
  const cur = result.currencyCode;
  const bag = (c: number) => moneyBag(c, cur);
  const lineView = (l: CalcLine) => ({
    __typename: "CalculatedDraftOrderLineItem",
    uuid: `sim-line-${l.index}`,
    custom: l.custom,
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    title: l.title,
    variantTitle: l.variantTitle,
    sku: l.sku,
    vendor: l.vendor,
    quantity: l.quantity,
    requiresShipping: l.requiresShipping,
    taxable: l.taxable,
    isGiftCard: l.variant ? shop.products.get(l.variant.productId)?.isGiftCard ?? false : false,
    variant: l.variant ? new VariantView(shop, l.variant) : null,
    product: l.variant ? new ProductView(shop, shop.products.get(l.variant.productId)!) : null,
    image: null,
    weight: l.variant?.inventoryItem.weight ?? null,
    customAttributes: [],
    customAttributesV2: [],
    components: [],
    bundleComponents: [],
    fulfillmentService: null,
    priceOverride: null,
    originalUnitPrice: moneyV2(l.unitPrice, cur),
    originalUnitPriceSet: bag(l.unitPrice),
    originalUnitPriceWithCurrency: moneyV2(l.unitPrice, cur),
    originalTotal: moneyV2(l.originalTotal, cur),
    originalTotalSet: bag(l.originalTotal),
    discountedTotal: moneyV2(l.discountedTotal, cur),
    discountedTotalSet: bag(l.discountedTotal),
    // Per-unit discounted price is approximate when the discount does not divide evenly (Shopify's naming).
    approximateDiscountedUnitPriceSet: bag(Math.round(l.discountedTotal / l.quantity)),
    discountedUnitPrice: moneyV2(Math.round(l.discountedTotal / l.quantity), cur),
    discountedUnitPriceSet: bag(Math.round(l.discountedTotal / l.quantity)),
    totalDiscount: moneyV2(l.discount, cur),
    totalDiscountSet: bag(l.discount),
    // Line-level discounts are only set via DraftOrderLineItemInput.appliedDiscount, which we do not model.
    appliedDiscount: null,
  });
  const lines = result.lines.map(lineView);
  const taxLine = (t: { title: string; rate: number; amount: number }) => ({ title: t.title, rate: t.rate, ratePercentage: Math.round(t.rate * 100_000) / 1000, priceSet: bag(t.amount), channelLiable: false, source: "Shopify" });
  const sl = result.shippingLine;
  const shippingLineView = sl
    ? {
        __typename: "ShippingLine",
        id: null,
        title: sl.title,
        code: sl.code,
        shippingRateHandle: sl.handle,
        source: sl.custom ? null : "shopify",
        custom: sl.custom,
        carrierIdentifier: null,
        deliveryCategory: null,
        phone: null,
        isRemoved: false,
        originalPriceSet: bag(sl.price),
        discountedPriceSet: bag(sl.price - sl.discount),
        currentDiscountedPriceSet: bag(sl.price - sl.discount),
        taxLines: sl.tax.map(taxLine),
        discountAllocations: [],
      }
    : null;
  const calculatedDraftOrder = {
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    taxesIncluded: result.taxesIncluded,
    acceptAutomaticDiscounts: input.acceptAutomaticDiscounts ?? null,
    lineItems: lines,
    totalQuantityOfLineItems: result.lines.reduce((a, l) => a + l.quantity, 0),
    availableShippingRates: result.rates.map((r) => ({ handle: r.handle, title: r.title, price: moneyV2(r.price, cur) })),
    shippingLine: shippingLineView,
    lineItemsSubtotalPrice: bag(result.lineItemsTotal),
    totalLineItemsPriceSet: bag(result.lineItemsTotal),
    subtotalPriceSet: bag(result.subtotal),
    totalShippingPriceSet: bag(result.shipping),
    totalTaxSet: bag(result.tax),
    taxLines: result.taxLines.map(taxLine),
    totalDiscountsSet: bag(result.discounts),
    totalPriceSet: bag(result.total),
    amountDueNowSet: bag(result.total),
    amountDueLaterSet: bag(0),
    deposit: null,
    appliedDiscount: null,
    discountCodes: result.discountCodesInput,
    platformDiscounts: result.appliedCodes.map((c, i) => ({
      id: gid("DiscountCodeNode", 1000 + i),
      code: c.def.code,
      title: c.def.title,
      summary: c.def.title,
      shortSummary: c.def.title,
      automaticDiscount: false,
      bxgyDiscount: false,
      presentationLevel: c.def.kind === "free_shipping" ? "SHIPPING_LINE" : "ORDER",
      discountClasses: [c.def.kind === "free_shipping" ? "SHIPPING" : "ORDER"],
      discountClass: c.def.kind === "free_shipping" ? "SHIPPING" : "ORDER",
      discountNode: null,
      totalAmount: moneyV2(c.amount, cur),
      totalAmountPriceSet: bag(c.amount),
      allocations: c.allocations.map((a) => ({
        id: null,
        quantity: a.target === "line" ? result.lines.find((l) => l.index === a.index)?.quantity ?? null : null,
        reductionAmount: moneyV2(a.amount, cur),
        reductionAmountSet: bag(a.amount),
        target: a.target === "line" ? lines[result.lines.findIndex((l) => l.index === a.index)] : shippingLineView,
      })),
    })),
    warnings: result.rejectedCodes.map((r) => ({ __typename: "DraftOrderDiscountNotAppliedWarning", field: "discountCodes", errorCode: r.errorCode, message: r.message, discountCode: r.code, discountTitle: r.title, priceRule: null })),
    alerts: [],
    allVariantPricesOverridden: false,
    anyVariantPricesOverridden: false,
    billingAddressMatchesShippingAddress: false,
    customer: null,
    phone: null,
    purchasingEntity: null,
    transformerFingerprint: null,
  };
  return { calculatedDraftOrder, userErrors: [] };
}

// Pricer on the Admin API: one `draftOrderCalculate` per quote (shopify.md §4.3). Shopify's own prices,
// automatic and code discounts, shipping rates for the address, and taxes; nothing is persisted. Decimals are
// converted to minor units here, at the boundary.
import type { Pricer, Quote, QuoteRequest } from "../checkout/ports";
import { decimalToMinor } from "../money";
import type { AdminClient } from "./admin-client";
import { AdminApiError } from "./admin-client";
import { CHECKOUT_QUOTE_MUTATION, type CheckoutQuoteResult } from "./documents/checkout";
import { sellableQuantity } from "./catalog-reader";
import { mailingAddress } from "./mailing-address";

export function quoteInput(request: QuoteRequest): Record<string, unknown> {
  const a = request.address;
  return {
    lineItems: request.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    email: request.email,
    acceptAutomaticDiscounts: true,
    discountCodes: request.discountCodes,
    ...(a ? { shippingAddress: mailingAddress(a) } : {}),
    ...(a && request.shippingOptionId ? { shippingLine: { shippingRateHandle: request.shippingOptionId } } : {}),
  };
}

export function createShopifyPricer(admin: AdminClient): Pricer {
  return {
    async quote(request: QuoteRequest): Promise<Quote> {
      const { draftOrderCalculate: result } = await admin.request<CheckoutQuoteResult>(CHECKOUT_QUOTE_MUTATION, { input: quoteInput(request) });
      const draft = result.calculatedDraftOrder;
      const addressError = result.userErrors.find((e) => e.field?.[0] === "shippingAddress");
      if (!draft && addressError && request.address) {
        // Price without the address so the session still shows its items; the address gets the message.
        const withoutAddress = await this.quote({ ...request, address: undefined, shippingOptionId: undefined });
        return { ...withoutAddress, addressProblem: "invalid", addressProblemMessage: addressError.message };
      }
      if (!draft && request.shippingOptionId && result.userErrors.some((e) => e.field?.[0] === "shippingLine")) {
        // A rate handle that is not (or no longer) the store's: quote without it; the session says so.
        return this.quote({ ...request, shippingOptionId: undefined });
      }
      if (!draft) {
        throw new AdminApiError("graphql", `draftOrderCalculate: ${result.userErrors.map((e) => e.message).join("; ")}`, { operation: "CheckoutQuote" });
      }
      const cur = request.currency;
      const money = (bag: { shopMoney: { amount: string } }) => decimalToMinor(bag.shopMoney.amount, cur);
      const applied = draft.shippingLine?.shippingRateHandle ?? undefined;
      const shippingTax = (draft.shippingLine?.taxLines ?? []).reduce((sum, t) => sum + money(t.priceSet), 0);
      const rejectedCodes = draft.warnings.filter((w) => w.field === "discountCodes" && w.discountCode).map((w) => w.discountCode!);
      return {
        currency: draft.currencyCode.toLowerCase(),
        lines: draft.lineItems
          .filter((l) => l.variant)
          .map((l) => ({
            variantId: l.variant!.id,
            quantity: l.quantity,
            unitAmount: money(l.originalUnitPriceSet),
            baseAmount: money(l.originalTotalSet),
            discount: money(l.totalDiscountSet),
            variant: {
              variantId: l.variant!.id,
              productId: l.variant!.product.id,
              title: l.variant!.product.title,
              variantTitle: l.variant!.title === "Default Title" ? undefined : l.variant!.title,
              sku: l.variant!.sku ?? undefined,
              unitAmount: money(l.originalUnitPriceSet),
              currency: cur,
              availableForSale: l.variant!.availableForSale,
              inventoryQuantity: sellableQuantity(l.variant!),
            },
          })),
        // Order-level code discounts arrive allocated to the lines (totalDiscountSet); nothing is left over.
        orderDiscount: 0,
        tax: money(draft.totalTaxSet),
        taxesIncluded: draft.taxesIncluded,
        shippingRates: draft.availableShippingRates.map((r) => ({ id: r.handle, title: r.title, amount: decimalToMinor(r.price.amount, cur) })),
        appliedShippingRateId: applied,
        shippingAmount: applied ? money(draft.totalShippingPriceSet) : undefined,
        shippingTax: applied ? shippingTax : undefined,
        appliedDiscounts: draft.platformDiscounts.map((d) => ({ code: d.code ?? undefined, title: d.title, amount: money(d.totalAmountPriceSet), automatic: d.automaticDiscount })),
        rejectedCodes,
      };
    },
  };
}

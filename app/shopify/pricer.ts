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

/** MailingAddressInput field → the ACP address field it comes from (mailing-address.ts). */
const ACP_ADDRESS_FIELD: Record<string, string> = {
  firstName: "name", lastName: "name", company: "company", address1: "line_one", address2: "line_two", city: "city", provinceCode: "state", countryCode: "country", zip: "postal_code",
};

/** DraftOrderInput fields the app sends that a quote can do without, and where the agent sent them. */
const OPTIONAL_INPUTS: Record<string, { param: string; drop: (r: QuoteRequest) => QuoteRequest }> = {
  email: { param: "$.buyer.email", drop: (r) => ({ ...r, email: undefined }) },
  discountCodes: { param: "$.discounts.codes", drop: (r) => ({ ...r, discountCodes: [] }) },
};

/**
 * Shopify's refusal of the input as a GraphQL error (a variable that does not coerce, e.g. a countryCode outside
 * its enum): the path inside `$input`, or null when the error is not about the input.
 */
function inputErrorPath(error: unknown): string[] | null {
  if (!(error instanceof AdminApiError) || error.kind !== "graphql" || !Array.isArray(error.details.errors)) return null;
  for (const e of error.details.errors as { message?: string; extensions?: { problems?: { path?: unknown[] }[] } }[]) {
    if (!/^Variable \$input\b/.test(e?.message ?? "")) continue;
    const path = e.extensions?.problems?.[0]?.path;
    return Array.isArray(path) ? path.map(String) : [];
  }
  return null;
}

export function createShopifyPricer(admin: AdminClient): Pricer {
  return {
    async quote(request: QuoteRequest): Promise<Quote> {
      let result: CheckoutQuoteResult["draftOrderCalculate"];
      try {
        ({ draftOrderCalculate: result } = await admin.request<CheckoutQuoteResult>(CHECKOUT_QUOTE_MUTATION, { input: quoteInput(request) }));
      } catch (error) {
        // A client value the Admin schema refuses is the client's problem (an `invalid` message), not a 500.
        const path = inputErrorPath(error);
        if (path?.[0] === "shippingAddress" && request.address) {
          const withoutAddress = await this.quote({ ...request, address: undefined, shippingOptionId: undefined });
          const field = ACP_ADDRESS_FIELD[path[1] ?? ""];
          return { ...withoutAddress, addressProblem: "invalid", addressProblemMessage: `The store cannot use this address${field ? `: ${field} is not valid` : ""}.`, addressProblemField: field };
        }
        const optional = path ? OPTIONAL_INPUTS[path[0] ?? ""] : undefined;
        if (optional) {
          const without = await this.quote(optional.drop(request));
          return { ...without, inputProblems: [...(without.inputProblems ?? []), { param: optional.param, message: "The store cannot use this value." }] };
        }
        throw error;
      }
      const draft = result.calculatedDraftOrder;
      const addressError = result.userErrors.find((e) => e.field?.[0] === "shippingAddress");
      if (!draft && addressError && request.address) {
        // Price without the address so the session still shows its items; the address gets the message.
        const withoutAddress = await this.quote({ ...request, address: undefined, shippingOptionId: undefined });
        return { ...withoutAddress, addressProblem: "invalid", addressProblemMessage: addressError.message, addressProblemField: ACP_ADDRESS_FIELD[addressError.field?.[1] ?? ""] };
      }
      if (!draft && request.shippingOptionId && result.userErrors.some((e) => e.field?.[0] === "shippingLine")) {
        // A rate handle that is not (or no longer) the store's: quote without it; the session says so.
        return this.quote({ ...request, shippingOptionId: undefined });
      }
      if (!draft) {
        // Lines the store will not price (deleted, or no longer for sale there since the catalog last synced):
        // quote the others; the session marks these. Then optional inputs it refused (email, discount codes).
        const refusedLines = new Set(result.userErrors.filter((e) => e.field?.[0] === "lineItems" && /^\d+$/.test(e.field?.[1] ?? "")).map((e) => Number(e.field![1])));
        if (refusedLines.size > 0) {
          const gone = request.lines.filter((_, i) => refusedLines.has(i)).map((l) => l.variantId);
          const rest = request.lines.filter((_, i) => !refusedLines.has(i));
          const quoted = rest.length ? await this.quote({ ...request, lines: rest }) : emptyQuote(request);
          return { ...quoted, unavailableVariantIds: [...(quoted.unavailableVariantIds ?? []), ...gone] };
        }
        const refused = result.userErrors.find((e) => OPTIONAL_INPUTS[e.field?.[0] ?? ""]);
        if (refused) {
          const optional = OPTIONAL_INPUTS[refused.field![0]];
          const without = await this.quote(optional.drop(request));
          return { ...without, inputProblems: [...(without.inputProblems ?? []), { param: optional.param, message: refused.message }] };
        }
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
            requiresShipping: l.requiresShipping,
            taxable: l.taxable,
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

/** Nothing left to price: no lines, no rates, nothing charged. */
function emptyQuote(request: QuoteRequest): Quote {
  return { currency: request.currency, lines: [], orderDiscount: 0, tax: 0, taxesIncluded: false, shippingRates: [], appliedDiscounts: [], rejectedCodes: [] };
}

// Re-pricing a session: resolve the requested items, quote them with the store, and turn the store's answers
// into lines, shipping options, totals and business messages (a 2xx session, never an error; acp.md §2.6).
import type { CatalogReader, CatalogVariant, Pricer, Quote, QuotedLine, ShippingRate, ShopProfile } from "./ports";
import type { AppliedDiscount, Availability, CartTotals, CheckoutMessage, CheckoutSession, FulfillmentOption, RejectedDiscount, SessionLine } from "./model";
import { cartTotals, priceLines } from "./totals";
import { contactEmail } from "./status";

/** At or below this many units left, a line carries a `low_stock` warning. */
export const LOW_STOCK_THRESHOLD = 5;

export type Draft = Omit<CheckoutSession, "lines" | "fulfillmentOptions" | "totals" | "messages" | "appliedDiscounts" | "rejectedDiscounts" | "status" | "continueUrl">;

export interface Priced {
  lines: SessionLine[];
  taxesIncluded: boolean;
  fulfillmentOptions: FulfillmentOption[];
  selectedFulfillmentOptionId?: string;
  totals: CartTotals;
  messages: CheckoutMessage[];
  appliedDiscounts: AppliedDiscount[];
  rejectedDiscounts: RejectedDiscount[];
}

/** None of the requested items can be sold: there is no session to return (official example error_400_invalid_item). */
export interface NoSellableItems {
  kind: "no_sellable_items";
  param: string;
  itemId: string;
}

export interface PricingDeps {
  catalog: CatalogReader;
  pricer: Pricer;
  shop: ShopProfile;
  newLineId: () => string;
}

interface Candidate {
  requestIndex: number;
  itemId: string;
  quantity: number;
  variant: CatalogVariant;
}

export async function priceDraft(deps: PricingDeps, draft: Draft, previous?: Pick<CheckoutSession, "lines" | "requestedLines" | "messages">, explicitOptionChoice = false): Promise<Priced | NoSellableItems> {
  const messages: CheckoutMessage[] = [];
  const merged = mergeRequested(draft.requestedLines);
  // Unchanged lines are not re-resolved: the quote re-reads their price and stock live (one Admin call).
  const unchanged = previous && JSON.stringify(previous.requestedLines) === JSON.stringify(draft.requestedLines);
  const resolved = unchanged ? fromPrevious(previous, merged) : merged.length ? await deps.catalog.resolve(merged.map((l) => l.itemId)) : new Map<string, CatalogVariant | null>();

  const candidates: Candidate[] = [];
  merged.forEach((req) => {
    const variant = resolved.get(req.itemId);
    const param = `$.line_items[${req.requestIndex}].id`;
    const carried = unchanged ? previous.messages.find((m) => m.param === param && m.type === "error" && (m.code === "not_found" || m.code === "unsupported")) : undefined;
    if (carried) {
      messages.push(carried);
    } else if (!variant) {
      messages.push({ type: "error", code: "not_found", param, content: `The item '${short(req.itemId)}' does not exist in this store.`, resolution: "recoverable" });
    } else if (!variant.optedIn) {
      messages.push({ type: "error", code: "unsupported", param, content: `'${variant.title}' is not sold through this channel.`, resolution: "recoverable" });
    } else {
      candidates.push({ ...req, variant });
    }
  });
  if (merged.length > 0 && candidates.length === 0) {
    return { kind: "no_sellable_items", param: `$.line_items[${merged[0].requestIndex}].id`, itemId: merged[0].itemId };
  }

  const address = draft.fulfillmentDetails?.address;
  const baseRequest = {
    currency: draft.currency,
    lines: candidates.map((c) => ({ variantId: c.variant.variantId, quantity: c.quantity })),
    address,
    email: contactEmail(draft),
    discountCodes: draft.discountCodes,
  };
  let quote: Quote | undefined;
  let selected = address ? draft.selectedFulfillmentOptionId : undefined;
  // Whether anything in the cart is shipped: a cart of gift cards or digital products needs no address and no rate.
  let needsShipping = true;
  if (candidates.length > 0) {
    quote = await deps.pricer.quote({ ...baseRequest, shippingOptionId: selected });
    needsShipping = quote.lines.length === 0 || quote.lines.some((l) => l.requiresShipping !== false);
    const rateIds = new Set(quote.shippingRates.map((r) => r.id));
    let invalidChoice = false;
    if (selected && !rateIds.has(selected)) {
      invalidChoice = explicitOptionChoice;
      if (invalidChoice) {
        messages.push({ type: "error", code: "invalid", param: "$.selected_fulfillment_options[0].option_id", content: `'${selected}' is not one of this store's shipping options for the address.`, resolution: "recoverable" });
      }
      selected = undefined;
    }
    if (address && needsShipping && !selected && !invalidChoice && quote.shippingRates.length > 0) {
      // Preselect the store's cheapest option, as the official examples do; price it (shipping can be taxed).
      selected = cheapest(quote.shippingRates).id;
      quote = await deps.pricer.quote({ ...baseRequest, shippingOptionId: selected });
    }
  }

  const previousIds = new Map((previous?.lines ?? []).map((l) => [l.itemId, l.id]));
  const quotedByVariant = new Map((quote?.lines ?? []).map((l) => [l.variantId, l]));
  const raw = candidates.map((c, index) => {
    const q = quotedByVariant.get(c.variant.variantId);
    const gone = quote?.unavailableVariantIds?.includes(c.variant.variantId) ?? false;
    const facts = { ...c.variant, ...(q?.variant ?? {}), ...(gone ? { availableForSale: false } : {}) };
    const availability = availabilityOf(facts, c.quantity);
    const param = `$.line_items[${index}]`;
    if (availability === "out_of_stock") {
      messages.push({ type: "error", code: "out_of_stock", param: `${param}.item.id`, content: `'${facts.title}' is out of stock.`, resolution: "requires_buyer_input" });
    } else if (facts.inventoryQuantity !== undefined && c.quantity > facts.inventoryQuantity) {
      messages.push({ type: "error", code: "quantity_exceeded", param: `${param}.quantity`, content: `Only ${facts.inventoryQuantity} of '${facts.title}' can be ordered.`, resolution: "requires_buyer_input" });
    } else if (availability === "low_stock") {
      messages.push({ type: "warning", code: "low_stock", param, content: `Only ${facts.inventoryQuantity} of '${facts.title}' left in stock.` });
    }
    return toLine(c, facts, q, availability, previousIds.get(c.itemId) ?? deps.newLineId());
  });

  // Shopify's tax is the cart's tax whether its prices hold it or not; inclusive prices are shown net of it (0150).
  const taxesIncluded = quote?.taxesIncluded ?? false;
  const shippingApplied = !!quote && !!selected && quote.appliedShippingRateId === selected;
  const shippingTax = !shippingApplied ? 0 : Math.min(quote?.shippingTax ?? 0, quote?.tax ?? 0);
  const lines = priceLines(raw, (quote?.tax ?? 0) - shippingTax, taxesIncluded);
  if (taxesIncluded && quote && quote.tax > 0) {
    messages.push({ type: "info", content: "The store's prices include tax: the tax shown is the part of the total that is tax, not an addition to it." });
  }

  const fulfillmentOptions: FulfillmentOption[] =
    address && needsShipping
      ? (quote?.shippingRates ?? []).map((r) => {
          // The applied rate shows what the cart really pays for it (shipping discounts, tax on shipping).
          const amount = shippingApplied && r.id === selected ? (quote?.shippingAmount ?? r.amount) : r.amount;
          const tax = shippingApplied && r.id === selected ? Math.min(shippingTax, amount) : 0;
          // A tax-inclusive rate already holds its tax: net of it, the option still totals what the store charges.
          const subtotal = taxesIncluded ? amount - tax : amount;
          return { id: r.id, type: "shipping", title: r.title, carrier: r.carrier, subtotal, tax, total: subtotal + tax };
        })
      : [];
  if (address && quote?.addressProblem) {
    messages.push({
      type: "error",
      code: quote.addressProblem === "region_restricted" ? "region_restricted" : "invalid",
      param: quote.addressProblemField ? `$.fulfillment_details.address.${quote.addressProblemField}` : "$.fulfillment_details.address",
      content: quote.addressProblemMessage ?? (quote.addressProblem === "region_restricted" ? "The store does not ship to this address." : "The shipping address is not valid."),
      resolution: "requires_buyer_input",
    });
  } else if (address && needsShipping && quote && quote.shippingRates.length === 0 && candidates.length > 0) {
    // Shopify offers no rate for the address (no zone covers it, or the items cannot go there): not payable (0151).
    messages.push({
      type: "error",
      code: "region_restricted",
      param: "$.fulfillment_details.address",
      content: `The store has no shipping rate to this address (${address.country}); give an address in a country or region it ships to.`,
      resolution: "requires_buyer_input",
    });
  }

  for (const problem of quote?.inputProblems ?? []) {
    messages.push({ type: "error", code: "invalid", param: problem.param, content: problem.message, resolution: "requires_buyer_input" });
  }

  const shipping = fulfillmentOptions.find((o) => o.id === selected);
  const { applied, rejected } = discountsOf(quote, draft.discountCodes, messages);
  const totals = cartTotals(lines, quote?.orderDiscount ?? 0, shipping?.subtotal ?? 0, shipping?.tax ?? 0);
  return { lines, taxesIncluded, fulfillmentOptions, selectedFulfillmentOptionId: shipping?.id, totals, messages, appliedDiscounts: applied, rejectedDiscounts: rejected };
}

/** Catalog facts of the lines a session already holds; items it could not sell stay unresolved. */
function fromPrevious(previous: Pick<CheckoutSession, "lines">, merged: { itemId: string }[]): Map<string, CatalogVariant | null> {
  const byItem = new Map(previous.lines.map((l) => [l.itemId, l]));
  return new Map(
    merged.map(({ itemId }) => {
      const l = byItem.get(itemId);
      if (!l) return [itemId, null];
      return [itemId, { itemId, variantId: l.variantId, productId: l.productId, title: l.productTitle ?? l.name, variantTitle: l.variantTitle, sku: l.sku, imageUrl: l.imageUrl, unitAmount: l.unitAmount, currency: "", availableForSale: l.availability !== "out_of_stock", inventoryQuantity: l.availableQuantity, optedIn: true }];
    }),
  );
}

/** The same item twice in a request is one line with the quantities added. */
function mergeRequested(lines: CheckoutSession["requestedLines"]): { requestIndex: number; itemId: string; quantity: number }[] {
  const byId = new Map<string, { requestIndex: number; itemId: string; quantity: number }>();
  lines.forEach((l, requestIndex) => {
    const existing = byId.get(l.itemId);
    if (existing) existing.quantity += l.quantity;
    else byId.set(l.itemId, { requestIndex, itemId: l.itemId, quantity: l.quantity });
  });
  return [...byId.values()];
}

function cheapest(rates: ShippingRate[]): ShippingRate {
  return rates.reduce((best, r) => (r.amount < best.amount ? r : best), rates[0]);
}

function availabilityOf(facts: Pick<CatalogVariant, "availableForSale" | "inventoryQuantity">, quantity: number): Availability {
  if (!facts.availableForSale) return "out_of_stock";
  if (facts.inventoryQuantity === undefined) return "in_stock";
  if (facts.inventoryQuantity <= 0) return "out_of_stock";
  if (facts.inventoryQuantity <= LOW_STOCK_THRESHOLD || facts.inventoryQuantity - quantity < LOW_STOCK_THRESHOLD) return "low_stock";
  return "in_stock";
}

function toLine(c: Candidate, facts: Omit<CatalogVariant, "itemId" | "optedIn"> & Partial<CatalogVariant>, q: QuotedLine | undefined, availability: Availability, id: string) {
  const unitAmount = q?.unitAmount ?? facts.unitAmount;
  return {
    id,
    itemId: c.itemId,
    variantId: facts.variantId,
    productId: facts.productId,
    quantity: c.quantity,
    name: facts.variantTitle && facts.variantTitle !== "Default Title" ? `${facts.title} - ${facts.variantTitle}` : facts.title,
    productTitle: facts.title,
    variantTitle: facts.variantTitle,
    sku: facts.sku,
    imageUrl: facts.imageUrl,
    unitAmount,
    baseAmount: q?.baseAmount ?? unitAmount * c.quantity,
    discount: q?.discount ?? 0,
    ...(q?.taxable === false ? { taxable: false } : {}),
    ...(q?.requiresShipping === false ? { requiresShipping: false } : {}),
    availability,
    availableQuantity: facts.inventoryQuantity !== undefined ? Math.max(0, facts.inventoryQuantity) : undefined,
  };
}

function discountsOf(quote: Quote | undefined, codes: string[], messages: CheckoutMessage[]): { applied: AppliedDiscount[]; rejected: RejectedDiscount[] } {
  const applied = (quote?.appliedDiscounts ?? []).map((d, i) => ({ id: `discount_${i + 1}`, code: d.code, title: d.title, amount: d.amount, automatic: d.automatic }));
  const rejectedCodes = new Set((quote?.rejectedCodes ?? []).map((c) => c.toLowerCase()));
  const rejected: RejectedDiscount[] = [];
  codes.forEach((code, i) => {
    if (!rejectedCodes.has(code.toLowerCase())) return;
    const message = `The discount code '${code}' cannot be applied.`;
    rejected.push({ code, reason: "discount_code_invalid", message });
    messages.push({ type: "warning", code: "discount_code_invalid", param: `$.discounts.codes[${i}]`, content: message, resolution: "recoverable" });
  });
  return { applied, rejected };
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

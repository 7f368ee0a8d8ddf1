// draftOrderCalculate's arithmetic, in integer cents. Pure: reads shop state, persists nothing.
//  1. lines: variant price × quantity (or custom price); 2. discount codes: validated, order-level
//  amounts allocated across lines pro rata; 3. shipping rates (shipping.ts: a rateable address, a line that
//  requires shipping, a zone for the country); 4. taxes (tax.ts) from the country/province table on discounted
//  lines (and on shipping where the region taxes shipping), added on top or, in a tax-inclusive shop, inside the prices.
import { allocate, applyRate, fromCents, toCents, type Cents } from "../money.js";
import { idOf } from "../ids.js";
import type { ShopState } from "../store.js";
import type { DiscountCodeDef, VariantData } from "../types.js";
import { availableRates, type CalcRate, type ShippingAddressInput } from "./shipping.js";
import { findTaxRate, taxOn } from "./tax.js";

export interface DraftLineInput {
  variantId?: string | null;
  quantity: number;
  title?: string | null;
  originalUnitPriceWithCurrency?: { amount: string; currencyCode: string } | null;
  requiresShipping?: boolean | null;
  taxable?: boolean | null;
  sku?: string | null;
}

export interface DraftInput {
  lineItems?: DraftLineInput[] | null;
  email?: string | null;
  shippingAddress?: ShippingAddressInput | null;
  shippingLine?: { shippingRateHandle?: string | null; title?: string | null; priceWithCurrency?: { amount: string; currencyCode: string } | null } | null;
  discountCodes?: string[] | null;
  acceptAutomaticDiscounts?: boolean | null;
  presentmentCurrencyCode?: string | null;
  taxExempt?: boolean | null;
}

export interface CalcLine {
  index: number;
  variant: VariantData | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  unitPrice: Cents;
  originalTotal: Cents;
  discount: Cents;
  discountedTotal: Cents;
  requiresShipping: boolean;
  taxable: boolean;
  tax: Array<{ title: string; rate: number; amount: Cents }>;
  custom: boolean;
}

export interface CalcResult {
  currencyCode: string;
  /** Prices (lines and shipping) include the tax; `total` does not add it. */
  taxesIncluded: boolean;
  lines: CalcLine[];
  rates: CalcRate[];
  shippingLine: { title: string; code: string | null; handle: string | null; price: Cents; discount: Cents; custom: boolean; tax: Array<{ title: string; rate: number; amount: Cents }> } | null;
  appliedCodes: Array<{ def: DiscountCodeDef; amount: Cents; allocations: Array<{ target: "line" | "shipping"; index: number; amount: Cents }> }>;
  rejectedCodes: Array<{ code: string; errorCode: string; message: string; title: string | null }>;
  lineItemsTotal: Cents;
  subtotal: Cents;
  shipping: Cents;
  discounts: Cents;
  taxLines: Array<{ title: string; rate: number; amount: Cents }>;
  tax: Cents;
  total: Cents;
  discountCodesInput: string[];
}

export interface CalcUserError {
  field: string[];
  message: string;
}

export function calculateDraft(shop: ShopState, input: DraftInput): { result?: CalcResult; userErrors: CalcUserError[] } {
  const userErrors: CalcUserError[] = [];
  const currency = shop.currencyCode;
  if (input.presentmentCurrencyCode && input.presentmentCurrencyCode !== currency) {
    userErrors.push({ field: ["presentmentCurrencyCode"], message: `Presentment currency ${input.presentmentCurrencyCode} is not enabled for this shop` });
  }
  const lines: CalcLine[] = [];
  (input.lineItems ?? []).forEach((li, index) => {
    if (li.quantity < 1) {
      userErrors.push({ field: ["lineItems", String(index), "quantity"], message: "Quantity must be greater than or equal to 1" });
      return;
    }
    if (li.variantId) {
      const id = idOf(li.variantId, "ProductVariant");
      const v = id ? shop.variants.get(id) : undefined;
      const p = v ? shop.products.get(v.productId) : undefined;
      if (!v || !p) {
        userErrors.push({ field: ["lineItems", String(index), "variantId"], message: `Product with ID ${id ?? li.variantId} is no longer available.` });
        return;
      }
      if (p.status !== "ACTIVE") {
        userErrors.push({ field: ["lineItems", String(index), "variantId"], message: `Product ${p.title} is not available for sale.` });
        return;
      }
      const unit = v.price;
      lines.push({
        index,
        variant: v,
        title: p.title,
        variantTitle: v.title === "Default Title" ? null : v.title,
        sku: v.sku,
        vendor: p.vendor || null,
        quantity: li.quantity,
        unitPrice: unit,
        originalTotal: unit * li.quantity,
        discount: 0,
        discountedTotal: unit * li.quantity,
        requiresShipping: v.inventoryItem.requiresShipping,
        taxable: v.taxable,
        tax: [],
        custom: false,
      });
    } else {
      if (!li.title || !li.originalUnitPriceWithCurrency) {
        userErrors.push({ field: ["lineItems", String(index)], message: "Custom line items require a title and originalUnitPriceWithCurrency" });
        return;
      }
      const unit = toCents(li.originalUnitPriceWithCurrency.amount, currency);
      lines.push({
        index,
        variant: null,
        title: li.title,
        variantTitle: null,
        sku: li.sku ?? null,
        vendor: null,
        quantity: li.quantity,
        unitPrice: unit,
        originalTotal: unit * li.quantity,
        discount: 0,
        discountedTotal: unit * li.quantity,
        requiresShipping: li.requiresShipping ?? true,
        taxable: li.taxable ?? true,
        tax: [],
        custom: true,
      });
    }
  });
  if (userErrors.length) return { userErrors };

  const lineItemsTotal = lines.reduce((a, l) => a + l.originalTotal, 0);

  // ---- discount codes: at most one order (amount/percentage) code plus one free-shipping code combine.
  const now = shop.now().getTime();
  const appliedCodes: CalcResult["appliedCodes"] = [];
  const rejectedCodes: CalcResult["rejectedCodes"] = [];
  let orderCode: DiscountCodeDef | null = null;
  let shippingCode: DiscountCodeDef | null = null;
  for (const raw of input.discountCodes ?? []) {
    const def = shop.discountCodes.find((d) => d.code.toLowerCase() === raw.trim().toLowerCase());
    if (!def) {
      rejectedCodes.push({ code: raw, errorCode: "DISCOUNT_NOT_FOUND", message: `Discount code ${raw} could not be found.`, title: null });
      continue;
    }
    if ((def.endsAt && Date.parse(def.endsAt) < now) || (def.startsAt && Date.parse(def.startsAt) > now)) {
      rejectedCodes.push({ code: raw, errorCode: "DISCOUNT_CURRENTLY_INACTIVE", message: `Discount code ${def.code} is not active.`, title: def.title });
      continue;
    }
    if (def.minimumSubtotal !== undefined && lineItemsTotal < def.minimumSubtotal) {
      rejectedCodes.push({ code: raw, errorCode: "DISCOUNT_PURCHASE_NOT_IN_RANGE", message: `Discount code ${def.code} requires a minimum subtotal of ${fromCents(def.minimumSubtotal, currency)} ${currency}.`, title: def.title });
      continue;
    }
    if (def.kind === "free_shipping") {
      if (shippingCode) rejectedCodes.push({ code: raw, errorCode: "DISCOUNT_NOT_COMBINABLE", message: `Discount code ${def.code} cannot be combined with ${shippingCode.code}.`, title: def.title });
      else shippingCode = def;
    } else if (orderCode) rejectedCodes.push({ code: raw, errorCode: "DISCOUNT_NOT_COMBINABLE", message: `Discount code ${def.code} cannot be combined with ${orderCode.code}.`, title: def.title });
    else orderCode = def;
  }
  if (orderCode) {
    const amount = Math.min(lineItemsTotal, orderCode.kind === "percentage" ? applyRate(lineItemsTotal, orderCode.value) : orderCode.value);
    const parts = allocate(amount, lines.map((l) => l.originalTotal));
    lines.forEach((l, i) => {
      l.discount += parts[i];
      l.discountedTotal = l.originalTotal - l.discount;
    });
    appliedCodes.push({ def: orderCode, amount, allocations: lines.map((l, i) => ({ target: "line" as const, index: l.index, amount: parts[i] })).filter((a) => a.amount > 0) });
  }
  const subtotal = lines.reduce((a, l) => a + l.discountedTotal, 0);

  // ---- shipping
  const address = input.shippingAddress;
  const needsShipping = lines.some((l) => l.requiresShipping);
  const rates: CalcRate[] = availableRates(shop, address, needsShipping, subtotal);
  let shippingLine: CalcResult["shippingLine"] = null;
  if (input.shippingLine && needsShipping) {
    const sl = input.shippingLine;
    if (sl.shippingRateHandle) {
      const rate = rates.find((r) => r.handle === sl.shippingRateHandle);
      if (!rate) {
        userErrors.push({ field: ["shippingLine", "shippingRateHandle"], message: "Shipping rate is not available for this draft order." });
        return { userErrors };
      }
      shippingLine = { title: rate.title, code: rate.title, handle: rate.handle, price: rate.price, discount: 0, custom: false, tax: [] };
    } else if (sl.title && sl.priceWithCurrency) {
      shippingLine = { title: sl.title, code: null, handle: null, price: toCents(sl.priceWithCurrency.amount, currency), discount: 0, custom: true, tax: [] };
    }
  }
  if (shippingCode) {
    if (shippingLine && shippingLine.price > 0) {
      shippingLine.discount = shippingLine.price;
      appliedCodes.push({ def: shippingCode, amount: shippingLine.price, allocations: [{ target: "shipping", index: 0, amount: shippingLine.price }] });
    } else if (shippingLine) {
      appliedCodes.push({ def: shippingCode, amount: 0, allocations: [] });
    } else {
      rejectedCodes.push({ code: shippingCode.code, errorCode: "DISCOUNT_NO_ENTITLED_SHIPPING_LINES", message: `Discount code ${shippingCode.code} requires a shipping line.`, title: shippingCode.title });
    }
  }
  const shipping = shippingLine ? shippingLine.price - shippingLine.discount : 0;

  // ---- taxes
  const taxRate = input.taxExempt ? null : findTaxRate(shop, address?.countryCode, address?.provinceCode);
  const included = shop.taxesIncluded;
  const taxTotals = new Map<string, { title: string; rate: number; amount: Cents }>();
  const addTax = (amount: Cents) => {
    if (!taxRate) return;
    const t = taxTotals.get(taxRate.title) ?? { title: taxRate.title, rate: taxRate.rate, amount: 0 };
    t.amount += amount;
    taxTotals.set(taxRate.title, t);
  };
  if (taxRate) {
    for (const l of lines) {
      if (!l.taxable) continue;
      const amount = taxOn(l.discountedTotal, taxRate.rate, included);
      l.tax.push({ title: taxRate.title, rate: taxRate.rate, amount });
      addTax(amount);
    }
    if (shippingLine && taxRate.shippingTaxable && shipping > 0) {
      const amount = taxOn(shipping, taxRate.rate, included);
      shippingLine.tax.push({ title: taxRate.title, rate: taxRate.rate, amount });
      addTax(amount);
    }
  }
  const taxLines = [...taxTotals.values()];
  const tax = taxLines.reduce((a, t) => a + t.amount, 0);
  const discounts = appliedCodes.reduce((a, c) => a + c.amount, 0);
  return {
    userErrors,
    result: {
      currencyCode: currency,
      taxesIncluded: included,
      lines,
      rates,
      shippingLine,
      appliedCodes,
      rejectedCodes,
      lineItemsTotal,
      subtotal,
      shipping,
      discounts,
      taxLines,
      tax,
      total: subtotal + shipping + (included ? 0 : tax),
      discountCodesInput: input.discountCodes ?? [],
    },
  };
}

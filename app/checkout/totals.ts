// The spec's totals arithmetic (acp.md §2.5), built once here and checked on every response in tests.
import { allocate } from "../money";
import type { CartTotals, SessionLine } from "./model";

export interface PricedLineInput {
  unitAmount: number;
  quantity: number;
  baseAmount: number;
  discount: number;
  /** false: the store charges no tax on this line, so none of the cart's tax is put on it */
  taxable?: boolean;
}

/**
 * Line amounts with the cart's item tax spread over the taxable lines by subtotal, so Σ line tax + shipping tax =
 * cart tax. When the store's prices include tax (`taxesIncluded`), each line is shown net of the tax it holds: its
 * base amount is its price less that tax, so `total = subtotal + tax` is what the buyer pays for it and the cart's
 * total is Shopify's, not Shopify's plus the tax again (docs/decisions/0150).
 */
export function priceLines<T extends PricedLineInput>(lines: T[], itemsTax: number, taxesIncluded = false): (T & Pick<SessionLine, "subtotal" | "tax" | "total">)[] {
  const gross = lines.map((l) => Math.max(0, l.baseAmount - Math.min(l.discount, l.baseAmount)));
  const taxableWeights = gross.map((g, i) => (lines[i].taxable === false ? 0 : g));
  const weights = taxableWeights.some((w) => w > 0) ? taxableWeights : gross;
  const taxes = allocate(Math.max(0, itemsTax), weights);
  return lines.map((line, i) => {
    const discount = Math.min(line.discount, line.baseAmount);
    // Inclusive: never more tax out of a line than the line costs (the store's tax is part of its price).
    const tax = taxesIncluded ? Math.min(taxes[i], gross[i]) : taxes[i];
    const baseAmount = taxesIncluded ? line.baseAmount - tax : line.baseAmount;
    const subtotal = baseAmount - discount;
    return { ...line, baseAmount, discount, subtotal, tax, total: subtotal + tax };
  });
}

export function cartTotals(lines: Pick<SessionLine, "baseAmount" | "discount" | "tax">[], orderDiscount: number, fulfillment: number, fulfillmentTax: number, fee = 0): CartTotals {
  const itemsBaseAmount = sum(lines.map((l) => l.baseAmount));
  const itemsDiscount = sum(lines.map((l) => l.discount));
  const subtotal = itemsBaseAmount - itemsDiscount;
  const discount = Math.min(Math.max(0, orderDiscount), subtotal);
  const tax = sum(lines.map((l) => l.tax)) + fulfillmentTax;
  return { itemsBaseAmount, itemsDiscount, subtotal, discount, fulfillment, tax, fee, total: subtotal - discount + fulfillment + tax + fee };
}

/** Problems with the arithmetic of a session, empty when it obeys §2.5. */
export function totalsProblems(lines: Pick<SessionLine, "baseAmount" | "discount" | "subtotal" | "tax" | "total">[], t: CartTotals): string[] {
  const problems: string[] = [];
  lines.forEach((l, i) => {
    if (l.subtotal !== l.baseAmount - l.discount) problems.push(`line ${i}: subtotal`);
    if (l.total !== l.subtotal + l.tax) problems.push(`line ${i}: total`);
    if ([l.baseAmount, l.discount, l.subtotal, l.tax, l.total].some((n) => !Number.isInteger(n) || n < 0)) problems.push(`line ${i}: negative or fractional`);
  });
  if (t.itemsBaseAmount !== sum(lines.map((l) => l.baseAmount))) problems.push("items_base_amount");
  if (t.itemsDiscount !== sum(lines.map((l) => l.discount))) problems.push("items_discount");
  if (t.subtotal !== t.itemsBaseAmount - t.itemsDiscount) problems.push("subtotal");
  if (t.total !== t.itemsBaseAmount - t.itemsDiscount - t.discount + t.fulfillment + t.tax + t.fee) problems.push("total");
  if (Object.values(t).some((n) => !Number.isInteger(n) || n < 0)) problems.push("negative or fractional total");
  return problems;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

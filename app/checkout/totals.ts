// The spec's totals arithmetic (acp.md §2.5), built once here and checked on every response in tests.
import { allocate } from "../money";
import type { CartTotals, SessionLine } from "./model";

export interface PricedLineInput {
  unitAmount: number;
  quantity: number;
  baseAmount: number;
  discount: number;
}

/** Line amounts with the cart's tax allocated by subtotal, so Σ line tax + shipping tax = cart tax. */
export function priceLines<T extends PricedLineInput>(lines: T[], itemsTax: number): (T & Pick<SessionLine, "subtotal" | "tax" | "total">)[] {
  const subtotals = lines.map((l) => Math.max(0, l.baseAmount - Math.min(l.discount, l.baseAmount)));
  const taxes = allocate(Math.max(0, itemsTax), subtotals);
  return lines.map((line, i) => ({
    ...line,
    discount: Math.min(line.discount, line.baseAmount),
    subtotal: subtotals[i],
    tax: taxes[i],
    total: subtotals[i] + taxes[i],
  }));
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

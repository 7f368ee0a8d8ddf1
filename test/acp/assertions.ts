// Checks every response must pass: the official schema of its version and the spec's totals arithmetic (§2.5).
import { expect } from "vitest";
import { schemaErrors } from "./harness";
import type { AcpVersion } from "../../app/acp/versions";

type Totals = { type: string; amount: number }[];

function amount(totals: Totals, type: string): number {
  return totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);
}

/** Returns the arithmetic problems of a serialized session (either version), empty when it obeys §2.5. */
export function wireTotalsProblems(version: AcpVersion, session: any): string[] {
  const problems: string[] = [];
  const lines: { base: number; discount: number; subtotal: number; tax: number; total: number }[] = session.line_items.map((l: any) =>
    version === "2025-09-29"
      ? { base: l.base_amount, discount: l.discount, subtotal: l.subtotal, tax: l.tax, total: l.total }
      : { base: amount(l.totals, "items_base_amount"), discount: amount(l.totals, "discount"), subtotal: amount(l.totals, "subtotal"), tax: amount(l.totals, "tax"), total: amount(l.totals, "total") },
  );
  lines.forEach((l, i) => {
    if (l.subtotal !== l.base - l.discount) problems.push(`line ${i} subtotal`);
    if (l.total !== l.subtotal + l.tax) problems.push(`line ${i} total`);
    if (Object.values(l).some((n) => !Number.isInteger(n) || n < 0)) problems.push(`line ${i} negative`);
  });
  const t: Totals = session.totals;
  const itemsBase = amount(t, "items_base_amount");
  const itemsDiscount = amount(t, "items_discount");
  if (itemsBase !== lines.reduce((a, l) => a + l.base, 0)) problems.push("items_base_amount");
  if (itemsDiscount !== lines.reduce((a, l) => a + l.discount, 0)) problems.push("items_discount");
  if (amount(t, "subtotal") !== itemsBase - itemsDiscount) problems.push("subtotal");
  const total = itemsBase - itemsDiscount - amount(t, "discount") + amount(t, "fulfillment") + amount(t, "tax") + amount(t, "fee");
  if (t.filter((x) => x.type === "total").length !== 1) problems.push("exactly one total");
  if (amount(t, "total") !== total) problems.push(`total ${amount(t, "total")} ≠ ${total}`);
  const selectedId = version === "2025-09-29" ? session.fulfillment_option_id : session.selected_fulfillment_options?.[0]?.option_id;
  if (selectedId && !session.fulfillment_options.some((o: any) => o.id === selectedId)) problems.push("selected option not offered");
  return problems;
}

/** A 2xx session: valid against its schema, arithmetic right, currency lower case. */
export function expectValidSession(version: AcpVersion, body: any): void {
  expect(schemaErrors(version, "CheckoutSession", body)).toEqual([]);
  expect(wireTotalsProblems(version, body)).toEqual([]);
  expect(body.currency).toMatch(/^[a-z]{3}$/);
}

/** A protocol error: the flat spec body, valid against the version's Error schema. */
export function expectSpecError(body: any, version: AcpVersion = "2026-04-17"): void {
  expect(schemaErrors(version, "Error", body)).toEqual([]);
  expect(typeof body.type).toBe("string");
  expect(typeof body.code).toBe("string");
  expect(typeof body.message).toBe("string");
  if (body.param !== undefined) expect(body.param).toMatch(/^\$/);
}

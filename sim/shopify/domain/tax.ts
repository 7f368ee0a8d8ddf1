// Taxes of a draft, in the shop's minor units. Rates come from the shop's country/province table; a shop's prices either
// exclude tax (added on top) or include it (Shop.taxesIncluded: the tax is the part of the price that is tax, the
// total does not grow). Shopify Help Center, "Include taxes in product prices": Tax = (Tax Rate × Price) / (1 + Tax Rate),
// and the setting covers product prices and shipping rates (docs/decisions/0150).
import { applyRate, includedTax, type Cents } from "../money.js";
import type { ShopState } from "../store.js";
import type { TaxRate } from "../types.js";

export function findTaxRate(shop: ShopState, countryCode?: string | null, provinceCode?: string | null): TaxRate | null {
  if (!countryCode) return null;
  return (
    shop.taxRates.find((t) => t.countryCode === countryCode && t.provinceCode && t.provinceCode === provinceCode) ??
    shop.taxRates.find((t) => t.countryCode === countryCode && !t.provinceCode) ??
    null
  );
}

/** The tax on `amount` (exclusive) or inside it (inclusive), rounded half up to the minor unit. */
export function taxOn(amount: Cents, rate: number, included: boolean): Cents {
  return included ? includedTax(amount, rate) : applyRate(amount, rate);
}

// Which shipping rates draftOrderCalculate offers (CalculatedDraftOrder.availableShippingRates: "Requires a customer
// with a valid shipping address and at least one line item"; docs/decisions/0151). Rates come from the shop's zone for
// the destination country, and only when:
//  - some line requires shipping (a gift card or a digital product does not; a cart of only those gets none and
//    needs none),
//  - the address is complete enough to place in a zone and rate: a country, and the province and postal code where
//    Shopify's addresses for that country have them.
// Otherwise — and when no zone covers the country — the answer is `availableShippingRates: []`, never a userError.
import { fromCents, type Cents } from "../money.js";
import type { ShopState } from "../store.js";

export interface ShippingAddressInput {
  countryCode?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  address1?: string | null;
  city?: string | null;
}

export interface CalcRate {
  handle: string;
  title: string;
  price: Cents;
}

/** Countries whose addresses Shopify's checkout will not take without a province (zone) code and a postal code ("Select
 * a state / province", "Enter a ZIP / postal code"); the app checks the same list (app/shopify/address-rules.ts).
 * Elsewhere the country is enough to find the zone. */
const PROVINCE_AND_POSTAL_CODE = new Set(["US", "CA", "AU"]);

/** What the address lacks before Shopify can rate it, or null when it can. */
export function addressGapForRates(address: ShippingAddressInput | null | undefined): "country" | "province" | "zip" | null {
  const country = address?.countryCode?.trim();
  if (!country) return "country";
  if (PROVINCE_AND_POSTAL_CODE.has(country) && !address?.provinceCode?.trim()) return "province";
  if (PROVINCE_AND_POSTAL_CODE.has(country) && !address?.zip?.trim()) return "zip";
  return null;
}

export function rateHandle(title: string, price: Cents, currencyCode: string): string {
  return `shopify-${title.replace(/\s+/g, "%20")}-${fromCents(price, currencyCode)}`;
}

/** The rates of the zone covering the destination (free above a rate's threshold of the discounted subtotal). */
export function availableRates(shop: ShopState, address: ShippingAddressInput | null | undefined, needsShipping: boolean, subtotal: Cents): CalcRate[] {
  if (!needsShipping || addressGapForRates(address) !== null) return [];
  const zone = shop.shippingZones.find((z) => z.countries.includes(address!.countryCode!.trim()));
  return (zone?.rates ?? []).map((r) => {
    const price = r.freeAbove !== undefined && subtotal >= r.freeAbove ? 0 : r.price;
    return { handle: rateHandle(r.title, price, shop.currencyCode), title: r.title, price };
  });
}

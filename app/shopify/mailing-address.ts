// An ACP address as Shopify's MailingAddressInput: the one place the two shapes meet (pricing and the order).
import type { Address } from "../checkout/model";

export function mailingAddress(a: Address, phone?: string): Record<string, unknown> {
  // ACP carries one name; Shopify wants first and last (a single word serves as both).
  const [firstName, ...rest] = a.name.trim().split(/\s+/);
  return {
    firstName: firstName || undefined,
    lastName: rest.join(" ") || firstName || undefined,
    company: a.company,
    address1: a.lineOne,
    address2: a.lineTwo,
    city: a.city,
    provinceCode: a.state,
    countryCode: a.country,
    zip: a.postalCode,
    ...(phone ? { phone } : {}),
  };
}

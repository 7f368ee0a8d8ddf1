// What Shopify's MailingAddressInput accepts, checked before an address is used (docs/decisions/0121). An address
// that Shopify would refuse must be refused at the request, with the field named, not discovered as a GraphQL
// error mid-quote (a 500) or, worse, at orderCreate after the card was charged. Pure data and checks, no I/O.
import type { Address } from "../checkout/model";
import { SHOPIFY_COUNTRY_CODES } from "./country-codes";

/**
 * Shopify's hard limit for address strings is 255 characters (Shopify/active_shipping#290, a Shopify engineer:
 * "in Shopify, the hard limit is 255"); ACP's single `name` becomes firstName + lastName, each within it.
 */
export const ADDRESS_FIELD_MAX = 255;
/** The longest postal codes in use are 10 characters ("12345-6789", Iran's ten digits); 16 leaves margin. */
export const POSTAL_CODE_MAX = 16;

/** Countries a buyer can ship to: Shopify's CountryCode enum without ZZ ("Unknown Region", not a place). */
const COUNTRIES: ReadonlySet<string> = new Set(SHOPIFY_COUNTRY_CODES.filter((c) => c !== "ZZ"));

/** Countries whose zones Shopify requires by code (its provinceCode), with the codes it knows. */
const ZONES: Record<string, ReadonlySet<string>> = {
  US: new Set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI UM AA AE AP".split(" "),
  ),
  CA: new Set("AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" ")),
  AU: new Set("ACT NSW NT QLD SA TAS VIC WA".split(" ")),
};

/** Postal code shapes Shopify checks for these countries (its checkout's "Enter a valid ZIP / postal code"). */
const POSTAL: Record<string, RegExp> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/i,
  AU: /^\d{4}$/,
};

export type AddressField = "name" | "lineOne" | "lineTwo" | "city" | "state" | "country" | "postalCode" | "company";

export interface AddressProblem {
  field: AddressField;
  message: string;
}

const LABEL: Record<AddressField, string> = {
  name: "name",
  lineOne: "line_one",
  lineTwo: "line_two",
  city: "city",
  state: "state",
  country: "country",
  postalCode: "postal_code",
  company: "company",
};

/** ACP wire name of a field (the same in every version). */
export function wireField(field: AddressField): string {
  return LABEL[field];
}

/** C0/C1 controls (NUL included) and unpaired surrogates: Shopify stores UTF-8 text, these are not text. */
function isText(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

const length = (value: string) => [...value].length;

/** The first thing Shopify would refuse in this address, or null. `country` is expected upper case. */
export function addressProblem(a: Address): AddressProblem | null {
  for (const field of ["name", "lineOne", "lineTwo", "city", "state", "country", "postalCode", "company"] as const) {
    const value = a[field];
    if (value === undefined) continue;
    if (typeof value !== "string") return { field, message: `${LABEL[field]} must be a string.` };
    if (!isText(value)) return { field, message: `${LABEL[field]} contains control characters or invalid Unicode.` };
    if (length(value) > ADDRESS_FIELD_MAX) return { field, message: `${LABEL[field]} is longer than ${ADDRESS_FIELD_MAX} characters.` };
  }
  if (!COUNTRIES.has(a.country)) return { field: "country", message: "country must be an ISO 3166-1 alpha-2 code of a country the store can ship to, such as US or CA." };
  const zones = ZONES[a.country];
  if (zones && !zones.has(a.state.toUpperCase())) return { field: "state", message: `state must be a ${a.country} state or province code, such as ${[...zones][0]}.` };
  if (length(a.postalCode) > POSTAL_CODE_MAX || !/^[\p{L}\p{N}]([\p{L}\p{N} -]*[\p{L}\p{N}])?$|^$/u.test(a.postalCode)) {
    return { field: "postalCode", message: "postal_code must be letters, digits, spaces or hyphens, at most 16 characters." };
  }
  const postal = POSTAL[a.country];
  if (postal && !postal.test(a.postalCode)) return { field: "postalCode", message: `postal_code is not a valid ${a.country} postal code.` };
  return null;
}

/** The address as Shopify stores it: zone codes upper case (Shopify's codes are). */
export function normalizedAddress(a: Address): Address {
  return ZONES[a.country] ? { ...a, state: a.state.toUpperCase() } : a;
}

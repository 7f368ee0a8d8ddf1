// The `shop` root field.
import { gid } from "../ids.js";
import type { ShopState } from "../store.js";
import { isDevelopmentStore } from "./order-limits.js";

export function shopView(shop: ShopState) {
  const numericId = 60_000_000_000 + [...shop.domain].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 1_000_000_000, 7);
  const host = new URL(shop.primaryDomainUrl).host;
  const address = {
    id: gid("ShopAddress", numericId),
    address1: shop.locations[0]?.address.address1 ?? null,
    address2: null,
    city: shop.locations[0]?.address.city ?? null,
    company: shop.name,
    coordinatesValidated: false,
    country: shop.countryCode === "US" ? "United States" : shop.countryCode,
    countryCode: shop.countryCode,
    countryCodeV2: shop.countryCode,
    province: shop.provinceCode,
    provinceCode: shop.provinceCode,
    zip: shop.locations[0]?.address.zip ?? null,
    phone: null,
    latitude: null,
    longitude: null,
    formattedArea: `${shop.locations[0]?.address.city ?? ""}, ${shop.provinceCode}, ${shop.countryCode}`,
    formatted: () => [shop.locations[0]?.address.address1 ?? "", `${shop.locations[0]?.address.city ?? ""} ${shop.provinceCode}`, shop.countryCode],
  };
  return {
    __typename: "Shop",
    id: gid("Shop", numericId),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: shop.primaryDomainUrl,
    currencyCode: shop.currencyCode,
    enabledPresentmentCurrencies: [shop.currencyCode],
    ianaTimezone: shop.ianaTimezone,
    timezoneAbbreviation: "PST",
    timezoneOffset: "-0800",
    timezoneOffsetMinutes: -480,
    weightUnit: "GRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: shop.taxesIncluded,
    taxShipping: shop.taxRates.some((t) => t.shippingTaxable),
    checkoutApiSupported: true,
    setupRequired: false,
    description: `${shop.name} — outdoor gear and apparel.`,
    createdAt: shop.createdAt,
    updatedAt: shop.createdAt,
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    shopOwnerName: "Sim Owner",
    shipsToCountries: [...new Set(shop.shippingZones.flatMap((z) => z.countries))],
    primaryDomain: { __typename: "Domain", id: gid("Domain", numericId), host, url: shop.primaryDomainUrl, sslEnabled: true, localization: null, marketWebPresence: null },
    plan: isDevelopmentStore(shop) ? { displayName: "Development", publicDisplayName: "Development", partnerDevelopment: true, shopifyPlus: false } : { displayName: "Basic", publicDisplayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
    shopPolicies: shop.policies().map((p, i) => ({ __typename: "ShopPolicy", id: gid("ShopPolicy", numericId * 10 + i), ...p, createdAt: shop.createdAt, updatedAt: shop.createdAt })),
    billingAddress: address,
    shopAddress: address,
    alerts: [],
    metafield: () => null,
  };
}

// The merchant's feed settings: who sells, where, under which policies, and where GTINs come from.
// Stored as JSON on the shop; missing values are prefilled from what Shopify knows about the shop.
import { problem, type Problem } from "./problems";

export type GtinSource = "barcode" | "metafield";

export interface FeedSettings {
  sellerName: string;
  sellerUrl: string;
  storeCountry: string;
  targetCountries: string[];
  returnPolicyUrl: string;
  privacyPolicyUrl: string;
  termsOfServiceUrl: string;
  /** Days a buyer has to return; left out of the feed when null. */
  returnDeadlineDays: number | null;
  /** Used as `brand` when a product has no vendor. */
  brandFallback: string;
  gtinSource: GtinSource;
  /** "namespace.key" of a variant metafield holding the GTIN, when gtinSource is "metafield". */
  gtinMetafield: string;
  /** Offer products for checkout by agents, not only for search. */
  enableCheckout: boolean;
}

/** What Shopify tells us about the shop, used to prefill settings the merchant has not set. */
export interface ShopDefaults {
  name: string;
  primaryUrl: string | null;
  countryCode: string;
  /** Shop policy URLs keyed by Shopify's ShopPolicyType (REFUND_POLICY, PRIVACY_POLICY, TERMS_OF_SERVICE…). */
  policies: Record<string, string>;
}

export function defaultFeedSettings(shop: ShopDefaults): FeedSettings {
  return {
    sellerName: shop.name,
    sellerUrl: shop.primaryUrl ?? "",
    storeCountry: shop.countryCode,
    targetCountries: [shop.countryCode],
    returnPolicyUrl: shop.policies.REFUND_POLICY ?? "",
    privacyPolicyUrl: shop.policies.PRIVACY_POLICY ?? "",
    termsOfServiceUrl: shop.policies.TERMS_OF_SERVICE ?? "",
    returnDeadlineDays: null,
    brandFallback: "",
    gtinSource: "barcode",
    gtinMetafield: "custom.gtin",
    enableCheckout: true,
  };
}

/** Saved settings over the Shopify prefill; an empty saved value falls back to the prefill. */
export function resolveFeedSettings(savedJson: string | null | undefined, shop: ShopDefaults): FeedSettings {
  const defaults = defaultFeedSettings(shop);
  let saved: Partial<FeedSettings> = {};
  try {
    saved = JSON.parse(savedJson || "{}") as Partial<FeedSettings>;
  } catch {
    saved = {};
  }
  const pick = <K extends keyof FeedSettings>(key: K): FeedSettings[K] => {
    const v = saved[key];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) return defaults[key];
    return v as FeedSettings[K];
  };
  return {
    sellerName: pick("sellerName"),
    sellerUrl: pick("sellerUrl"),
    storeCountry: String(pick("storeCountry")).toUpperCase(),
    targetCountries: pick("targetCountries").map((c) => String(c).toUpperCase()),
    returnPolicyUrl: pick("returnPolicyUrl"),
    privacyPolicyUrl: pick("privacyPolicyUrl"),
    termsOfServiceUrl: pick("termsOfServiceUrl"),
    returnDeadlineDays: saved.returnDeadlineDays === undefined ? null : saved.returnDeadlineDays,
    brandFallback: saved.brandFallback ?? "",
    gtinSource: saved.gtinSource === "metafield" ? "metafield" : "barcode",
    gtinMetafield: saved.gtinMetafield || defaults.gtinMetafield,
    enableCheckout: saved.enableCheckout ?? true,
  };
}

export function isHttpUrl(value: string, requireHttps = false): boolean {
  try {
    const url = new URL(value);
    if (requireHttps) return url.protocol === "https:";
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const COUNTRY = /^[A-Z]{2}$/;
const METAFIELD = /^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64}$/;

export function parseGtinMetafield(value: string): { namespace: string; key: string } | null {
  if (!METAFIELD.test(value)) return null;
  const [namespace, key] = value.split(".");
  return { namespace, key };
}

/** Problems with the settings themselves; an "error" here keeps every product out of the feed. */
export function feedSettingsProblems(s: FeedSettings): Problem[] {
  const out: Problem[] = [];
  if (!s.sellerName.trim()) out.push(problem("missing_seller_name"));
  else if (s.sellerName.length > 70) out.push(problem("seller_name_too_long"));
  if (!s.sellerUrl.trim()) out.push(problem("missing_seller_url"));
  else if (!isHttpUrl(s.sellerUrl, true)) out.push(problem("invalid_seller_url"));
  if (!s.returnPolicyUrl.trim()) out.push(problem("missing_return_policy"));
  else if (!isHttpUrl(s.returnPolicyUrl)) out.push(problem("invalid_return_policy"));
  if (!s.privacyPolicyUrl.trim() || !isHttpUrl(s.privacyPolicyUrl)) out.push(problem("missing_privacy_policy"));
  if (!s.termsOfServiceUrl.trim() || !isHttpUrl(s.termsOfServiceUrl)) out.push(problem("missing_terms"));
  if (!COUNTRY.test(s.storeCountry)) out.push(problem("invalid_store_country"));
  if (s.targetCountries.length === 0 || !s.targetCountries.every((c) => COUNTRY.test(c))) out.push(problem("invalid_target_countries"));
  if (s.gtinSource === "metafield" && !parseGtinMetafield(s.gtinMetafield)) out.push(problem("invalid_gtin_metafield"));
  return out;
}

/** Checkout needs both policy links (acp.md §5.1: "R if checkout-eligible"). */
export function checkoutAllowed(s: FeedSettings): boolean {
  return s.enableCheckout && isHttpUrl(s.privacyPolicyUrl) && isHttpUrl(s.termsOfServiceUrl);
}

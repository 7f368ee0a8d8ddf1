// Money inside the catalog is an integer in minor units. Shopify sends decimal strings; the flat feed wants
// "79.99 USD". Both conversions live here and nowhere else (design.md, Conventions).

// ISO 4217 currencies whose minor unit is not 2 digits (the common ones Shopify supports).
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** "12.5" → 1250 (USD). Returns null for anything that is not a plain non-negative decimal. */
export function toMinorUnits(decimal: string | null | undefined, currency: string): number | null {
  if (decimal === null || decimal === undefined) return null;
  const m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(String(decimal));
  if (!m) return null;
  const exp = currencyExponent(currency);
  const frac = (m[2] ?? "").padEnd(exp + 1, "0");
  let minor = Number(m[1]) * 10 ** exp + (exp > 0 ? Number(frac.slice(0, exp)) : 0);
  // Round half up on the first dropped digit, as Shopify does.
  if (Number(frac[exp]) >= 5) minor += 1;
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 7999, "USD" → "79.99 USD", the flat feed's price format (acp.md §5.1). */
export function formatFeedPrice(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** exp);
  const frac = exp > 0 ? `.${String(abs % 10 ** exp).padStart(exp, "0")}` : "";
  return `${minor < 0 ? "-" : ""}${whole}${frac} ${currency.toUpperCase()}`;
}

/** "79.99 USD" → {minor: 7999, currency: "USD"}; null when the string is not in the feed format. */
export function parseFeedPrice(value: string): { minor: number; currency: string } | null {
  const m = /^(\d+(?:\.\d+)?) ([A-Z]{3})$/.exec(value);
  if (!m) return null;
  const minor = toMinorUnits(m[1], m[2]);
  return minor === null ? null : { minor, currency: m[2] };
}

// The flat feed's side of money: "79.99 USD" strings, and Shopify's decimals read leniently (a bad price is a
// problem shown to the merchant, not an exception). Exponents and exact arithmetic come from app/money.ts.
import { currencyExponent, decimalToMinor } from "../money";

/** "12.5" → 1250 (USD). Returns null for anything that is not a plain non-negative decimal. */
export function toMinorUnits(decimal: string | null | undefined, currency: string): number | null {
  if (decimal === null || decimal === undefined || !/^\s*\d+(?:\.\d*)?\s*$/.test(String(decimal))) return null;
  const minor = decimalToMinor(String(decimal).trim().replace(/\.$/, ""), currency);
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

// Shopify sends money as decimal strings ("12.50"); inside, money is an integer in the currency's minor units.
// The conversion is exact string arithmetic: more precision than the currency has is refused, never rounded.
import { currencyExponent } from "../money";

export function shopifyAmountToMinor(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, frac = ""] = match;
  const exp = currencyExponent(currency);
  if (/[1-9]/.test(frac.slice(exp))) throw new Error(`${text} has more decimals than ${currency.toUpperCase()} allows`);
  const digits = `${whole}${frac.slice(0, exp).padEnd(exp, "0")}`;
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) throw new Error(`Amount out of range: ${text}`);
  return sign && minor !== 0 ? -minor : minor;
}

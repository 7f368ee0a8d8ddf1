// Money is an integer in the currency's minor units everywhere inside the app; decimals exist only at the Shopify boundary
// (MoneyInput) and in the flat feed's "79.99 USD" strings (design.md, Conventions). The one place that knows exponents.

/** ISO 4217 currencies whose minor unit is not 2 digits. */
const EXPONENTS: Record<string, number> = {
  bif: 0, clp: 0, djf: 0, gnf: 0, isk: 0, jpy: 0, kmf: 0, krw: 0, pyg: 0, rwf: 0, ugx: 0, vnd: 0, vuv: 0, xaf: 0,
  xof: 0, xpf: 0, bhd: 3, iqd: 3, jod: 3, kwd: 3, lyd: 3, omr: 3, tnd: 3,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toLowerCase()] ?? 2;
}

/** "19.99" (a Shopify Decimal) → 1999 for USD; exact string arithmetic, never floats. */
export function decimalToMinor(amount: string, currency: string): number {
  const exp = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not a decimal amount: ${amount}`);
  const [, sign, whole, frac = ""] = match;
  const padded = (frac + "0".repeat(exp)).slice(0, exp);
  // Round half up on the first dropped digit (Shopify sends at most the currency's precision in practice).
  const roundUp = frac.length > exp && Number(frac[exp]) >= 5 ? 1 : 0;
  const minor = Number(whole) * 10 ** exp + (exp ? Number(padded) : 0) + roundUp;
  return sign ? -minor : minor;
}

/** 1999 → "19.99" for USD, for Shopify's MoneyInput. */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (exp === 0) return `${sign}${abs}`;
  const text = String(abs).padStart(exp + 1, "0");
  return `${sign}${text.slice(0, -exp)}.${text.slice(-exp)}`;
}

/** Splits `amount` over `weights` proportionally; the parts sum exactly to `amount` (largest remainder). */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (total <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const raw = weights.map((w) => (amount * w) / total);
  const parts = raw.map((r) => Math.floor(r));
  let rest = amount - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k].i] += 1;
  return parts;
}

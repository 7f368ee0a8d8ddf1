// Money is held as integer minor units of the shop's currency everywhere inside the simulator ("cents": yen for
// JPY, fils for KWD). Decimal strings ("12.50", "1500", "12.345") only appear at the GraphQL / webhook boundary.

export type Cents = number;

/** ISO 4217 minor-unit digits where they are not 2 (CurrencyCode values of the Admin schema). */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0,
  XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Decimal digits of a currency's minor unit (2 when not given). */
export function currencyExponent(currencyCode?: string | null): number {
  return currencyCode ? (EXPONENTS[currencyCode.toUpperCase()] ?? 2) : 2;
}

/** "12.5" | "12.50" | 12.5 -> 1250 (USD); "1500" -> 1500 (JPY). Rounds half up on the first dropped digit. Rejects garbage. */
export function toCents(value: string | number, currencyCode?: string | null): Cents {
  const exp = currencyExponent(currencyCode);
  const s = typeof value === "number" ? value.toFixed(exp + 1) : value.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`Invalid money amount: ${JSON.stringify(value)}`);
  const whole = Number(m[2] || "0");
  const fracDigits = (m[3] ?? "").padEnd(exp + 1, "0");
  let cents = whole * 10 ** exp + (exp ? Number(fracDigits.slice(0, exp)) : 0);
  if (Number(fracDigits[exp]) >= 5) cents += 1;
  return m[1] ? -cents : cents;
}

/** 1250 -> "12.50" (USD), 1500 -> "1500" (JPY), 12345 -> "12.345" (KWD): the currency's own decimals, as the REST
 * webhooks do (clients must parse, not compare strings). */
export function fromCents(cents: Cents, currencyCode?: string | null): string {
  const exp = currencyExponent(currencyCode);
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const unit = 10 ** exp;
  const s = exp === 0 ? String(abs) : `${Math.floor(abs / unit)}.${String(abs % unit).padStart(exp, "0")}`;
  return neg ? `-${s}` : s;
}

/** Multiply by a rate and round half-up to whole cents. */
export function applyRate(cents: Cents, rate: number): Cents {
  return Math.round(cents * rate + Number.EPSILON * Math.sign(cents));
}

/** Split `total` across `weights` proportionally; the rounding remainder goes to the largest weights,
 * so the parts always add up exactly to `total`. */
export function allocate(total: Cents, weights: number[]): Cents[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => [w, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k][1]] += 1;
  return parts;
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}
export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

export function moneyV2(cents: Cents, currencyCode: string): MoneyV2 {
  return { amount: fromCents(cents, currencyCode), currencyCode };
}

/** The simulator only supports single-currency shops: presentment money mirrors shop money. */
export function moneyBag(cents: Cents, currencyCode: string): MoneyBag {
  return { shopMoney: moneyV2(cents, currencyCode), presentmentMoney: moneyV2(cents, currencyCode) };
}

/** The tax inside a tax-inclusive amount, rounded half up: Tax = (Tax Rate × Price) / (1 + Tax Rate) (Shopify Help
 * Center, "Include taxes in product prices"). */
export function includedTax(cents: Cents, rate: number): Cents {
  return Math.round((cents * rate) / (1 + rate) + Number.EPSILON * Math.sign(cents));
}

// Money is held as integer minor units (cents) everywhere inside the simulator.
// Decimal strings ("12.50") only appear at the GraphQL / webhook boundary.

export type Cents = number;

/** "12.5" | "12.50" | 12.5 -> 1250. Rejects garbage with an Error. */
export function toCents(value: string | number): Cents {
  const s = typeof value === "number" ? value.toFixed(2) : value.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`Invalid money amount: ${JSON.stringify(value)}`);
  const whole = Number(m[2] || "0");
  const fracDigits = (m[3] ?? "").padEnd(3, "0");
  // Round half up on the third decimal, as Shopify does for 2-decimal currencies.
  let cents = whole * 100 + Number(fracDigits.slice(0, 2));
  if (Number(fracDigits[2]) >= 5) cents += 1;
  return m[1] ? -cents : cents;
}

/** 1250 -> "12.50". Always two decimals, as the REST webhooks do (clients must parse, not compare strings). */
export function fromCents(cents: Cents): string {
  const neg = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
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
  return { amount: fromCents(cents), currencyCode };
}

/** The simulator only supports single-currency shops: presentment money mirrors shop money. */
export function moneyBag(cents: Cents, currencyCode: string): MoneyBag {
  return { shopMoney: moneyV2(cents, currencyCode), presentmentMoney: moneyV2(cents, currencyCode) };
}

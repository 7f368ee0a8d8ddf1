// The app's money is an integer in the currency's ISO 4217 minor units (app/money.ts). Stripe's `amount` is "the
// smallest currency unit" with documented exceptions (docs.stripe.com/currencies, "Special cases";
// docs/decisions/0143). This file is the one place that converts between the two; the checkout never sees Stripe
// units. A total that Stripe cannot take exactly is refused, never rounded: the charge must equal the ACP total
// and the Shopify order. The reasons are plain enough to pass on to an agent (a checkout that Stripe could only take
// rounded is not offered for payment: PaymentGateway.canCharge).
import { minorToDecimal } from "../money";

/** ISO 4217 says 0 decimals, Stripe takes two ("to maintain backwards compatibility") and wants a multiple of 100. */
const STRIPE_TWO_DECIMAL_ISO_ZERO = new Set(["isk"]);
/** ISO 4217 says 2 decimals, Stripe lists the currency as zero-decimal: whole units only. */
const STRIPE_ZERO_DECIMAL_ISO_TWO = new Set(["mga"]);
/** Three-decimal currencies: Stripe takes thousandths but requires the last digit to be 0. */
const STRIPE_THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

export type StripeAmount = { ok: true; amount: number } | { ok: false; reason: string };

/** ISO minor units → the `amount` Stripe expects for this currency, or why Stripe cannot charge it exactly. */
export function toStripeAmount(minorIso: number, currency: string): StripeAmount {
  const c = currency.toLowerCase();
  if (!Number.isSafeInteger(minorIso) || minorIso <= 0) return { ok: false, reason: "the amount must be a positive integer in minor units" };
  if (STRIPE_TWO_DECIMAL_ISO_ZERO.has(c)) return { ok: true, amount: minorIso * 100 };
  if (STRIPE_ZERO_DECIMAL_ISO_TWO.has(c)) {
    return minorIso % 100 === 0 ? { ok: true, amount: minorIso / 100 } : { ok: false, reason: `Stripe charges ${c.toUpperCase()} in whole units only; ${shown(minorIso, c)} would have to be rounded` };
  }
  if (STRIPE_THREE_DECIMAL.has(c) && minorIso % 10 !== 0) {
    return { ok: false, reason: `Stripe charges ${c.toUpperCase()} only in multiples of 0.010; ${shown(minorIso, c)} would have to be rounded` };
  }
  return { ok: true, amount: minorIso };
}

const shown = (minorIso: number, c: string) => `${minorToDecimal(minorIso, c)} ${c.toUpperCase()}`;

/** Stripe's `amount` (of a charge we made) → ISO minor units. */
export function fromStripeAmount(stripeAmount: number, currency: string): number {
  const c = currency.toLowerCase();
  if (STRIPE_TWO_DECIMAL_ISO_ZERO.has(c)) return Math.trunc(stripeAmount / 100);
  if (STRIPE_ZERO_DECIMAL_ISO_TWO.has(c)) return stripeAmount * 100;
  return stripeAmount;
}

// Which request parameters a Stripe API version knows (docs/decisions/0140). Stripe validates the parameters of
// a request against the version in its `Stripe-Version` header (or the account's default), and answers a
// parameter that version does not have with 400 `parameter_unknown`, like any other unknown parameter.
//
// - Shared Payment Tokens are a preview feature: they exist only on `.preview` versions (GA versions such as
//   `2026-10-28.endive`, the one stripe-node 23.1.0 pins, do not have them). From `2026-04-22.preview` the token
//   goes in `payment_method_data[shared_payment_granted_token]` (Stripe changelog "Adds the Shared Payment
//   Granted Token…", dahlia/2026-04-22); earlier previews took a top-level `shared_payment_granted_token`.
// - `allowed_payment_method_types` appears in 2026-07-29 (stripe-node 22.4.0); `payment_method_types` is gone
//   from PaymentIntent create in the GA release 2026-09-30.endive (stripe-node 23.0.0, breaking change).

export interface ApiVersion {
  raw: string;
  /** YYYY-MM-DD: dated versions compare as text. */
  date: string;
  /** "preview" for the public preview channel, else the release name (endive, dahlia, …). */
  channel: string;
}

const NESTED_SPT_SINCE = "2026-04-22";
const ALLOWED_TYPES_SINCE = "2026-07-29";
const PAYMENT_METHOD_TYPES_REMOVED_GA = "2026-09-30";

export function parseApiVersion(raw: string): ApiVersion | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\.([a-z]+))?$/.exec(raw.trim());
  if (!m) return null;
  return { raw, date: m[1], channel: m[2] ?? "" };
}

export const isPreview = (v: ApiVersion) => v.channel === "preview";

/** Where this version takes the SPT on PaymentIntent create, or null when it has no SPT parameter at all. */
export function sptParameterOf(v: ApiVersion): "payment_method_data" | "top_level" | null {
  if (!isPreview(v)) return null;
  return v.date >= NESTED_SPT_SINCE ? "payment_method_data" : "top_level";
}

/** Parameters of POST /v1/payment_intents that this version does not know. */
export function unknownPaymentIntentParams(v: ApiVersion): string[] {
  const out: string[] = [];
  const spt = sptParameterOf(v);
  if (spt !== "payment_method_data") out.push("payment_method_data[shared_payment_granted_token]");
  if (spt !== "top_level") out.push("shared_payment_granted_token");
  if (v.date < ALLOWED_TYPES_SINCE) out.push("allowed_payment_method_types");
  if (!isPreview(v) && v.date >= PAYMENT_METHOD_TYPES_REMOVED_GA) out.push("payment_method_types");
  return out;
}

// The going-live checklist's Stripe check (docs/decisions/0144): can this shop's Stripe account take Shared Payment
// Tokens? Two reads against Stripe (checkSharedPaymentTokens), remembered per shop and key for a while so Home does
// not ask Stripe on every visit. Hand-off shops and shops without a key are not asked.
import type { Shop } from "@prisma/client";
import { decryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { checkSharedPaymentTokens, type SharedPaymentReadiness } from "./stripe-gateway.server";
import { boundedCache } from "../bounded-cache";

const TTL_MS = 10 * 60_000;
// One entry per shop and key; a rotated key leaves its old entry to age out.
const cache = boundedCache<string, { at: number; result: SharedPaymentReadiness }>({ maxEntries: 1_000, maxAgeMs: TTL_MS });

export async function sharedPaymentReadinessFor(
  shop: Pick<Shop, "id" | "checkoutMode" | "stripeSecretKeyEnc">,
  options: { apiBase?: string; now?: () => number } = {},
): Promise<SharedPaymentReadiness | undefined> {
  if (shop.checkoutMode === "handoff" || !shop.stripeSecretKeyEnc) return undefined;
  const now = options.now ?? Date.now;
  const cacheKey = `${shop.id} ${shop.stripeSecretKeyEnc}`; // a new key is checked at once
  const hit = cache.get(cacheKey);
  if (hit && now() - hit.at < TTL_MS) return hit.result;
  let result: SharedPaymentReadiness;
  try {
    const secretKey = decryptSecret(shop.stripeSecretKeyEnc, shopSecret("stripeSecretKeyEnc", shop.id));
    result = await checkSharedPaymentTokens({ secretKey, apiBase: options.apiBase ?? process.env.STRIPE_API_BASE, timeoutMs: 5_000 });
  } catch {
    result = { kind: "unknown", detail: "The stored Stripe key could not be read." };
  }
  if (result.kind !== "unknown") cache.set(cacheKey, { at: now(), result }); // an outage is asked again next time
  return result;
}

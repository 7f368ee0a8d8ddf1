// The exact keys a GDPR request is matched on (docs/decisions/0105): never a LIKE over JSON text.
import { createHash } from "node:crypto";

/** Emails compare lower-cased and trimmed, nothing else (no dot or plus folding: those can be different people). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** sha256 hex of the normalised email: stored on the session so a request matches exactly that buyer. */
export function buyerEmailHash(email: string | null | undefined): string | null {
  if (!email || !email.trim()) return null;
  return createHash("sha256").update(`buyer-email:${normaliseEmail(email)}`, "utf8").digest("hex");
}

/** Shopify's numeric customer id, as the orders/* webhooks and the compliance payloads give it. */
export function shopifyCustomerIdOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) return value;
  if (typeof value === "string") return /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(value)?.[1] ?? null;
  return null;
}

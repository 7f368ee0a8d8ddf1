// Request signatures from the agent (acp.md §2.3; docs/decisions/0027). The spec leaves algorithm, key and
// canonicalisation open, so verification is an interface; the first implementation is HMAC-SHA256 with a
// shared secret over `<Timestamp>.<raw body>`, the Signature in base64url, base64 or hex, Timestamp ±300 s.
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureVerifier {
  readonly algorithm: string;
  verify(input: { rawBody: string; signature: string | null; timestamp: string | null; now: Date }): SignatureCheck;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** RFC 3339 or Unix seconds → epoch milliseconds, or NaN. */
export function parseTimestamp(value: string): number {
  const trimmed = value.trim();
  if (/^\d{9,11}$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) return Number.NaN;
  return Date.parse(trimmed);
}

export function hmacSha256Signature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${rawBody}`, "utf8").digest("base64url");
}

function decodeSignature(value: string): Buffer[] {
  const v = value.trim().replace(/^(v1=|sha256=)/, "");
  const candidates: Buffer[] = [];
  if (/^[0-9a-f]{64}$/i.test(v)) candidates.push(Buffer.from(v, "hex"));
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(v)) candidates.push(Buffer.from(v, "base64url"));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(v)) candidates.push(Buffer.from(v, "base64"));
  return candidates;
}

export function createHmacSha256Verifier(secret: string, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureVerifier {
  return {
    algorithm: "hmac-sha256",
    verify({ rawBody, signature, timestamp, now }) {
      if (!signature) return { ok: false, reason: "The Signature header is required for this store." };
      if (!timestamp) return { ok: false, reason: "The Timestamp header is required with a Signature." };
      const at = parseTimestamp(timestamp);
      if (Number.isNaN(at)) return { ok: false, reason: "The Timestamp header is not an RFC 3339 time." };
      if (Math.abs(now.getTime() - at) > toleranceSeconds * 1000) return { ok: false, reason: "The Timestamp is outside the accepted window." };
      const expected = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`, "utf8").digest();
      const matches = decodeSignature(signature).some((given) => given.length === expected.length && timingSafeEqual(given, expected));
      return matches ? { ok: true } : { ok: false, reason: "The Signature does not match the request." };
    },
  };
}

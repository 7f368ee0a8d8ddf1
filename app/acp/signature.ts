// Request signatures from the agent (acp.md §2.3; docs/decisions/0027, 0110). The spec leaves algorithm, key and
// canonicalisation open, so verification is an interface. The implementation is HMAC-SHA256 with the shop's
// shared secret over a canonical string that binds the whole request — method, path with query, Idempotency-Key,
// API-Version, Timestamp and a SHA-256 digest of the raw body — so a signature is good for exactly one request.
// Each accepted signature is remembered for the window (a replay guard), so it is good exactly once.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_SCHEME = "v2";

/** The parts of a request a signature covers. */
export interface SignedRequest {
  method: string;
  /** Path and query as the app received them, e.g. `/acp/checkout_sessions/cs_1?x=1`. */
  path: string;
  idempotencyKey: string | null;
  apiVersion: string | null;
  timestamp: string;
  rawBody: string;
}

export type SignatureCheck =
  | { ok: true; /** Names this signature for the replay guard (the MAC itself, hashed). */ replayId: string; /** Until when a replay must be refused. */ replayUntil: Date }
  | { ok: false; reason: string };

export interface SignatureVerifier {
  readonly algorithm: string;
  verify(input: Omit<SignedRequest, "timestamp"> & { signature: string | null; timestamp: string | null; now: Date }): SignatureCheck;
}

/** Remembers used signatures: `firstUse` is true exactly once per (shop, replayId). */
export interface ReplayGuard {
  firstUse(input: { shopId: string; replayId: string; until: Date; now: Date }): Promise<boolean>;
}

/** How old a Timestamp may be (seconds). */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** How far ahead of our clock a Timestamp may be (seconds): clock skew, not a second window. */
export const DEFAULT_FUTURE_SKEW_SECONDS = 60;

/** RFC 3339 or Unix seconds → epoch milliseconds, or NaN. */
export function parseTimestamp(value: string): number {
  const trimmed = value.trim();
  if (/^\d{9,11}$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) return Number.NaN;
  return Date.parse(trimmed);
}

/**
 * The string the agent signs, one field per line:
 * `v2`, METHOD, path?query, Idempotency-Key (or empty), API-Version (or empty), Timestamp, sha256 hex of the body.
 */
export function canonicalRequest(r: SignedRequest): string {
  const digest = createHash("sha256").update(r.rawBody, "utf8").digest("hex");
  return [SIGNATURE_SCHEME, r.method.toUpperCase(), r.path, r.idempotencyKey ?? "", r.apiVersion ?? "", r.timestamp, digest].join("\n");
}

/** The `Signature` header value for a request: `v2=<base64url HMAC-SHA256>`. */
export function signRequest(secret: string, r: SignedRequest): string {
  return `${SIGNATURE_SCHEME}=${createHmac("sha256", secret).update(canonicalRequest(r), "utf8").digest("base64url")}`;
}

/**
 * The signatures a `Signature` header carries: `v2=<sig>` entries (comma-separated, so an agent can send one per
 * secret while rotating) or one bare value (acp.md: "base64url-encoded detached signature"), read as v2. A `v1=`
 * entry (the retired `<Timestamp>.<body>` scheme) or any other scheme is not ours and is skipped.
 */
function signaturesIn(header: string): { values: string[]; otherScheme: boolean } {
  const values: string[] = [];
  let otherScheme = false;
  for (const part of header.split(",").map((p) => p.trim()).filter(Boolean)) {
    // `name=value`; a bare base64 value has `=` only as trailing padding, so it never matches.
    const scheme = /^([A-Za-z][A-Za-z0-9_-]*)=([^=].*)$/.exec(part);
    if (scheme) {
      if (scheme[1].toLowerCase() === SIGNATURE_SCHEME) values.push(scheme[2]);
      else otherScheme = true;
    } else {
      values.push(part);
    }
  }
  return { values, otherScheme };
}

function decodeSignature(value: string): Buffer[] {
  const v = value.trim();
  const candidates: Buffer[] = [];
  if (/^[0-9a-f]{64}$/i.test(v)) candidates.push(Buffer.from(v, "hex"));
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(v)) candidates.push(Buffer.from(v, "base64url"));
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(v)) candidates.push(Buffer.from(v, "base64"));
  return candidates;
}

export function createHmacSha256Verifier(
  secret: string,
  options: { toleranceSeconds?: number; futureSkewSeconds?: number } = {},
): SignatureVerifier {
  const past = (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  const future = (options.futureSkewSeconds ?? DEFAULT_FUTURE_SKEW_SECONDS) * 1000;
  return {
    algorithm: "hmac-sha256",
    verify({ signature, timestamp, now, ...request }) {
      if (!signature) return { ok: false, reason: "The Signature header is required for this store." };
      if (!timestamp) return { ok: false, reason: "The Timestamp header is required with a Signature." };
      const at = parseTimestamp(timestamp);
      if (Number.isNaN(at)) return { ok: false, reason: "The Timestamp header is not an RFC 3339 time." };
      const age = now.getTime() - at;
      if (age > past || -age > future) return { ok: false, reason: "The Timestamp is outside the accepted window." };
      const { values, otherScheme } = signaturesIn(signature);
      if (values.length === 0) {
        return { ok: false, reason: otherScheme ? `Sign requests with the ${SIGNATURE_SCHEME} scheme (method, path, Idempotency-Key, API-Version, Timestamp and body digest).` : "The Signature header is empty." };
      }
      const expected = createHmac("sha256", secret).update(canonicalRequest({ ...request, timestamp }), "utf8").digest();
      const matches = values.some((value) => decodeSignature(value).some((given) => given.length === expected.length && timingSafeEqual(given, expected)));
      if (!matches) return { ok: false, reason: "The Signature does not match the request." };
      return { ok: true, replayId: createHash("sha256").update(expected).digest("hex"), replayUntil: new Date(at + past) };
    },
  };
}

// Idempotency as ACP 2026-04-17 specifies it (acp.md §2.4; docs/decisions/0024, 0025, 0113): the key is scoped
// to the authenticated identity — the shop and the agent key — and the method+path; the body's RFC 8785 canonical JSON is fingerprinted; same key + same body replays
// the stored status and body; a different body is 422; a request still running is 409 with Retry-After;
// a 5xx is never stored; records live 24 hours.
import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";

const canonicalize = ((canonicalizeModule as unknown as { default?: unknown }).default ?? canonicalizeModule) as (value: unknown) => string | undefined;

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a claimed key blocks others before a crashed request's claim can be taken over. */
export const IN_FLIGHT_LOCK_MS = 30_000;

export type ClaimResult =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "conflict" }
  | { kind: "in_flight"; retryAfterSeconds: number };

export interface IdempotencyClaim {
  shopId: string;
  /** The agent key that presented it: two agents of one shop never share a key's response (0113). */
  agentKeyId: string;
  scope: string; // "POST /checkout_sessions/cs_…"
  key: string;
  fingerprint: string;
  now: Date;
}

export interface IdempotencyStore {
  /** Atomically claims the key, or reports what happened to it before (insert-first: one winner). */
  claim(claim: IdempotencyClaim): Promise<ClaimResult>;
  /** Stores the response of a claimed key; replays return exactly this. */
  complete(claim: Pick<IdempotencyClaim, "shopId" | "agentKeyId" | "scope" | "key">, status: number, body: string): Promise<void>;
  /** Forgets a claimed key (the request failed with a 5xx): a retry runs afresh. */
  release(claim: Pick<IdempotencyClaim, "shopId" | "agentKeyId" | "scope" | "key">): Promise<void>;
}

/** SHA-256 of the RFC 8785 canonical form: key order and `1.0` vs `1` do not matter; null ≠ absent. */
export function fingerprint(body: unknown): string {
  const canonical = canonicalize(body ?? null) ?? "null";
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

/** 1–255 printable ASCII characters (acp.md §2.2). */
export function isValidIdempotencyKey(key: string): boolean {
  return key.length >= 1 && key.length <= 255 && /^[\x21-\x7e]+$/.test(key);
}

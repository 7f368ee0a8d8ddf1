// ACP 2026-04-17 order webhooks (merchant → agent): `Merchant-Signature: t=<unix>,v1=<hex>` where
// v1 = HMAC-SHA256(secret, `${t}.${rawBody}`); receivers reject outside a 300 s window (acp.md §3, PR #160).
import { createHmac, timingSafeEqual } from "node:crypto";

export const MERCHANT_SIGNATURE_HEADER = "Merchant-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signMerchantPayload(rawBody: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

/** The receiver's side, as an agent platform implements it; used by sim/agent and the tests. */
export function verifyMerchantSignature(
  header: string | null | undefined,
  rawBody: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: "missing" };
  const match = /^t=(\d+),v1=([a-fA-F0-9]{64})$/.exec(header.trim());
  if (!match) return { ok: false, reason: "malformed" };
  const t = Number(match[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signMerchantPayload(rawBody, secret, t).split("v1=")[1], "hex");
  const given = Buffer.from(match[2], "hex");
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: "mismatch" };
}

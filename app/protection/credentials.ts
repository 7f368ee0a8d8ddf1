// The agent's credential, read once: `Authorization: Bearer <key>`, the scheme in any case, surrounding
// whitespace ignored (RFC 9110 §11.1: auth schemes are case-insensitive). Everything that keys on the key —
// authentication and every limit — uses this one parse, so `bearer  <key> ` is the same caller as `Bearer <key>`.
import { createHash } from "node:crypto";

const BEARER = /^\s*bearer[ \t]+(\S{8,512})\s*$/i;

/** The presented token, or null when the header is absent or not a well-formed Bearer credential. */
export function parseBearer(header: string | null | undefined): string | null {
  if (!header) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/** What limits and caches key on: never the token itself. */
export function tokenKey(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

// Secrets at rest: agent API keys and feed tokens are stored as SHA-256 hashes and compared in constant time;
// secrets the app must use later (Stripe key, webhook and signature secrets, feed tokens, Shopify access tokens,
// data-request exports) are encrypted with AES-256-GCM under a keyring (docs/decisions/0108).
//
// Format: `v2.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts). The associated data is
// `<table>.<column>:<row id>`, so a ciphertext copied to another column or row does not decrypt.
// `v1.<iv>.<tag>.<ciphertext>` (no key id, no associated data) is still read until `npm run secrets:reencrypt`.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v2";
const LEGACY_VERSION = "v1";

/** The keyring variable: `kid:key,kid:key`, the first key is the one new ciphertexts are written with. */
export const ENCRYPTION_KEYS_ENV = "APP_ENCRYPTION_KEYS";
/** The single-key variable of earlier releases; alone, it is the keyring `k0:<value>`. */
export const ENCRYPTION_KEY_ENV = "APP_ENCRYPTION_KEY";
/** The key id APP_ENCRYPTION_KEY gets when it is used alone. */
export const SINGLE_KEY_ID = "k0";
const DEVELOPMENT_KEY_ID = "dev";
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Where a ciphertext lives: its table, column and row id. Bound as associated data. */
export interface SecretLocation {
  table: string;
  column: string;
  row: string;
}

export interface Keyring {
  /** The key id new ciphertexts are written with. */
  current: string;
  keys: Map<string, Buffer>;
  /** True when no key is configured and the fixed development key is in use (never in production). */
  development: boolean;
}

export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

/** A 32-byte key from base64 (or any passphrase, hashed to 32 bytes, as APP_ENCRYPTION_KEY always accepted). */
function keyBytes(raw: string): Buffer {
  const decoded = Buffer.from(raw, "base64");
  return decoded.length === 32 ? decoded : createHash("sha256").update(raw).digest();
}

/**
 * Reads the keyring from the environment. Throws (naming the variable, never a key) when it is malformed, or when
 * nothing is set in production. Exported for configuration checks.
 */
export function parseKeyring(env: NodeJS.ProcessEnv = process.env): Keyring {
  const ring = env[ENCRYPTION_KEYS_ENV]?.trim();
  const single = env[ENCRYPTION_KEY_ENV];
  const keys = new Map<string, Buffer>();
  if (ring) {
    for (const entry of ring.split(",").map((s) => s.trim()).filter(Boolean)) {
      const colon = entry.indexOf(":");
      const kid = colon > 0 ? entry.slice(0, colon) : "";
      const value = colon > 0 ? entry.slice(colon + 1) : "";
      if (!KID_PATTERN.test(kid) || !value) throw new Error(`${ENCRYPTION_KEYS_ENV}: each entry must be <key id>:<base64 key>, key ids of letters, digits, - and _`);
      if (keys.has(kid)) throw new Error(`${ENCRYPTION_KEYS_ENV}: key id "${kid}" appears twice`);
      keys.set(kid, keyBytes(value));
    }
    if (keys.size === 0) throw new Error(`${ENCRYPTION_KEYS_ENV} is set but holds no key`);
    return { current: keys.keys().next().value as string, keys, development: false };
  }
  if (single) return { current: SINGLE_KEY_ID, keys: new Map([[SINGLE_KEY_ID, keyBytes(single)]]), development: false };
  if (env.NODE_ENV === "production") throw new Error(`${ENCRYPTION_KEYS_ENV} (or ${ENCRYPTION_KEY_ENV}) must be set in production`);
  return { current: DEVELOPMENT_KEY_ID, keys: new Map([[DEVELOPMENT_KEY_ID, createHash("sha256").update("agentic-checkout-development-key").digest()]]), development: true };
}

let cached: { signature: string; ring: Keyring } | undefined;

/** The keyring in force, re-read when the variables change (tests rotate keys in process). */
export function keyring(): Keyring {
  const signature = `${process.env[ENCRYPTION_KEYS_ENV] ?? ""}\u0000${process.env[ENCRYPTION_KEY_ENV] ?? ""}\u0000${process.env.NODE_ENV ?? ""}`;
  if (cached?.signature !== signature) cached = { signature, ring: parseKeyring(process.env) };
  return cached.ring;
}

export function associatedData(where: SecretLocation): Buffer {
  if (!where.row) throw new Error(`No row id for ${where.table}.${where.column}: a ciphertext must be bound to its row`);
  return Buffer.from(`${where.table}.${where.column}:${where.row}`, "utf8");
}

/** `v2.<kid>.<iv>.<tag>.<ciphertext>` under the current key, bound to its table, column and row. */
export function encryptSecret(plain: string, where: SecretLocation): string {
  const ring = keyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, ring.keys.get(ring.current)!, iv);
  cipher.setAAD(associatedData(where));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, ring.current, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

function open(key: Buffer, iv: string, tag: string, body: string, aad?: Buffer): string {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export function decryptSecret(sealed: string, where: SecretLocation): string {
  const parts = sealed.split(".");
  const ring = keyring();
  if (parts[0] === VERSION && parts.length === 5) {
    const [, kid, iv, tag, body] = parts as [string, string, string, string, string];
    const key = ring.keys.get(kid);
    if (!key) throw new SecretDecryptionError(`${where.table}.${where.column}: no key "${kid.slice(0, 32)}" in the keyring`);
    try {
      return open(key, iv, tag, body, associatedData(where));
    } catch {
      throw new SecretDecryptionError(`${where.table}.${where.column}: ciphertext does not authenticate for this row (tampered, moved or wrong key)`);
    }
  }
  if (parts[0] === LEGACY_VERSION && parts.length === 4) {
    // v1 carries no key id: the GCM tag tells which key of the ring wrote it (docs/decisions/0108).
    const [, iv, tag, body] = parts as [string, string, string, string];
    for (const key of ring.keys.values()) {
      try {
        return open(key, iv, tag, body);
      } catch {
        // try the next key
      }
    }
    throw new SecretDecryptionError(`${where.table}.${where.column}: no key in the keyring opens this v1 ciphertext`);
  }
  throw new SecretDecryptionError(`${where.table}.${where.column}: unrecognised secret format`);
}

export function decryptOptional(sealed: string | null | undefined, where: SecretLocation): string | null {
  return sealed ? decryptSecret(sealed, where) : null;
}

/** Whether a stored value is one of our ciphertexts (any version), as opposed to a legacy plaintext value. */
export function isSealed(value: string): boolean {
  const parts = value.split(".");
  return (parts[0] === VERSION && parts.length === 5) || (parts[0] === LEGACY_VERSION && parts.length === 4);
}

/** Whether a ciphertext is already in the current format under the current key (the re-encrypt command skips it). */
export function isCurrent(sealed: string): boolean {
  const parts = sealed.split(".");
  return parts[0] === VERSION && parts.length === 5 && parts[1] === keyring().current;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Constant-time comparison of two strings (hex digests, signatures). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A random token with a readable prefix, e.g. `acp_live_…`. */
export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

// Every encrypted column in the database, and where each ciphertext is bound (docs/decisions/0108).
// The re-encrypt command walks this list; a new encrypted column must be added here.
import type { SecretLocation } from "./secrets.server";

export const SHOP_SECRET_COLUMNS = ["stripeSecretKeyEnc", "orderWebhookSecretEnc", "signatureSecretEnc", "feedTokenEnc", "feedPushKeyEnc"] as const;
export type ShopSecretColumn = (typeof SHOP_SECRET_COLUMNS)[number];

export const SESSION_TOKEN_COLUMNS = ["accessToken", "refreshToken"] as const;
export type SessionTokenColumn = (typeof SESSION_TOKEN_COLUMNS)[number];

export interface EncryptedColumn {
  table: "Shop" | "Session" | "ComplianceRequest";
  column: string;
  /** Rows written before this column was encrypted hold plaintext (Shopify's session tokens). */
  plaintextLegacy?: boolean;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  ...SHOP_SECRET_COLUMNS.map((column) => ({ table: "Shop" as const, column })),
  ...SESSION_TOKEN_COLUMNS.map((column) => ({ table: "Session" as const, column, plaintextLegacy: true })),
  { table: "ComplianceRequest", column: "exportEnc" },
];

/** A shop secret is bound to the shop's id. */
export function shopSecret(column: ShopSecretColumn, shopId: string): SecretLocation {
  return { table: "Shop", column, row: shopId };
}

/** A Shopify session token is bound to the session id (e.g. `offline_<shop>.myshopify.com`). */
export function sessionToken(column: SessionTokenColumn, sessionId: string): SecretLocation {
  return { table: "Session", column, row: sessionId };
}

/** A data-request export is bound to its ComplianceRequest id (generated before the insert). */
export function complianceExport(requestId: string): SecretLocation {
  return { table: "ComplianceRequest", column: "exportEnc", row: requestId };
}

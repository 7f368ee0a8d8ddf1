// The unguessable per-shop feed URL token: shown to the merchant (kept encrypted), looked up by its hash.
import type { Db } from "../db/catalog.server";
import { decryptOptional, encryptSecret, randomToken, sha256Hex } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";

export function feedTokenHash(token: string): string {
  return sha256Hex(`feed:${token}`);
}

/** A new token replaces the old one: the old URLs stop working at once. */
export async function rotateFeedToken(db: Db, shopId: string): Promise<string> {
  const token = randomToken("f_", 24);
  await db.shop.update({ where: { id: shopId }, data: { feedTokenHash: feedTokenHash(token), feedTokenEnc: encryptSecret(token, shopSecret("feedTokenEnc", shopId)) } });
  return token;
}

/** The shop's token, creating one on first use. */
export async function feedTokenFor(db: Db, shop: { id: string; feedTokenEnc: string | null }): Promise<string> {
  return decryptOptional(shop.feedTokenEnc, shopSecret("feedTokenEnc", shop.id)) ?? rotateFeedToken(db, shop.id);
}

export async function shopForFeedToken(db: Db, token: string) {
  if (!/^f_[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return db.shop.findUnique({ where: { feedTokenHash: feedTokenHash(token) } });
}

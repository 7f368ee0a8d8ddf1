// The unguessable per-shop feed URL token: shown to the merchant (kept encrypted), looked up by its hash.
import type { Db } from "../db/catalog.server";
import { decryptOptional, encryptSecret, randomToken, sha256Hex } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { rawSql } from "../db/sql.server";

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

/** What the feed route needs of a shop, and the feed's current version, read by its token in one statement. */
export interface FeedTokenShop {
  id: string;
  name: string;
  countryCode: string;
  primaryUrl: string | null;
  policiesJson: string;
  feedSettingsJson: string;
  updatedAt: Date;
  /** Eligible rows and the latest change to any row: what identifies the feed's content (with the settings). */
  eligible: number;
  lastChange: Date | null;
}

const FEED_TOKEN_READ = `SELECT s."id", s."name", s."countryCode", s."primaryUrl", s."policiesJson", s."feedSettingsJson", s."updatedAt",
  (SELECT COUNT(*) FROM "CatalogItem" c WHERE c."shopId"=s."id" AND c."eligible"=TRUE AND c."deletedAt" IS NULL) AS "eligible",
  (SELECT MAX(c."syncedAt") FROM "CatalogItem" c WHERE c."shopId"=s."id") AS "lastChange"
FROM "Shop" s WHERE s."feedTokenHash"=? AND s."uninstalledAt" IS NULL`;

/**
 * The installed shop a feed token belongs to, with the feed's version, or null. One round trip per request, so
 * a rotated token stops working at once on every instance (nothing cached). The lookup is by SHA-256 of the
 * token: how long it takes depends on the hash, not on how much of a valid token a caller has guessed.
 */
export async function feedForToken(db: Db, token: string): Promise<FeedTokenShop | null> {
  if (!/^f_[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const rows = await rawSql(db).query<Array<Record<string, unknown>>>(FEED_TOKEN_READ, feedTokenHash(token));
  const r = rows[0];
  if (!r) return null;
  const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string | number));
  return {
    id: String(r.id),
    name: String(r.name),
    countryCode: String(r.countryCode),
    primaryUrl: (r.primaryUrl as string | null) ?? null,
    policiesJson: String(r.policiesJson),
    feedSettingsJson: String(r.feedSettingsJson),
    updatedAt: date(r.updatedAt) ?? new Date(0),
    eligible: Number(r.eligible ?? 0),
    lastChange: date(r.lastChange),
  };
}

// What happens when a shop installs the app (or the demo installs it on the simulated shop).
import type { PrismaClient, Shop } from "@prisma/client";
import type { AdminClient } from "../shopify/admin-client";
import { SHOP_DETAILS_QUERY, type ShopDetails } from "../shopify/documents/shop";

/** Reads the shop's details from Shopify and records them; idempotent, so re-installs and refreshes reuse it. */
export async function recordShop(db: PrismaClient, admin: AdminClient): Promise<Shop> {
  const { shop } = await admin.request<ShopDetails>(SHOP_DETAILS_QUERY);
  const policies = Object.fromEntries(shop.shopPolicies.map((p) => [p.type, p.url]));
  const data = {
    name: shop.name,
    email: shop.email,
    currencyCode: shop.currencyCode,
    countryCode: shop.shopAddress?.countryCodeV2 ?? "US",
    primaryUrl: shop.primaryDomain?.url ?? null,
    policiesJson: JSON.stringify(policies),
    uninstalledAt: null,
  };
  return db.shop.upsert({ where: { domain: admin.shop }, create: { domain: admin.shop, ...data }, update: data });
}

/** The afterAuth hook: record the shop, then start the first catalog sync in the background. */
export async function onShopInstalled(shopDomain: string, _accessToken: string): Promise<void> {
  const { services } = await import("../services.server");
  const admin = await services.adminFor(shopDomain);
  const shop = await recordShop(services.db, admin);
  await services.afterInstall(shop);
}

// The shop behind an admin page request: Shopify's embedded auth, or the demo shop in demo mode.
import type { Shop } from "@prisma/client";
import { authenticate } from "./shopify.server";
import { config } from "./config.server";
import { services } from "./services.server";
import type { AdminClient } from "./shopify/admin-client";
import { recordShop } from "./shop/install.server";

export interface AdminContext {
  shopDomain: string;
  shop: Shop;
  admin: AdminClient;
  /** True when the page is served outside Shopify's admin (demo mode only). */
  demo: boolean;
}

export async function requireAdmin(request: Request): Promise<AdminContext> {
  const shopDomain = config.demoShop ?? (await authenticate.admin(request)).session.shop;
  const admin = await services.adminFor(shopDomain);
  const shop = (await services.db.shop.findUnique({ where: { domain: shopDomain } })) ?? (await recordShop(services.db, admin));
  return { shopDomain, shop, admin, demo: Boolean(config.demoShop) };
}

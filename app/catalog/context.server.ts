// Builds a CatalogContext for a shop domain from the app's services (webhooks and jobs have only the domain).
import type { Db } from "../db/catalog.server";
import type { AdminClient } from "../shopify/admin-client";
import type { CatalogContext } from "./service.server";

export interface CatalogServices {
  db: Db;
  adminFor(shopDomain: string): Promise<AdminClient>;
}

/** Null when the shop is unknown or uninstalled: its webhooks change nothing. */
export async function catalogContextFor(services: CatalogServices, shopDomain: string): Promise<CatalogContext | null> {
  const shop = await services.db.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop || shop.uninstalledAt) return null;
  return { db: services.db, shop, admin: await services.adminFor(shopDomain) };
}

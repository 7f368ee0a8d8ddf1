// The composition root: builds the app's adapters once and hands them to routes. Routes stay thin;
// nothing below app/ reaches for these singletons itself (docs/decisions/0001).
import type { Shop } from "@prisma/client";
import db from "./db.server";
import { config } from "./config.server";
import { unauthenticated } from "./shopify.server";
import { createAdminClient, type AdminClient } from "./shopify/admin-client";

/** An Admin GraphQL client for a shop, from its offline session (refreshed by shopify-app-remix when it expires). */
async function adminFor(shopDomain: string): Promise<AdminClient> {
  const { session } = await unauthenticated.admin(shopDomain);
  if (!session.accessToken) throw new Error(`No offline access token for ${shopDomain}`);
  return createAdminClient({ shop: shopDomain, accessToken: session.accessToken, urlTemplate: config.adminUrlTemplate });
}

async function afterInstall(_shop: Shop): Promise<void> {
  // The catalog sync is wired here once the catalog module lands.
}

export const services = { db, config, adminFor, afterInstall };
export type Services = typeof services;

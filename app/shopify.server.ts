import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { EncryptedSessionStorage } from "./security/session-storage.server";
import db from "./db.server";
import { ADMIN_API_VERSION } from "./shopify/admin-client";
import { config } from "./config.server";

// API version 2026-10: newer than the enum shipped with shopify-api 13.1, which accepts the string (shopify.md §0.6).
export const apiVersion = ADMIN_API_VERSION as ApiVersion;

const shopify = shopifyApp({
  apiKey: config.shopifyApiKey,
  apiSecretKey: config.shopifyApiSecret,
  apiVersion,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  // Offline access and refresh tokens encrypted at rest (docs/decisions/0109).
  sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(db)),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      // Imported lazily: the install flow is the only caller and it keeps this module light.
      const { onShopInstalled } = await import("./shop/install.server");
      await onShopInstalled(session.shop, session.accessToken ?? "");
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

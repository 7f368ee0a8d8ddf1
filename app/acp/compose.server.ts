// Proposed composition for the lead's services.server.ts: Prisma stores + Shopify adapters wired into the
// framework-free ACP handler. `adapters` lets tests and the demo swap the store's ports without module mocks.
import type { CatalogReader, Clock, Pricer, ShopProfile } from "../checkout/ports";
import type { LinkType, PolicyLink } from "../checkout/model";
import { CheckoutService } from "../checkout/service";
import { createPrismaSessionStore } from "../db/checkout-sessions.server";
import { createPrismaIdempotencyStore } from "../db/idempotency.server";
import { createAgentKeyRepository } from "../db/agent-keys.server";
import { createSnapshotCatalogReader } from "../db/catalog-snapshot-reader.server";
import { decryptOptional } from "../security/secrets.server";
import { createShopifyCatalogReader, type OptInPolicy } from "../shopify/catalog-reader";
import { createShopifyPricer } from "../shopify/pricer";
import type { AdminClient } from "../shopify/admin-client";
import { isSelected, parseSelectionRule } from "../catalog/selection";
import { createAcpHandler, type AcpLogger, type AgentContext } from "./handler";
import { createHmacSha256Verifier } from "./signature";
import { discoveryResponse } from "./discovery";
import { randomBytes } from "node:crypto";

type Db = Parameters<typeof createPrismaSessionStore>[0];

export interface ComposeAcpOptions {
  db: Db;
  adminFor: (shopDomain: string) => Promise<AdminClient>;
  clock?: Clock;
  logger?: AcpLogger;
  basePath?: string;
  /** Public origin of the app, for the discovery document (e.g. config.appUrl). */
  appUrl?: string;
  /** How long a resolved agent key is trusted without a database read (default 5 s; 0 in tests that revoke). */
  authCacheMs?: number;
  /** Replace the Shopify adapters (tests, demo). */
  adapters?: (shop: ShopProfile) => Promise<{ catalog: CatalogReader; pricer: Pricer }>;
}

const POLICY_LINKS: Record<string, { type: LinkType; title: string }> = {
  TERMS_OF_SERVICE: { type: "terms_of_use", title: "Terms of service" },
  PRIVACY_POLICY: { type: "privacy_policy", title: "Privacy policy" },
  REFUND_POLICY: { type: "return_policy", title: "Refund policy" },
  SHIPPING_POLICY: { type: "shipping_policy", title: "Shipping policy" },
  CONTACT_INFORMATION: { type: "contact_us", title: "Contact" },
};

export function policyLinks(policiesJson: string): PolicyLink[] {
  let policies: Record<string, string> = {};
  try {
    policies = JSON.parse(policiesJson) as Record<string, string>;
  } catch {
    return [];
  }
  return Object.entries(POLICY_LINKS)
    .filter(([key]) => typeof policies[key] === "string" && /^https?:\/\//.test(policies[key]))
    .map(([key, link]) => ({ type: link.type, title: link.title, url: policies[key] }));
}

const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_MAX = 1_000;

/** `cs_` / `li_` + 24 random base62-ish characters. */
export function newId(prefix: "cs" | "li"): string {
  return `${prefix}_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`;
}

export function composeAcp(options: ComposeAcpOptions) {
  const { db } = options;
  const clock = options.clock ?? { now: () => new Date() };
  const keys = createAgentKeyRepository(db);
  const sessions = createPrismaSessionStore(db);
  const idempotency = createPrismaIdempotencyStore(db);
  let lastPurge = 0;

  function optInFor(shopId: string, rule: string, value: string | null): OptInPolicy {
    return async (products) => {
      const overrides = await db.productSelection.findMany({ where: { shopId, productId: { in: products.map((p) => p.productId) } } });
      const byProduct = new Map(overrides.map((o) => [o.productId, o.included]));
      const selection = { rule: parseSelectionRule(rule), value };
      return new Set(products.filter((p) => isSelected(selection, p, byProduct.get(p.productId))).map((p) => p.productId));
    };
  }

  // Resolved keys are kept for a few seconds so a busy agent costs no key/shop reads per request; a revoked key
  // or a changed setting takes effect within AUTH_CACHE_MS (docs/decisions/0009). Only successes are cached.
  const authCache = new Map<string, { expires: number; agent: AgentContext }>();
  async function authenticate(apiKey: string): Promise<AgentContext | null> {
    const cached = authCache.get(apiKey);
    if (cached && cached.expires > clock.now().getTime()) return cached.agent;
    const agent = await resolveAgent(apiKey);
    if (agent) {
      if (authCache.size >= AUTH_CACHE_MAX) authCache.delete(authCache.keys().next().value as string);
      authCache.set(apiKey, { expires: clock.now().getTime() + (options.authCacheMs ?? AUTH_CACHE_MS), agent });
    } else {
      authCache.delete(apiKey);
    }
    return agent;
  }

  async function resolveAgent(apiKey: string): Promise<AgentContext | null> {
    const now = clock.now();
    const resolved = await keys.resolve(apiKey, now);
    if (!resolved) return null;
    const row = await db.shop.findUnique({ where: { id: resolved.shopId } });
    if (!row || row.uninstalledAt) return null;
    if (now.getTime() - lastPurge > 60 * 60 * 1000) {
      lastPurge = now.getTime();
      void idempotency.purgeExpired(now).catch(() => undefined); // 24-hour retention, swept at most hourly
    }
    const shop: ShopProfile = {
      id: row.id,
      domain: row.domain,
      primaryUrl: row.primaryUrl ?? undefined,
      currency: row.currencyCode.toLowerCase(),
      links: policyLinks(row.policiesJson),
      checkoutMode: row.checkoutMode === "handoff" ? "handoff" : "agent_payment",
      stripeAccountId: row.stripeAccountId ?? undefined,
      sessionTtlMinutes: row.sessionTtlMinutes,
    };
    const secret = row.signatureRequired ? decryptOptional(row.signatureSecretEnc) : null;
    return {
      shop,
      keyId: resolved.keyId,
      // A shop that requires signatures but has no secret yet rejects every request rather than accept unsigned ones.
      signature: row.signatureRequired ? createHmacSha256Verifier(secret ?? randomBytes(32).toString("hex")) : undefined,
      async checkout(apiVersion) {
        const ports = options.adapters
          ? await options.adapters(shop)
          : await (async () => {
              const admin = await options.adminFor(row.domain);
              const optIn = optInFor(row.id, row.selectionRule, row.selectionValue);
              const live = createShopifyCatalogReader(admin, { currency: shop.currency, optIn });
              return {
                catalog: createSnapshotCatalogReader(db, row.id, { currency: shop.currency, optIn, fallback: live }),
                pricer: createShopifyPricer(admin),
              };
            })();
        return new CheckoutService({ shop, ...ports, store: sessions, clock, newId, apiVersion });
      },
    };
  }

  const handler = createAcpHandler({ basePath: options.basePath ?? "/acp", authenticate, idempotency, clock, logger: options.logger });
  const base = (options.appUrl ?? "http://localhost:3000").replace(/\/$/, "");
  return {
    handler,
    /** GET /.well-known/acp.json */
    discovery: () => discoveryResponse({ apiBaseUrl: `${base}${options.basePath ?? "/acp"}` }),
    keys,
    idempotency,
    sessions,
  };
}

export type ComposedAcp = ReturnType<typeof composeAcp>;


// Proposed composition for the lead's services.server.ts: Prisma stores + Shopify adapters wired into the
// framework-free ACP handler. `adapters` lets tests and the demo swap the store's ports without module mocks.
import type { CatalogReader, CatalogVariant, Clock, OrderSink, Pricer, ShopProfile } from "../checkout/ports";
import { VariantExclusionRepository } from "../db/product-selections.server";
import { CompleteCheckout, type CompleteDeps, type CompletionPolicy } from "../checkout/complete";
import type { PaymentGateway } from "../payments/gateway";
import { createStripeGateway } from "../payments/stripe-gateway.server";
import { timedGateway } from "../payments/timed-gateway";
import { createShopifyOrderSink } from "../shopify/order-sink";
import { createCompletionRecorder } from "../orders/completion-recorder.server";
import type { LinkType, PolicyLink } from "../checkout/model";
import { CheckoutService } from "../checkout/service";
import { createPrismaSessionStore } from "../db/checkout-sessions.server";
import { createPrismaIdempotencyStore } from "../db/idempotency.server";
import { createAgentKeyRepository, type ResolvedAgentKey } from "../db/agent-keys.server";
import { createPrismaReplayGuard } from "../db/signature-replays.server";
import { createPrismaOpenSessions } from "../db/agent-key-sessions.server";
import type { AgentLimits } from "../protection/agent-limits";
import type { ShopifyBudget } from "../protection/shopify-budget";
import { createSnapshotCatalogReader } from "../db/catalog-snapshot-reader.server";
import { decryptOptional, decryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { createShopifyCatalogReader, type OptInPolicy } from "../shopify/catalog-reader";
import { createShopifyPricer } from "../shopify/pricer";
import type { AdminClient } from "../shopify/admin-client";
import { isSelected, parseSelectionRule } from "../catalog/selection";
import { createAcpHandler, type AcpLogger, type AgentContext } from "./handler";
import { createHmacSha256Verifier } from "./signature";
import { discoveryResponse } from "./discovery";
import { randomBytes } from "node:crypto";
import { boundedCache } from "../bounded-cache";

type Db = Parameters<typeof createPrismaSessionStore>[0];

export interface ComposeAcpOptions {
  db: Db;
  adminFor: (shopDomain: string) => Promise<AdminClient>;
  clock?: Clock;
  logger?: AcpLogger;
  basePath?: string;
  /** Public origin of the app, for the discovery document (e.g. config.appUrl). */
  appUrl?: string;
  /** Per key, per address and per shop request limits (see AcpHandlerDeps.limits). */
  limits?: AgentLimits;
  /** The shops' Shopify cost budgets, fed by the Admin client's cost reports (docs/decisions/0114). */
  shopifyBudget?: ShopifyBudget;
  /** Open checkout sessions one agent key may hold (default 1,000; docs/decisions/0112). */
  maxOpenSessionsPerKey?: number;
  /** Advertise the MCP binding in the discovery document (the app serves it at /mcp). */
  mcp?: boolean;
  /** How long a shop's row (settings, signature secret) is reused across requests (default 5 s). The key itself
   *  is looked up on every request, so a revocation is effective on the next one (docs/decisions/0113). */
  authCacheMs?: number;
  /** Replace the Shopify adapters (tests, demo). */
  adapters?: (shop: ShopProfile) => Promise<{ catalog: CatalogReader; pricer: Pricer; orders?: OrderSink }>;
  /** Where the Stripe SDK talks to (config.stripeApiBase: sim/stripe in the demo and tests). */
  stripeApiBase?: string;
  /** Replace the shop's payment gateway (tests); default: the shop's own Stripe key, or none. */
  gatewayFor?: (shop: ShopRow) => PaymentGateway | null;
  completionPolicy?: Partial<CompletionPolicy>;
  /** Test seam: crash the complete workflow between two steps. */
  crashAt?: CompleteDeps["crashAt"];
}

type ShopRow = NonNullable<Awaited<ReturnType<Db["shop"]["findUnique"]>>>;

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
export const DEFAULT_MAX_OPEN_SESSIONS_PER_KEY = 1_000;
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
  const replays = createPrismaReplayGuard(db);
  const openSessions = createPrismaOpenSessions(db);

  // A variant the merchant excluded (VariantExclusion, issue 16) is refused like a product that is not selected.
  function excludingVariants(shopId: string, reader: CatalogReader): CatalogReader {
    return {
      async resolve(itemIds) {
        const result = await reader.resolve(itemIds);
        const offered = [...result.values()].filter((v): v is CatalogVariant => !!v?.optedIn).map((v) => v.variantId);
        if (!offered.length) return result;
        const excluded = await new VariantExclusionRepository(db, shopId).excludedOf(offered);
        if (!excluded.size) return result;
        for (const [itemId, v] of result) if (v && excluded.has(v.variantId)) result.set(itemId, { ...v, optedIn: false });
        return result;
      },
    };
  }

  function optInFor(shopId: string, rule: string, value: string | null): OptInPolicy {
    return async (products) => {
      const overrides = await db.productSelection.findMany({ where: { shopId, productId: { in: products.map((p) => p.productId) } } });
      const byProduct = new Map(overrides.map((o) => [o.productId, o.included]));
      const selection = { rule: parseSelectionRule(rule), value };
      return new Set(products.filter((p) => isSelected(selection, p, byProduct.get(p.productId))).map((p) => p.productId));
    };
  }

  // The key is resolved on every request (one indexed read), so revoking it takes effect on the next request;
  // the shop's row and what is built from it are kept for a few seconds per shop (docs/decisions/0009, 0113).
  const shopCache = new Map<string, { expires: number; row: ShopRow; verifier: AgentContext["signature"] }>();
  async function authenticate(apiKey: string): Promise<AgentContext | null> {
    const now = clock.now();
    const resolved = await keys.resolve(apiKey, now);
    if (!resolved) return null;
    const cached = shopCache.get(resolved.shopId);
    if (cached && cached.expires > now.getTime()) return agentFor(cached.row, resolved, cached.verifier);
    const row = await db.shop.findUnique({ where: { id: resolved.shopId } });
    if (!row || row.uninstalledAt) {
      shopCache.delete(resolved.shopId);
      return null;
    }
    const secret = row.signatureRequired ? decryptOptional(row.signatureSecretEnc, shopSecret("signatureSecretEnc", row.id)) : null;
    // A shop that requires signatures but has no secret yet rejects every request rather than accept unsigned ones.
    const verifier = row.signatureRequired ? createHmacSha256Verifier(secret ?? randomBytes(32).toString("hex")) : undefined;
    if (shopCache.size >= AUTH_CACHE_MAX) shopCache.delete(shopCache.keys().next().value as string);
    shopCache.set(row.id, { expires: now.getTime() + (options.authCacheMs ?? AUTH_CACHE_MS), row, verifier });
    return agentFor(row, resolved, verifier);
  }

  function agentFor(row: ShopRow, resolved: ResolvedAgentKey, signature: AgentContext["signature"]): AgentContext {
    const shop = shopProfile(row);
    return {
      shop,
      keyId: resolved.keyId,
      signature,
      checkout: (apiVersion) => checkoutFor(row, shop, apiVersion),
      completion: (apiVersion) => completionFor(row, shop, apiVersion, resolved.name),
    };
  }

  function shopProfile(row: ShopRow): ShopProfile {
    return {
      id: row.id,
      domain: row.domain,
      name: row.name || undefined,
      countryCode: row.countryCode,
      testMode: row.stripeMode !== "live",
      primaryUrl: row.primaryUrl ?? undefined,
      currency: row.currencyCode.toLowerCase(),
      links: policyLinks(row.policiesJson),
      checkoutMode: row.checkoutMode === "handoff" ? "handoff" : "agent_payment",
      stripeAccountId: row.stripeAccountId ?? undefined,
      sessionTtlMinutes: row.sessionTtlMinutes,
    };
  }

  async function portsFor(row: ShopRow, shop: ShopProfile): Promise<{ catalog: CatalogReader; pricer: Pricer; orders: OrderSink }> {
    if (options.adapters) {
      const ports = await options.adapters(shop);
      return { ...ports, orders: ports.orders ?? createShopifyOrderSink(() => options.adminFor(row.domain)) };
    }
    const admin = await options.adminFor(row.domain);
    const optIn = optInFor(row.id, row.selectionRule, row.selectionValue);
    const live = createShopifyCatalogReader(admin, { currency: shop.currency, optIn });
    return {
      catalog: excludingVariants(row.id, createSnapshotCatalogReader(db, row.id, { currency: shop.currency, optIn, fallback: live })),
      pricer: createShopifyPricer(admin),
      orders: createShopifyOrderSink(admin),
    };
  }

  async function checkoutFor(row: ShopRow, shop: ShopProfile, apiVersion: string): Promise<CheckoutService> {
    const ports = await portsFor(row, shop);
    return new CheckoutService({ shop, catalog: ports.catalog, pricer: ports.pricer, store: sessions, clock, newId, apiVersion, payments: quotePaymentsFor(row, shop) });
  }

  /** For quoting only: a PSP key that cannot be read must fail the complete (as before), not the quote. */
  function quotePaymentsFor(row: ShopRow, shop: ShopProfile): PaymentGateway | null {
    try {
      return paymentsFor(row, shop);
    } catch {
      return null;
    }
  }

  /** The gateway the agent pays through; null in hand-off mode or without a PSP key (complete hands off then). */
  function paymentsFor(row: ShopRow, shop: ShopProfile): PaymentGateway | null {
    return shop.checkoutMode === "handoff" ? null : gatewayFor(row);
  }

  // One Stripe client per shop key (building the SDK client per request costs more than the call's own work).
  // A rotated key's old client ages out after an hour (docs/decisions/0176).
  const gateways = boundedCache<string, PaymentGateway>({ maxEntries: AUTH_CACHE_MAX, maxAgeMs: 60 * 60_000 });
  const gatewayFor =
    options.gatewayFor ??
    ((row: ShopRow): PaymentGateway | null => {
      if (!row.stripeSecretKeyEnc) return null;
      const cacheKey = `${row.id}:${row.stripeSecretKeyEnc}`;
      let gateway = gateways.get(cacheKey);
      if (!gateway) {
        gateway = timedGateway(createStripeGateway({ secretKey: decryptSecret(row.stripeSecretKeyEnc, shopSecret("stripeSecretKeyEnc", row.id)), apiBase: options.stripeApiBase ?? process.env.STRIPE_API_BASE, timeoutMs: 15_000, maxNetworkRetries: 1 }));
        gateways.set(cacheKey, gateway);
      }
      return gateway;
    });
  const recorder = createCompletionRecorder(db, () => clock.now());

  async function completionFor(row: ShopRow, shop: ShopProfile, apiVersion: string, agentName?: string): Promise<CompleteCheckout> {
    const ports = await portsFor(row, shop);
    const gateway = paymentsFor(row, shop);
    const service = new CheckoutService({ shop, catalog: ports.catalog, pricer: ports.pricer, store: sessions, clock, newId, apiVersion, payments: gateway });
    return new CompleteCheckout({
      shop,
      store: sessions,
      clock,
      load: async (id) => {
        const found = await service.retrieve(id);
        return found.kind === "ok" ? found.session : null;
      },
      requote: async (session) => {
        const requoted = await service.requote(session);
        return "kind" in requoted ? null : requoted;
      },
      gateway,
      orders: ports.orders,
      recorder,
      policy: options.completionPolicy,
      agentName, // the name of the agent key, stored with the completion (recovery keeps what was stored)
      crashAt: options.crashAt,
      log: (level, fields, message) => (level === "info" ? options.logger?.info(fields, message) : options.logger?.error({ level, ...fields }, message)),
    });
  }

  /** The complete workflow of a shop, for recovery (no agent request around it). */
  async function completionForShop(shopId: string): Promise<CompleteCheckout | null> {
    const row = await db.shop.findUnique({ where: { id: shopId } });
    if (!row) return null;
    const shop = shopProfile(row);
    return completionFor(row, shop, "2026-04-17");
  }

  const budget = options.shopifyBudget;
  const handler = createAcpHandler({
    basePath: options.basePath ?? "/acp",
    authenticate,
    idempotency,
    clock,
    logger: options.logger,
    replays,
    limits: options.limits,
    shopifyBudget: budget ? (domain) => budget.admitQuote(domain, Date.now()) : undefined,
    openSessions: { max: options.maxOpenSessionsPerKey ?? DEFAULT_MAX_OPEN_SESSIONS_PER_KEY, count: openSessions.count, record: openSessions.record },
  });
  const base = (options.appUrl ?? "http://localhost:3000").replace(/\/$/, "");
  return {
    handler,
    /** GET /.well-known/acp.json */
    discovery: () => discoveryResponse({ apiBaseUrl: `${base}${options.basePath ?? "/acp"}`, mcp: options.mcp ?? true }),
    keys,
    idempotency,
    sessions,
    completionForShop,
  };
}

export type ComposedAcp = ReturnType<typeof composeAcp>;


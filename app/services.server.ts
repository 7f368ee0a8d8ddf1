// The composition root: builds the app's adapters once and hands them to routes. Routes stay thin;
// nothing below app/ reaches for these singletons itself (docs/decisions/0001).
import type { Shop } from "@prisma/client";
import db from "./db.server";
import { config } from "./config.server";
import { unauthenticated } from "./shopify.server";
import { createAdminClient, type AdminClient } from "./shopify/admin-client";
import { composeAcp, type ComposedAcp } from "./acp/compose.server";
import { catalogContextFor } from "./catalog/context.server";
import { catalogBackgroundWork, startFullSync } from "./catalog/service.server";
import { logger } from "./observability/logger.server";
import { serverTimingHeader, withUpstreamTiming } from "./observability/upstream-timing";
import {
  acpDuration,
  acpOperation,
  acpRequests,
  rateLimited,
  registerDatabaseGauges,
  registry,
  shopifyBucketAvailable,
  shopifyQueryCost,
  shopifyThrottles,
  upstreamWait,
} from "./observability/metrics.server";
import { parseRateLimit } from "./protection/rate-limit";
import { createAgentLimits } from "./protection/agent-limits";
import { limiterForDatabase } from "./protection/limiter-postgres.server";
import { parseTrustedProxies } from "./protection/client-address";
import { createShopifyBudget } from "./protection/shopify-budget";
import type { ConnectionInfo } from "./acp/handler";
import { outboxDepth } from "./jobs/outbox.server";
import { safeEqual, sha256Hex } from "./security/secrets.server";
import { orderOutboxHandlers } from "./orders/handlers.server";
import { startOutboxWorker, type OutboxWorker } from "./orders/worker.server";
import { startCheckoutRecovery } from "./orders/recover-checkouts.server";
import { schedule } from "./jobs/schedule.server";
import { createLeases } from "./jobs/lease.server";
import { SHOPIFY_WEBHOOK, webhookOutboxHandler } from "./webhooks/handlers.server";
import { catalogJobs } from "./catalog/jobs.server";
import { retentionJob } from "./jobs/retention.server";
import { boundedCache } from "./bounded-cache";

const ADMIN_CLIENT_TTL_MS = 30_000;
/** Each shop's Admin API bucket as Shopify last reported it: agent pricing stops short of the orderCreate reserve. */
const shopifyBudget = createShopifyBudget({ reserveRatio: Number(process.env.SHOPIFY_COST_RESERVE) || undefined });
const adminClients = boundedCache<string, AdminClient>({ maxEntries: 1_000, maxAgeMs: ADMIN_CLIENT_TTL_MS });

/**
 * An Admin GraphQL client for a shop, from its offline session (refreshed by shopify-app-remix when it expires).
 * Kept for 30 s: the library refreshes expiring tokens minutes ahead, so a cached client never holds a dead token.
 */
async function adminFor(shopDomain: string): Promise<AdminClient> {
  const cached = adminClients.get(shopDomain);
  if (cached) return cached;
  const { session } = await unauthenticated.admin(shopDomain);
  if (!session.accessToken) throw new Error(`No offline access token for ${shopDomain}`);
  const client = createAdminClient({
    shop: shopDomain,
    accessToken: session.accessToken,
    urlTemplate: config.adminUrlTemplate,
    onCost: (cost, operation) => {
      shopifyQueryCost.inc(cost.actualQueryCost ?? cost.requestedQueryCost);
      const { currentlyAvailable, maximumAvailable } = cost.throttleStatus;
      if (maximumAvailable > 0) shopifyBucketAvailable.set(currentlyAvailable / maximumAvailable);
      shopifyBudget.record(shopDomain, cost.throttleStatus, cost.requestedQueryCost, operation, Date.now());
    },
    onThrottle: (operation, cost) => {
      shopifyThrottles.inc();
      if (cost) shopifyBudget.record(shopDomain, cost.throttleStatus, cost.requestedQueryCost, operation, Date.now());
    },
  });
  adminClients.set(shopDomain, client);
  return client;
}

/** After install (and re-install): the first full catalog sync, in the background. */
async function afterInstall(shop: Shop): Promise<void> {
  const ctx = await catalogContextFor({ db, adminFor }, shop.domain);
  if (ctx) await startFullSync(ctx);
}

let acp: (ComposedAcp & { handle: (request: Request, connection?: ConnectionInfo) => Promise<Response> }) | undefined;

/** The ACP checkout API, composed on first use. Responses report upstream waits in `Server-Timing`. */
function getAcp() {
  if (acp) return acp;
  // How long a completion holds its session before recovery may take it over; it must outlast the slowest
  // legitimate complete (Stripe + Shopify deadlines). Tests with short upstream deadlines shorten it.
  const lockMs = Number(process.env.COMPLETION_LOCK_MS) || undefined;
  // Per agent key (by the hash of the parsed token, before any database read), per client address for requests
  // without a working key (TRUSTED_PROXIES decides whose X-Forwarded-For counts), and per shop across its keys.
  const limits = createAgentLimits({
    perKey: parseRateLimit(process.env.ACP_RATE_LIMIT, { capacity: 200, refillPerSecond: 100 }),
    perShop: parseRateLimit(process.env.ACP_SHOP_RATE_LIMIT, { capacity: 600, refillPerSecond: 300 }),
    perAddress: parseRateLimit(process.env.ACP_ADDRESS_RATE_LIMIT, { capacity: 60, refillPerSecond: 20 }),
    trustedProxies: parseTrustedProxies(process.env.TRUSTED_PROXIES),
    limiter: limiterForDatabase(), // PostgreSQL: one budget across instances (0135)
    onLimited: () => rateLimited.inc(),
  });
  const composed = composeAcp({
    db,
    adminFor,
    appUrl: config.appUrl,
    logger,
    completionPolicy: lockMs ? { lockMs } : undefined,
    limits,
    shopifyBudget,
    maxOpenSessionsPerKey: Number(process.env.ACP_MAX_OPEN_SESSIONS_PER_KEY) || undefined,
  });
  const handle = async (request: Request, connection: ConnectionInfo = {}): Promise<Response> => {
    const started = performance.now();
    const operation = acpOperation(request.method, new URL(request.url).pathname);
    const { result, timing } = await withUpstreamTiming(() => composed.handler(request, connection));
    const response = new Response(result.body, result);
    response.headers.set("Server-Timing", serverTimingHeader(timing, performance.now() - started));
    for (const [upstream, ms] of Object.entries(timing.waits)) upstreamWait.observe({ upstream }, ms / 1000);
    const version = request.headers.get("api-version") ?? "none";
    acpRequests.inc({ operation, version: /^\d{4}-\d{2}-\d{2}$/.test(version) ? version : "invalid", status: String(response.status) });
    acpDuration.observe({ operation }, (performance.now() - started) / 1000);
    return response;
  };
  acp = { ...composed, handle };
  return acp;
}

let worker: OutboxWorker | undefined;

/** Background work of the server process (started by scripts/serve.mjs): the outbox that talks to agents and Stripe. */
function startBackgroundJobs(): { stop: () => Promise<void> } {
  // The outbox carries order events and Stripe refunds, and Shopify deliveries that need another attempt (0138).
  worker ??= startOutboxWorker({ db, handlers: { ...orderOutboxHandlers({ db, stripeApiBase: config.stripeApiBase }), [SHOPIFY_WEBHOOK]: webhookOutboxHandler({ db, adminFor }) }, intervalMs: 1000 });
  // One instance runs each periodic job per interval (leases, docs/decisions/0137); retention: docs/decisions/0116.
  const periodic = schedule([...catalogJobs({ db, adminFor }), retentionJob({ db })], { leases: createLeases(db) });
  // Checkouts a crash left between charge and order are finished (or refunded) at start and every 15 s.
  const recovery = startCheckoutRecovery({ db, completionForShop: getAcp().completionForShop, logger });
  logger.info("background jobs started");
  return {
    stop: async () => {
      await Promise.all([worker?.stop(), periodic.stop(), recovery.stop()]);
      await catalogBackgroundWork();
    },
  };
}

registerDatabaseGauges({
  outbox: () => outboxDepth(db),
  oldestCatalogSyncAgeMs: async () => {
    const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true } });
    let oldest: number | null = null;
    for (const { id } of shops) {
      const run = await db.feedRun.findFirst({ where: { shopId: id, kind: { in: ["full_sync", "reconcile"] }, status: "succeeded" }, orderBy: { startedAt: "desc" }, select: { finishedAt: true, startedAt: true } });
      const age = run ? Date.now() - (run.finishedAt ?? run.startedAt).getTime() : Number.POSITIVE_INFINITY;
      oldest = Math.max(oldest ?? 0, age);
    }
    return oldest === Number.POSITIVE_INFINITY ? null : oldest;
  },
});

/** GET /metrics: Prometheus text. Requires `Authorization: Bearer $METRICS_TOKEN` when that is set (and in production). */
async function metricsResponse(request: Request): Promise<Response> {
  const token = process.env.METRICS_TOKEN;
  if (token || process.env.NODE_ENV === "production") {
    const presented = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    if (!token || !safeEqual(sha256Hex(presented), sha256Hex(token))) return new Response("Unauthorized", { status: 401 });
  }
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}

export const services = { db, config, logger, adminFor, afterInstall, acp: getAcp, startBackgroundJobs, metricsResponse };
export type Services = typeof services;

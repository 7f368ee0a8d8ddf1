// The composition root: builds the app's adapters once and hands them to routes. Routes stay thin;
// nothing below app/ reaches for these singletons itself (docs/decisions/0001).
import type { Shop } from "@prisma/client";
import db from "./db.server";
import { config } from "./config.server";
import { unauthenticated } from "./shopify.server";
import { createAdminClient, type AdminClient } from "./shopify/admin-client";
import { composeAcp, type ComposedAcp } from "./acp/compose.server";
import { catalogContextFor } from "./catalog/context.server";
import { startFullSync } from "./catalog/service.server";
import { logger } from "./observability/logger.server";
import { serverTimingHeader, withUpstreamTiming } from "./observability/upstream-timing";
import { orderOutboxHandlers } from "./orders/handlers.server";
import { startOutboxWorker, type OutboxWorker } from "./orders/worker.server";
import { schedule } from "./jobs/schedule.server";
import { catalogJobs, catalogWorkInFlight } from "./catalog/jobs.server";

const ADMIN_CLIENT_TTL_MS = 30_000;
const adminClients = new Map<string, { expires: number; client: AdminClient }>();

/**
 * An Admin GraphQL client for a shop, from its offline session (refreshed by shopify-app-remix when it expires).
 * Kept for 30 s: the library refreshes expiring tokens minutes ahead, so a cached client never holds a dead token.
 */
async function adminFor(shopDomain: string): Promise<AdminClient> {
  const cached = adminClients.get(shopDomain);
  if (cached && cached.expires > Date.now()) return cached.client;
  const { session } = await unauthenticated.admin(shopDomain);
  if (!session.accessToken) throw new Error(`No offline access token for ${shopDomain}`);
  const client = createAdminClient({ shop: shopDomain, accessToken: session.accessToken, urlTemplate: config.adminUrlTemplate });
  adminClients.set(shopDomain, { expires: Date.now() + ADMIN_CLIENT_TTL_MS, client });
  return client;
}

/** After install (and re-install): the first full catalog sync, in the background. */
async function afterInstall(shop: Shop): Promise<void> {
  const ctx = await catalogContextFor({ db, adminFor }, shop.domain);
  if (ctx) await startFullSync(ctx);
}

let acp: (ComposedAcp & { handle: (request: Request) => Promise<Response> }) | undefined;

/** The ACP checkout API, composed on first use. Responses report upstream waits in `Server-Timing`. */
function getAcp() {
  if (acp) return acp;
  const composed = composeAcp({ db, adminFor, appUrl: config.appUrl, logger });
  const handle = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const { result, timing } = await withUpstreamTiming(() => composed.handler(request));
    const response = new Response(result.body, result);
    response.headers.set("Server-Timing", serverTimingHeader(timing, performance.now() - started));
    return response;
  };
  acp = { ...composed, handle };
  return acp;
}

let worker: OutboxWorker | undefined;

/** Background work of the server process (started by scripts/serve.mjs): the outbox that talks to agents and Stripe. */
function startBackgroundJobs(): { stop: () => Promise<void> } {
  worker ??= startOutboxWorker({ db, handlers: orderOutboxHandlers({ db, stripeApiBase: config.stripeApiBase }), intervalMs: 1000 });
  const periodic = schedule(catalogJobs({ db, adminFor }));
  logger.info("background jobs started");
  return {
    stop: async () => {
      await Promise.all([worker?.stop(), periodic.stop()]);
      await catalogWorkInFlight();
    },
  };
}

export const services = { db, config, logger, adminFor, afterInstall, acp: getAcp, startBackgroundJobs };
export type Services = typeof services;

// Composition for one shop's catalog: the repositories, the Shopify source and the sync, wired from what a
// route or webhook has in hand ({db, shop, admin}). The lead's services/jobs call these entry points.
import type { AdminClient } from "../shopify/admin-client";
import { ShopifyCatalogSource } from "../shopify/catalog-source";
import { CatalogRepository, type Db } from "../db/catalog.server";
import { FeedRunRepository } from "../db/feed-runs.server";
import { decryptOptional } from "../security/secrets.server";
import type { OutboundDeps } from "../security/outbound.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { CatalogSync, type FullSyncOutcome } from "./sync";
import { resolveFeedSettings, type FeedSettings, type ShopDefaults } from "./feed-settings";
import { parseSelectionRule } from "./selection";
import { FeedApiClient } from "./feed-api-client";
import { pushFeedChanges, type PushOutcome } from "./feed-push";
import { feedIsOpen } from "./feed-output";
import { randomUUID } from "node:crypto";
import { createLeases, LEASE_HOLDER, sharedSerializer } from "../jobs/lease.server";

const FULL_SYNC_LEASE_MS = 60 * 60_000;

/** The Shop columns the catalog reads (the Prisma Shop row satisfies it). */
export interface CatalogShop {
  id: string;
  domain: string;
  name: string;
  currencyCode: string;
  countryCode: string;
  primaryUrl: string | null;
  policiesJson: string;
  selectionRule: string;
  selectionValue: string | null;
  feedSettingsJson: string;
  feedPushUrl: string | null;
  feedPushKeyEnc: string | null;
  feedPushFeedId: string | null;
}

export interface CatalogContext {
  db: Db;
  shop: CatalogShop;
  admin: AdminClient;
  /** For the bulk file download and the Feed API push (tests inject; default global fetch). */
  fetch?: typeof fetch;
  /** DNS resolver and environment for the push's outbound rules (tests; docs/decisions/0115). */
  outbound?: OutboundDeps;
  sleep?: (ms: number) => Promise<void>;
}

export function shopDefaultsOf(shop: Pick<CatalogShop, "name" | "primaryUrl" | "countryCode" | "policiesJson">): ShopDefaults {
  let policies: Record<string, string> = {};
  try {
    policies = JSON.parse(shop.policiesJson || "{}") as Record<string, string>;
  } catch {}
  return { name: shop.name, primaryUrl: shop.primaryUrl, countryCode: shop.countryCode, policies };
}

export function feedSettingsOf(shop: CatalogShop): FeedSettings {
  return resolveFeedSettings(shop.feedSettingsJson, shopDefaultsOf(shop));
}

// Background work started by webhooks and "sync now" (tests and shutdown wait for it).
const pending = new Set<Promise<unknown>>();
export function inBackground(work: Promise<unknown>, label: string): void {
  const p = work
    .catch((error) => console.error(JSON.stringify({ msg: `${label} failed`, error: (error as Error).message })))
    .finally(() => pending.delete(p));
  pending.add(p);
}
export async function catalogBackgroundWork(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

export function catalogFor(ctx: CatalogContext) {
  const { db, shop, admin } = ctx;
  const settings = feedSettingsOf(shop);
  const repo = new CatalogRepository(db, shop.id);
  const runs = new FeedRunRepository(db, shop.id);
  const source = new ShopifyCatalogSource({
    admin,
    gtinMetafield: settings.gtinSource === "metafield" ? settings.gtinMetafield : null,
    fetch: ctx.fetch,
  });

  const push = async (): Promise<PushOutcome | null> => {
    if (!shop.feedPushUrl) return null;
    const client = new FeedApiClient({ baseUrl: shop.feedPushUrl, apiKey: decryptOptional(shop.feedPushKeyEnc, shopSecret("feedPushKeyEnc", shop.id)), fetch: ctx.fetch, outbound: ctx.outbound, sleep: ctx.sleep });
    return pushFeedChanges({
      store: repo,
      client,
      runs,
      settings,
      feedOpen: feedIsOpen(settings),
      feedId: shop.feedPushFeedId,
      saveFeedId: async (feedId) => {
        shop.feedPushFeedId = feedId;
        await db.shop.update({ where: { id: shop.id }, data: { feedPushFeedId: feedId } });
      },
    });
  };

  const sync = new CatalogSync({
    source,
    store: repo,
    runs,
    mapping: { shop: { currency: shop.currencyCode, storefrontUrl: shop.primaryUrl }, settings },
    selection: { rule: parseSelectionRule(shop.selectionRule), value: shop.selectionValue },
    onProductsChanged: async () => {
      await push();
    },
    sleep: ctx.sleep,
    serialize: sharedSerializer(db), // PostgreSQL: one re-read per product across instances (0137)
  });

  return { settings, repo, runs, source, sync, push };
}

/** Install and "sync now": start the bulk export; the import runs in the background (or is awaited). */
export async function startFullSync(ctx: CatalogContext, options: { wait?: boolean } = {}): Promise<{ runId: string; done: Promise<FullSyncOutcome> }> {
  const { sync, runs } = catalogFor(ctx);
  await runs.failStale();
  // One full sync per shop at a time, across instances (docs/decisions/0137): a lease as long as a run may stay
  // "running" before failStale calls it interrupted. Its holder is this call, so a second click here waits too.
  const leases = createLeases(ctx.db, `${LEASE_HOLDER}:${randomUUID()}`);
  const lease = `full_sync:${ctx.shop.id}`;
  if (!(await leases.claim(lease, FULL_SYNC_LEASE_MS))) {
    const running = await ctx.db.feedRun.findFirst({ where: { shopId: ctx.shop.id, kind: "full_sync", status: "running" }, orderBy: { startedAt: "desc" }, select: { id: true } });
    const runId = running?.id ?? "";
    return { runId, done: Promise.resolve({ outcome: "ALREADY_IMPORTING", runId }) };
  }
  const startedAt = new Date();
  let started: { runId: string; operationId: string };
  try {
    started = await sync.startFullSync();
  } catch (error) {
    await leases.release(lease);
    throw error;
  }
  const { runId, operationId } = started;
  const done = sync.completeFullSync(runId, operationId, startedAt).finally(() => leases.release(lease).catch(() => undefined));
  if (options.wait) await done;
  else inBackground(done, "catalog full sync");
  return { runId, done };
}

/** The periodic reconcile (the lead's scheduler calls it, e.g. hourly): re-read what changed since the last sync. */
export async function reconcileCatalog(ctx: CatalogContext): Promise<{ runId: string; products: number } | null> {
  const { sync, runs } = catalogFor(ctx);
  const since = await runs.lastSyncStart();
  if (!since) return null;
  return sync.reconcile(since);
}

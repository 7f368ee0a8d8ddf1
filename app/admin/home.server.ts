// Home: the shop card, the going-live checklist from the stored state, and the syncs running now.
import type { PrismaClient, Shop } from "@prisma/client";
import { feedSettingsOf } from "../catalog/service.server";
import { feedSettingsProblems } from "../catalog/feed-settings";
import { goingLiveChecklist, type ChecklistState } from "./checklist";
import { sharedPaymentReadinessFor } from "../payments/spt-readiness.server";
import { rawSql } from "../db/sql.server";

type Db = PrismaClient;

const RUN_LABEL: Record<string, string> = { full_sync: "Catalog sync", push: "Feed push", reconcile: "Catalog check" };

export async function checklistState(db: Db, shop: Shop): Promise<ChecklistState> {
  const where = { shopId: shop.id, deletedAt: null };
  const [variants, selectedVariants, eligibleVariants, attention, activeAgentKeys, lastSync, sharedPaymentTokens] = await Promise.all([
    db.catalogItem.count({ where }),
    db.catalogItem.count({ where: { ...where, selected: true } }),
    db.catalogItem.count({ where: { ...where, eligible: true } }),
    rawSql(db).query<Array<{ n: number | bigint }>>(
      `SELECT COUNT(DISTINCT "productId") AS "n" FROM "CatalogItem" WHERE "shopId"=? AND "deletedAt" IS NULL AND "selected"=TRUE AND "eligible"=FALSE`,
      shop.id,
    ),
    db.agentApiKey.count({ where: { shopId: shop.id, revokedAt: null } }),
    db.feedRun.findFirst({ where: { shopId: shop.id, kind: "full_sync", status: "succeeded" }, select: { id: true } }),
    sharedPaymentReadinessFor(shop),
  ]);
  return {
    feedSettingsProblems: feedSettingsProblems(feedSettingsOf(shop)),
    catalog: { variants, selectedVariants, eligibleVariants, productsNeedingAttention: Number(attention[0]?.n ?? 0), synced: Boolean(lastSync) },
    activeAgentKeys,
    orderWebhook: { urlSet: Boolean(shop.orderWebhookUrl), secretSet: Boolean(shop.orderWebhookSecretEnc) },
    payments: { checkoutMode: shop.checkoutMode, stripeKeySet: Boolean(shop.stripeSecretKeyEnc), stripeAccountSet: Boolean(shop.stripeAccountId), stripeMode: shop.stripeMode, sharedPaymentTokens },
  };
}

export async function homePageData(db: Db, shop: Shop) {
  const [state, running, sessions, orders] = await Promise.all([
    checklistState(db, shop),
    db.feedRun.findMany({ where: { shopId: shop.id, status: "running" }, orderBy: { startedAt: "desc" }, take: 5 }),
    db.checkoutSession.count({ where: { shopId: shop.id } }),
    db.agentOrder.count({ where: { shopId: shop.id } }),
  ]);
  const policies = JSON.parse(shop.policiesJson || "{}") as Record<string, string>;
  return {
    shop: { name: shop.name, domain: shop.domain, currency: shop.currencyCode, country: shop.countryCode, url: shop.primaryUrl, policies },
    checklist: goingLiveChecklist(state),
    counts: { eligibleVariants: state.catalog.eligibleVariants, variants: state.catalog.variants, sessions, orders },
    runs: running.map((r) => ({
      id: r.id,
      label: RUN_LABEL[r.kind] ?? r.kind,
      itemsDone: r.itemsDone,
      itemsTotal: r.itemsTotal,
      percent: r.itemsTotal > 0 ? Math.min(100, Math.round((r.itemsDone / r.itemsTotal) * 100)) : null,
      startedAt: r.startedAt.toISOString(),
    })),
  };
}

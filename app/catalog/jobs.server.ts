// The catalog's periodic work for every installed shop: an hourly reconcile (catches webhooks Shopify never
// delivered) and a full sync when the last one is more than a day old (catches deletions a reconcile cannot see).
import type { ScheduledJob } from "../jobs/schedule.server";
import { catalogContextFor, type CatalogServices } from "./context.server";
import { reconcileCatalog, startFullSync } from "./service.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function catalogJobs(services: CatalogServices, now = () => Date.now()): ScheduledJob[] {
  const installedShops = () => services.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  return [
    {
      name: "catalog reconcile",
      intervalMs: HOUR,
      run: async () => {
        for (const { domain } of await installedShops()) {
          const ctx = await catalogContextFor(services, domain);
          if (ctx) await reconcileCatalog(ctx);
        }
      },
    },
    {
      name: "catalog daily full sync",
      intervalMs: HOUR,
      run: async () => {
        for (const { domain } of await installedShops()) {
          const ctx = await catalogContextFor(services, domain);
          if (!ctx) continue;
          const last = await services.db.feedRun.findFirst({
            where: { shopId: ctx.shop.id, kind: "full_sync", status: "succeeded" },
            orderBy: { startedAt: "desc" },
            select: { startedAt: true },
          });
          if (!last || now() - last.startedAt.getTime() > DAY) await startFullSync(ctx);
        }
      },
    },
  ];
}

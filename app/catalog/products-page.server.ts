// Loader/action logic for the products page, kept out of the route module so the route stays thin.
import { CatalogAdminQueries, type Db, type ProductListFilters } from "../db/catalog.server";
import { ProductSelectionRepository } from "../db/product-selections.server";
import { FeedRunRepository } from "../db/feed-runs.server";
import { fetchCollections } from "../shopify/catalog-source";
import type { AdminClient } from "../shopify/admin-client";
import { catalogFor, type CatalogShop } from "./service.server";
import { feedSettingsOf } from "./service.server";
import { feedSettingsProblems } from "./feed-settings";
import { parseSelectionRule, type FeedStatus } from "./selection";
import { formatFeedPrice } from "./money";
import { problemLabel } from "./problems";

export const PAGE_SIZE = 50;

export function filtersFrom(url: URL): ProductListFilters & { page: number } {
  const status = url.searchParams.get("status");
  return {
    status: status === "eligible" || status === "needs_attention" || status === "excluded" ? (status as FeedStatus) : null,
    problem: url.searchParams.get("problem") || null,
    vendor: url.searchParams.get("vendor") || null,
    tag: url.searchParams.get("tag") || null,
    collectionId: url.searchParams.get("collection") || null,
    search: url.searchParams.get("q") || null,
    page: Math.max(0, Number(url.searchParams.get("page") ?? 0) || 0),
  };
}

export async function productsPageData(db: Db, shop: CatalogShop, admin: AdminClient, url: URL) {
  const filters = filtersFrom(url);
  const queries = new CatalogAdminQueries(db, shop.id);
  const [list, counts, problems, vendors, collections, lastSync] = await Promise.all([
    queries.listProducts(filters, filters.page, PAGE_SIZE),
    queries.statusCounts(),
    queries.problemCounts(),
    queries.vendors(),
    fetchCollections(admin).catch(() => [] as Array<{ id: string; title: string }>),
    new FeedRunRepository(db, shop.id).recent("full_sync", 1).then((r) => r[0] ?? null),
  ]);
  return {
    filters,
    pageSize: PAGE_SIZE,
    total: list.total,
    products: list.rows.map((p) => ({
      ...p,
      variants: p.variants.map((v) => ({ ...v, price: formatFeedPrice(v.priceMinor, p.currency) })),
      priceRange: p.minPriceMinor === p.maxPriceMinor ? formatFeedPrice(p.minPriceMinor, p.currency) : `${formatFeedPrice(p.minPriceMinor, p.currency)} – ${formatFeedPrice(p.maxPriceMinor, p.currency)}`,
    })),
    counts,
    problemOptions: problems.map((p) => ({ code: p.code, label: problemLabel(p.code), variants: p.variants })),
    vendors,
    collections,
    rule: { rule: parseSelectionRule(shop.selectionRule), value: shop.selectionValue },
    settingsProblems: feedSettingsProblems(feedSettingsOf(shop)),
    lastSync: lastSync ? { status: lastSync.status, finishedAt: lastSync.finishedAt?.toISOString() ?? null, itemsDone: lastSync.itemsDone, itemsTotal: lastSync.itemsTotal } : null,
  };
}

export type ProductsAction =
  | { ok: true; message: string }
  | { ok: false; message: string };

/** Include/exclude/reset products, or change the shop rule; then re-apply selection from stored rows. */
export async function productsPageAction(db: Db, shop: CatalogShop, admin: AdminClient, form: FormData): Promise<ProductsAction> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "include" || intent === "exclude" || intent === "reset") {
    const ids = form.getAll("productId").map(String).filter((id) => id.startsWith("gid://shopify/Product/"));
    if (!ids.length) return { ok: false, message: "Choose at least one product." };
    await new ProductSelectionRepository(db, shop.id).set(ids, intent === "reset" ? null : intent === "include");
    await catalogFor({ db, shop, admin }).sync.applySelection(ids);
    const one = ids.length === 1;
    const verb = intent === "include" ? "will be offered to agents" : intent === "exclude" ? (one ? "is excluded" : "are excluded") : one ? "follows the shop rule again" : "follow the shop rule again";
    return { ok: true, message: `${ids.length} product${one ? "" : "s"} ${verb}.` };
  }
  if (intent === "rule") {
    const rule = parseSelectionRule(String(form.get("selectionRule") ?? ""));
    const value = String(form.get("selectionValue") ?? "").trim() || null;
    if ((rule === "tag" || rule === "collection") && !value) return { ok: false, message: rule === "tag" ? "Enter the tag." : "Choose the collection." };
    const updated = await db.shop.update({ where: { id: shop.id }, data: { selectionRule: rule, selectionValue: rule === "tag" || rule === "collection" ? value : null } });
    await catalogFor({ db, shop: updated, admin }).sync.applySelection();
    return { ok: true, message: "Selection rule saved and applied." };
  }
  return { ok: false, message: "Unknown action." };
}

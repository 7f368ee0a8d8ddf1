// Loader/action logic for the products page, kept out of the route module so the route stays thin.
import { CatalogAdminQueries, type Db, type ProductListFilters } from "../db/catalog.server";
import { ProductSelectionRepository, VariantExclusionRepository } from "../db/product-selections.server";
import { FeedRunRepository } from "../db/feed-runs.server";
import { fetchCollections } from "../shopify/catalog-source";
import type { AdminClient } from "../shopify/admin-client";
import { catalogFor, type CatalogShop } from "./service.server";
import { feedSettingsOf } from "./service.server";
import { feedSettingsProblems } from "./feed-settings";
import { choiceOf, isSelected, parseSelectionChange, parseSelectionRule, parseVariantChange, type FeedStatus } from "./selection";
import { formatFeedPrice } from "./money";
import { problemLabel, type Problem } from "./problems";

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

/** A product's problems, each once, with how many of its variants have it; errors first. */
export function problemSummary(variants: ReadonlyArray<{ problems: readonly Problem[] }>) {
  const byCode = new Map<string, Problem & { variants: number }>();
  for (const v of variants) {
    for (const p of new Map(v.problems.map((x) => [x.code, x])).values()) {
      const seen = byCode.get(p.code);
      if (seen) seen.variants += 1;
      else byCode.set(p.code, { ...p, variants: 1 });
    }
  }
  const list = [...byCode.values()].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { errors: list.filter((p) => p.severity === "error").length, warnings: list.filter((p) => p.severity === "warning").length, list };
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
  const overrides = new Map(
    (await db.productSelection.findMany({ where: { shopId: shop.id, productId: { in: list.rows.map((p) => p.productId) } }, select: { productId: true, included: true } }))
      .map((s) => [s.productId, s.included]),
  );
  const excluded = await new VariantExclusionRepository(db, shop.id).excludedOf(list.rows.flatMap((p) => p.variants.map((v) => v.variantId)));
  const rule = { rule: parseSelectionRule(shop.selectionRule), value: shop.selectionValue };
  return {
    filters,
    pageSize: PAGE_SIZE,
    total: list.total,
    products: list.rows.map((p) => ({
      ...p,
      choice: choiceOf(overrides.get(p.productId)),
      // The product's own switch (rule, then the merchant's choice): its variants can be excluded one by one only then.
      selected: isSelected(rule, { status: p.productStatus, tags: p.tags, collectionIds: p.collectionIds }, overrides.get(p.productId)),
      problemSummary: problemSummary(p.variants),
      variants: p.variants.map((v) => ({ ...v, excluded: excluded.has(v.variantId), price: formatFeedPrice(v.priceMinor, p.currency), problemSummary: problemSummary([v]) })),
      priceRange: p.minPriceMinor === p.maxPriceMinor ? formatFeedPrice(p.minPriceMinor, p.currency) : `${formatFeedPrice(p.minPriceMinor, p.currency)} – ${formatFeedPrice(p.maxPriceMinor, p.currency)}`,
    })),
    counts,
    problemOptions: problems.map((p) => ({ code: p.code, label: problemLabel(p.code), variants: p.variants })),
    vendors,
    collections,
    rule,
    settingsProblems: feedSettingsProblems(feedSettingsOf(shop)),
    lastSync: lastSync ? { status: lastSync.status, finishedAt: lastSync.finishedAt?.toISOString() ?? null, itemsDone: lastSync.itemsDone, itemsTotal: lastSync.itemsTotal } : null,
  };
}

export type ProductsAction =
  | { ok: true; message: string }
  | { ok: false; message: string };

/** Include/exclude/reset products (one row's toggle or a bulk action), or change the shop rule; then re-apply selection. */
export async function productsPageAction(db: Db, shop: CatalogShop, admin: AdminClient, form: FormData): Promise<ProductsAction> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "include" || intent === "exclude" || intent === "reset") {
    const change = parseSelectionChange(intent, form.getAll("productId").map(String));
    if (!change.ok) return change;
    // Only this shop's own products: an id from another shop, or one that is not in the catalog, is never stored.
    const known = await db.catalogItem.findMany({
      where: { shopId: shop.id, deletedAt: null, productId: { in: change.productIds } },
      select: { productId: true, productTitle: true },
      distinct: ["productId"],
    });
    if (!known.length) return { ok: false, message: "None of the chosen products is in your catalog. Sync the catalog and try again." };
    const ids = known.map((k) => k.productId);
    await new ProductSelectionRepository(db, shop.id).set(ids, change.included);
    await catalogFor({ db, shop, admin }).sync.applySelection(ids);
    return { ok: true, message: selectionMessage(change.intent, known.length === 1 ? known[0].productTitle || "The product" : known.length) };
  }
  if (intent === "exclude_variant" || intent === "include_variant") {
    const change = parseVariantChange(intent, form.getAll("variantId").map(String));
    if (!change.ok) return change;
    // Only this shop's own catalog variants, as for products.
    const known = await db.catalogItem.findMany({
      where: { shopId: shop.id, deletedAt: null, variantId: { in: change.variantIds } },
      select: { productId: true, variantId: true, productTitle: true, variantTitle: true },
    });
    if (!known.length) return { ok: false, message: "None of the chosen variants is in your catalog. Sync the catalog and try again." };
    await new VariantExclusionRepository(db, shop.id).set(known, change.excluded);
    await catalogFor({ db, shop, admin }).sync.applySelection([...new Set(known.map((k) => k.productId))]);
    const what = known.length === 1 ? `${known[0].productTitle || "The product"}: ${known[0].variantTitle || "the variant"}` : `${known.length} variants`;
    const one = known.length === 1;
    return { ok: true, message: change.excluded ? `${what} ${one ? "is" : "are"} excluded: agents can no longer sell ${one ? "it" : "them"}.` : `${what} ${one ? "follows its" : "follow their"} product again.` };
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

function selectionMessage(intent: "include" | "exclude" | "reset", what: string | number): string {
  const one = typeof what === "string";
  const subject = one ? what : `${what} products`;
  if (intent === "include") return `${subject} will be offered to agents.`;
  if (intent === "exclude") return `${subject} ${one ? "is" : "are"} excluded: agents can no longer sell ${one ? "it" : "them"}.`;
  return `${subject} ${one ? "follows" : "follow"} the shop rule again.`;
}

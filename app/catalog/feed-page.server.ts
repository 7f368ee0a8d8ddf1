// Loader/action logic for the feed page: feed settings, feed URLs with rotation, the Feed API push endpoint
// (credentials write-only, encrypted), sync now with progress, push history.
import type { Db } from "../db/catalog.server";
import { CatalogRepository } from "../db/catalog.server";
import { FeedRunRepository } from "../db/feed-runs.server";
import type { AdminClient } from "../shopify/admin-client";
import { recordShop } from "../shop/install.server";
import { encryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { checkOutboundUrl, urlProblemMessage } from "../security/outbound.server";
import { catalogFor, feedSettingsOf, inBackground, shopDefaultsOf, startFullSync, type CatalogShop } from "./service.server";
import { defaultFeedSettings, feedSettingsProblems, isHttpUrl, parseGtinMetafield, type FeedSettings } from "./feed-settings";
import { feedTokenFor, rotateFeedToken } from "./feed-token.server";
import { FEED_FILES } from "./feed-writer";

export interface FeedPageShop extends CatalogShop {
  feedTokenEnc: string | null;
}

export async function feedPageData(db: Db, shop: FeedPageShop, appUrl: string) {
  const runs = new FeedRunRepository(db, shop.id);
  const [token, version, syncs, pushes] = await Promise.all([
    feedTokenFor(db, shop),
    new CatalogRepository(db, shop.id).feedVersion(),
    runs.recent("full_sync", 5),
    runs.recent("push", 20),
  ]);
  const settings = feedSettingsOf(shop);
  const base = appUrl.replace(/\/+$/, "");
  return {
    settings,
    prefill: defaultFeedSettings(shopDefaultsOf(shop)),
    problems: feedSettingsProblems(settings),
    feedUrls: Object.keys(FEED_FILES).map((file) => ({ file, url: `${base}/feeds/${token}/${file}` })),
    eligibleVariants: version.eligible,
    lastChange: version.lastChange?.toISOString() ?? null,
    push: { url: shop.feedPushUrl ?? "", keySet: Boolean(shop.feedPushKeyEnc), feedId: shop.feedPushFeedId },
    syncs: syncs.map(runView),
    pushes: pushes.map(runView),
  };
}

function runView(r: Awaited<ReturnType<FeedRunRepository["recent"]>>[number]) {
  return { id: r.id, status: r.status, itemsDone: r.itemsDone, itemsTotal: r.itemsTotal, detail: r.detail, error: r.error, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null };
}

export type FeedPageResult = { ok: boolean; message: string; errors?: Record<string, string> };

const COUNTRY = /^[A-Z]{2}$/;

/** Settings from the form; blank fields fall back to what Shopify says (the prefill). */
export function parseFeedSettingsForm(form: FormData): { value: Partial<FeedSettings>; errors: Record<string, string> } {
  const text = (k: string) => String(form.get(k) ?? "").trim();
  const errors: Record<string, string> = {};
  const urls = { sellerUrl: text("sellerUrl"), returnPolicyUrl: text("returnPolicyUrl"), privacyPolicyUrl: text("privacyPolicyUrl"), termsOfServiceUrl: text("termsOfServiceUrl") };
  for (const [k, v] of Object.entries(urls)) if (v && !isHttpUrl(v)) errors[k] = "Enter a full web address starting with https://";
  const storeCountry = text("storeCountry").toUpperCase();
  if (storeCountry && !COUNTRY.test(storeCountry)) errors.storeCountry = "Use a two-letter country code, such as US";
  const targetCountries = text("targetCountries").toUpperCase().split(/[\s,]+/).filter(Boolean);
  if (targetCountries.some((c) => !COUNTRY.test(c))) errors.targetCountries = "Use two-letter country codes separated by commas, such as US, CA";
  const sellerName = text("sellerName");
  if (sellerName.length > 70) errors.sellerName = "At most 70 characters";
  const days = text("returnDeadlineDays");
  const returnDeadlineDays = days ? Number(days) : null;
  if (returnDeadlineDays !== null && !(Number.isInteger(returnDeadlineDays) && returnDeadlineDays > 0)) errors.returnDeadlineDays = "A whole number of days";
  const gtinSource = text("gtinSource") === "metafield" ? "metafield" : "barcode";
  const gtinMetafield = text("gtinMetafield");
  if (gtinSource === "metafield" && !parseGtinMetafield(gtinMetafield)) errors.gtinMetafield = "Write it as namespace.key, for example custom.gtin";
  return {
    value: {
      sellerName, ...urls, storeCountry, targetCountries, returnDeadlineDays,
      brandFallback: text("brandFallback").slice(0, 70), gtinSource, gtinMetafield: gtinMetafield || "custom.gtin",
      enableCheckout: form.get("enableCheckout") === "on" || form.get("enableCheckout") === "true",
    },
    errors,
  };
}

export async function feedPageAction(db: Db, shop: FeedPageShop, admin: AdminClient, form: FormData): Promise<FeedPageResult> {
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "settings": {
      const { value, errors } = parseFeedSettingsForm(form);
      if (Object.keys(errors).length) return { ok: false, message: "Some settings need attention.", errors };
      const before = feedSettingsOf(shop);
      const updated = await db.shop.update({ where: { id: shop.id }, data: { feedSettingsJson: JSON.stringify(value) } });
      const after = feedSettingsOf(updated);
      // Brand fallback and GTIN source change the mapped rows themselves: re-read the catalog.
      if (before.brandFallback !== after.brandFallback || before.gtinSource !== after.gtinSource || before.gtinMetafield !== after.gtinMetafield) {
        await startFullSync({ db, shop: updated, admin });
        return { ok: true, message: "Feed settings saved. The catalog is syncing again to apply the brand and GTIN settings." };
      }
      return { ok: true, message: "Feed settings saved." };
    }
    case "refresh-policies": {
      await recordShop(db, admin); // the same read and write as at install
      return { ok: true, message: "Store details and policy links refreshed from Shopify." };
    }
    case "rotate-token":
      await rotateFeedToken(db, shop.id);
      return { ok: true, message: "New feed address created. The old one no longer works." };
    case "sync":
      await startFullSync({ db, shop, admin });
      return { ok: true, message: "Sync started." };
    case "push-settings": {
      const url = String(form.get("feedPushUrl") ?? "").trim();
      const key = String(form.get("feedPushKey") ?? "");
      // The app calls this URL: the outbound rules decide what it may be (docs/decisions/0115).
      const checked = url ? checkOutboundUrl(url) : null;
      if (checked && !checked.ok) return { ok: false, message: "Enter the endpoint's public https address.", errors: { feedPushUrl: urlProblemMessage(checked.problem) } };
      const changedUrl = url !== (shop.feedPushUrl ?? "");
      await db.shop.update({
        where: { id: shop.id },
        data: {
          feedPushUrl: url || null,
          ...(key ? { feedPushKeyEnc: encryptSecret(key, shopSecret("feedPushKeyEnc", shop.id)) } : {}),
          ...(form.get("clearKey") === "on" ? { feedPushKeyEnc: null } : {}),
          // A new endpoint starts a new feed: everything live is sent again.
          ...(changedUrl ? { feedPushFeedId: null } : {}),
        },
      });
      if (changedUrl) await new CatalogRepository(db, shop.id).resetPushState();
      return { ok: true, message: url ? "Push endpoint saved." : "Push turned off." };
    }
    case "push": {
      if (!shop.feedPushUrl) return { ok: false, message: "Set a push endpoint first." };
      inBackground(catalogFor({ db, shop, admin }).push(), "feed push");
      return { ok: true, message: "Push started." };
    }
    default:
      return { ok: false, message: "Unknown action." };
  }
}

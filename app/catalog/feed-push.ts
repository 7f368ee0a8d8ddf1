// Sends changed products to an agent's ACP Feed API endpoint (acp.md §5.2): full Product objects, upserted by
// id, in batches. A product leaves the feed as unavailable/discontinued variants, since there is no delete.
import type { FeedRunLog, PushRecord, PushStore } from "./ports";
import { FeedApiError, type FeedApiClient } from "./feed-api-client";
import { toAcpProduct, type AcpProduct } from "./acp-feed";
import type { FeedSettings } from "./feed-settings";

export interface FeedPushDeps {
  store: PushStore;
  client: FeedApiClient;
  runs: FeedRunLog;
  settings: FeedSettings;
  /** False when the feed settings themselves block the feed: everything is then sent as unavailable. */
  feedOpen: boolean;
  feedId: string | null;
  /** Persist a feed id created on the first push. */
  saveFeedId: (feedId: string) => Promise<void>;
  batchSize?: number;
}

export type PushOutcome =
  | { outcome: "PUSHED"; runId: string; feedId: string; products: number; batches: number }
  | { outcome: "FAILED"; runId: string; error: string };

export async function pushFeedChanges(deps: FeedPushDeps): Promise<PushOutcome> {
  const runId = await deps.runs.start("push");
  let products = 0;
  let batches = 0;
  try {
    let feedId = deps.feedId;
    if (!feedId) {
      feedId = (await deps.client.createFeed(deps.settings.targetCountries[0])).id;
      await deps.saveFeedId(feedId);
    }
    const isLive = (row: PushRecord) => deps.feedOpen && !row.deleted && row.record.eligible;
    for await (const page of deps.store.pendingPushPages(deps.batchSize ?? 100)) {
      const toSend: AcpProduct[] = [];
      const marks: Array<{ variantId: string; hash: string }> = [];
      for (const { productId, rows } of page) {
        const liveRows = rows.filter(isLive);
        const wasSent = rows.some((r) => r.pushedHash);
        for (const r of rows) marks.push({ variantId: r.record.variantId, hash: isLive(r) ? r.record.contentHash : "" });
        // Never sent and not live now: nothing for the agent to learn.
        if (!liveRows.length && !wasSent) continue;
        const byRecord = new Map(rows.map((r) => [r.record, r]));
        toSend.push(toAcpProduct(productId, rows.map((r) => r.record), deps.settings, (rec) => isLive(byRecord.get(rec) as PushRecord)));
      }
      if (toSend.length) {
        const result = await deps.client.upsertProducts(feedId, toSend, deps.batchSize ?? 100);
        batches += result.batches;
        products += toSend.length;
      }
      await deps.store.markPushed(marks);
      await deps.runs.progress(runId, products);
    }
    await deps.runs.finish(runId, { status: "succeeded", detail: { products, batches, feedId } });
    return { outcome: "PUSHED", runId, feedId, products, batches };
  } catch (error) {
    // A FeedApiError's message is fixed per failure class (never the endpoint's text); that is what is stored.
    const failure = error instanceof FeedApiError ? error.code : "internal";
    const message = error instanceof FeedApiError ? error.message : `internal: ${(error as Error).message}`;
    await deps.runs.finish(runId, { status: "failed", error: message, detail: { products, batches, failure } });
    return { outcome: "FAILED", runId, error: message };
  }
}

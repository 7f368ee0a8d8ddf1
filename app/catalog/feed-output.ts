// Stored product fields + current settings → the rows of the served feed. Each row is checked against the
// feed rules once more on the way out; a row that fails (it should not: eligibility applies the same rules)
// is counted and left out rather than served broken.
import { composeRow, shopFeedFields, type FlatFeedRow, type ProductFeedFields } from "./feed-item";
import { feedSettingsProblems, type FeedSettings } from "./feed-settings";
import { feedRowViolations } from "./feed-rules";
import { isBlocking } from "./problems";

export interface FeedOutputStats {
  rows: number;
  rejected: number;
}

/** False when the settings themselves break a required field: then the feed is served empty. */
export function feedIsOpen(settings: FeedSettings): boolean {
  return !isBlocking(feedSettingsProblems(settings));
}

export async function* feedRows(
  fields: AsyncIterable<ProductFeedFields>,
  settings: FeedSettings,
  stats: FeedOutputStats = { rows: 0, rejected: 0 },
): AsyncGenerator<FlatFeedRow> {
  if (!feedIsOpen(settings)) return;
  const shop = shopFeedFields(settings);
  for await (const f of fields) {
    const row = composeRow(f, shop);
    if (feedRowViolations(row).length) {
      stats.rejected += 1;
      continue;
    }
    stats.rows += 1;
    yield row;
  }
}

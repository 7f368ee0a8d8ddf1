// The item ids in a shop's published feed file (products.jsonl.gz), fetched as an agent platform would.
import { gunzipSync } from "node:zlib";

export async function feedItemIds(feedUrl: string): Promise<string[]> {
  const res = await fetch(feedUrl, { headers: { "Cache-Control": "no-cache" } });
  if (res.status !== 200) throw new Error(`GET ${feedUrl} answered ${res.status}`);
  return gunzipSync(Buffer.from(await res.arrayBuffer()))
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { item_id: string }).item_id);
}

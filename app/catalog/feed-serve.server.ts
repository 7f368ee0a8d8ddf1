// GET /feeds/<token>/products.jsonl.gz|csv.gz: the flat feed streamed from the database through gzip, with an
// ETag and Last-Modified so fetchers that poll get a cheap 304 when nothing changed.
import { Readable } from "node:stream";
import { CatalogRepository, etagOf, type Db } from "../db/catalog.server";
import { FEED_FILES, gzipFeedStream } from "./feed-writer";
import { feedRows } from "./feed-output";
import { feedSettingsOf } from "./service.server";
import { shopForFeedToken } from "./feed-token.server";

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });

export async function serveFeedFile(db: Db, token: string, file: string, request: Request): Promise<Response> {
  const spec = FEED_FILES[file];
  if (!spec) return notFound();
  const shop = await shopForFeedToken(db, token);
  if (!shop || shop.uninstalledAt) return notFound();

  const repo = new CatalogRepository(db, shop.id);
  const version = await repo.feedVersion();
  const settings = feedSettingsOf(shop);
  const etag = etagOf([file, version.eligible, version.lastChange?.toISOString() ?? null, settings]);
  const lastModified = new Date(Math.max(version.lastChange?.getTime() ?? 0, shop.updatedAt.getTime()));
  const headers = new Headers({
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
    "Cache-Control": "no-cache",
    "X-Robots-Tag": "noindex",
  });
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === etag || t.trim() === "*")) return new Response(null, { status: 304, headers });
  const ims = request.headers.get("if-modified-since");
  if (!inm && ims && !Number.isNaN(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Type", spec.contentType);
  headers.set("Content-Disposition", `attachment; filename="${file}"`);
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const stream = gzipFeedStream(feedRows(repo.eligibleFeedFields(), settings), spec.format);
  return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, { status: 200, headers });
}

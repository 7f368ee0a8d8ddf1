// GET /feeds/<token>/products.jsonl.gz|csv.gz: the flat feed as a prepared gzip file, with an ETag and
// Last-Modified so fetchers that poll get a cheap 304 when nothing changed (docs/decisions/0170).
//
// Per request: one SQL statement (the token → the shop and the feed's version: eligible rows, latest row change,
// settings). The gzip bytes for that version are kept in a small per-process cache, built once per version by
// streaming the rows out of the database through gzip; a price change, an opt-out, a settings change moves the
// version, so the next request builds the new file. Every instance reads the version from the shared database,
// so none serves a file older than what it has just read. A feed too large for the cache is streamed as before.
import { Readable } from "node:stream";
import { CatalogRepository, etagOf, type Db } from "../db/catalog.server";
import { FEED_FILES, gzipFeedStream } from "./feed-writer";
import { feedRows } from "./feed-output";
import { shopDefaultsOf } from "./service.server";
import { resolveFeedSettings, type FeedSettings } from "./feed-settings";
import { feedForToken, type FeedTokenShop } from "./feed-token.server";

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });

/** Bounds of the prepared-file cache: per file, in all, and how long a file is served without being rebuilt. */
export const FEED_CACHE_LIMITS = { entryBytes: 16 * 1024 * 1024, totalBytes: 48 * 1024 * 1024, entries: 512, maxAgeMs: 5 * 60_000 };

interface Prepared {
  etag: string;
  builtAt: number;
  /** The gzip file, or null when it outgrew `entryBytes` (streamed per request instead). */
  body: Promise<Buffer | null>;
  bytes: number;
}

/** (shop, file) → the prepared file of one version; insertion order is least-recently-used first. */
const prepared = new Map<string, Prepared>();

export function clearFeedCache(): void {
  prepared.clear();
}

export async function serveFeedFile(db: Db, token: string, file: string, request: Request): Promise<Response> {
  const spec = Object.hasOwn(FEED_FILES, file) ? FEED_FILES[file] : undefined; // not "__proto__" or "constructor"
  if (!spec) return notFound();
  const shop = await feedForToken(db, token);
  if (!shop) return notFound();

  const settings = resolveFeedSettings(shop.feedSettingsJson, shopDefaultsOf(shop));
  const etag = etagOf([file, shop.eligible, shop.lastChange?.toISOString() ?? null, settings]);
  const lastModified = new Date(Math.max(shop.lastChange?.getTime() ?? 0, shop.updatedAt.getTime()));
  const headers = new Headers({
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
    "Cache-Control": "no-cache, no-transform",
    "X-Robots-Tag": "noindex",
  });
  const inm = request.headers.get("if-none-match");
  if (inm && inm.split(",").some((t) => t.trim() === etag || t.trim() === "*")) return new Response(null, { status: 304, headers });
  const ims = request.headers.get("if-modified-since");
  if (!inm && ims && !Number.isNaN(Date.parse(ims)) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000)) {
    return new Response(null, { status: 304, headers });
  }
  // The body is the .gz file itself (application/gzip), not a Content-Encoding: served as stored, never re-gzipped.
  headers.set("Content-Type", spec.contentType);
  headers.set("Content-Disposition", `attachment; filename="${file}"`);
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });

  const body = await preparedFile(db, shop, file, etag, settings);
  if (body) {
    headers.set("Content-Length", String(body.length));
    return new Response(body as unknown as BodyInit, { status: 200, headers });
  }
  const stream = gzipFeedStream(feedRows(new CatalogRepository(db, shop.id).eligibleFeedFields(), settings), spec.format);
  return new Response(Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>, { status: 200, headers });
}

/** The gzip file of this version, built once (concurrent requests share the build), or null when too large. */
async function preparedFile(db: Db, shop: FeedTokenShop, file: string, etag: string, settings: FeedSettings): Promise<Buffer | null> {
  const key = `${shop.id}\u0000${file}`;
  const now = Date.now();
  const hit = prepared.get(key);
  if (hit && hit.etag === etag && now - hit.builtAt < FEED_CACHE_LIMITS.maxAgeMs) {
    prepared.delete(key); // most recently used goes last
    prepared.set(key, hit);
    return hit.body;
  }
  const entry: Prepared = { etag, builtAt: now, bytes: 0, body: Promise.resolve(null) };
  entry.body = build(db, shop.id, FEED_FILES[file].format, settings).then(
    (buffer) => {
      entry.bytes = buffer?.length ?? 0;
      evict();
      return buffer;
    },
    (error: unknown) => {
      if (prepared.get(key) === entry) prepared.delete(key); // the next request tries again
      throw error;
    },
  );
  prepared.delete(key);
  prepared.set(key, entry);
  return entry.body;
}

async function build(db: Db, shopId: string, format: (typeof FEED_FILES)[string]["format"], settings: FeedSettings): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = gzipFeedStream(feedRows(new CatalogRepository(db, shopId).eligibleFeedFields(), settings), format);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FEED_CACHE_LIMITS.entryBytes) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Drops least-recently-used files until the cache holds at most `totalBytes` in at most `entries` files. */
function evict(): void {
  let total = 0;
  for (const e of prepared.values()) total += e.bytes;
  for (const [key, e] of prepared) {
    if (total <= FEED_CACHE_LIMITS.totalBytes && prepared.size <= FEED_CACHE_LIMITS.entries) break;
    total -= e.bytes;
    prepared.delete(key);
  }
}

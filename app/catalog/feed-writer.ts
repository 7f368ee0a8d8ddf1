// The flat feed files, jsonl.gz and csv.gz, written row by row into a gzip stream with backpressure: memory
// stays flat however large the catalog (docs/decisions/0046). Rows come from an async iterable the caller
// pages out of the database.
import { createGzip, constants as zlib } from "node:zlib";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FLAT_FEED_COLUMNS, type FlatFeedRow } from "./feed-item";
import { csvLine } from "./csv";

export type FeedFormat = "jsonl" | "csv";

export const FEED_FILES: Record<string, { format: FeedFormat; contentType: string }> = {
  "products.jsonl.gz": { format: "jsonl", contentType: "application/gzip" },
  "products.csv.gz": { format: "csv", contentType: "application/gzip" },
};

export function jsonlRow(row: FlatFeedRow): string {
  return `${JSON.stringify(row)}\n`;
}

export function csvHeader(): string {
  return csvLine(FLAT_FEED_COLUMNS);
}

export function csvRow(row: FlatFeedRow): string {
  const r = row as unknown as Record<string, unknown>;
  return csvLine(FLAT_FEED_COLUMNS.map((c) => r[c]));
}

/** The uncompressed feed text, one string per row (plus the CSV header). */
export async function* feedText(rows: AsyncIterable<FlatFeedRow>, format: FeedFormat): AsyncGenerator<string> {
  if (format === "csv") yield csvHeader();
  for await (const row of rows) yield format === "csv" ? csvRow(row) : jsonlRow(row);
}

/** Batches small strings into ~64 KiB buffers before gzip: far fewer stream hops per row. */
export async function* batched(texts: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<Buffer> {
  let parts: string[] = [];
  let length = 0;
  for await (const t of texts) {
    parts.push(t);
    length += t.length;
    if (length >= size) {
      yield Buffer.from(parts.join(""), "utf8");
      parts = [];
      length = 0;
    }
  }
  if (parts.length) yield Buffer.from(parts.join(""), "utf8");
}

/** A readable gzip stream of the feed. Readable.from pulls rows only as fast as gzip and the consumer drain. */
export function gzipFeedStream(rows: AsyncIterable<FlatFeedRow>, format: FeedFormat, level = 6): Readable {
  const gzip = createGzip({ level, flush: zlib.Z_NO_FLUSH });
  const source = Readable.from(batched(feedText(rows, format)));
  source.on("error", (e) => gzip.destroy(e));
  return source.pipe(gzip);
}

/** Writes the gzipped feed to `out` (a file, a hash, an HTTP body) and resolves when it is flushed. */
export async function writeFeed(rows: AsyncIterable<FlatFeedRow>, format: FeedFormat, out: Writable, level = 6): Promise<void> {
  await pipeline(Readable.from(batched(feedText(rows, format))), createGzip({ level }), out);
}

/** Counts bytes passing through; used by the benchmark and the feed route's logs. */
export function byteCounter(): Transform & { bytes: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      (t as Transform & { bytes: number }).bytes += chunk.length;
      cb(null, chunk);
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

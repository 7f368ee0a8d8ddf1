import { describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { Writable } from "node:stream";
import { groupBulkLines, newBulkReadStats, readLines } from "../../app/catalog/bulk-jsonl";
import { productFromBulkGroup } from "../../app/shopify/catalog-source";
import { gzipFeedStream, writeFeed } from "../../app/catalog/feed-writer";
import { composeRow, FLAT_FEED_COLUMNS, shopFeedFields, type FlatFeedRow } from "../../app/catalog/feed-item";
import { mapProduct } from "../../app/catalog/mapping";
import { feedRowViolations } from "../../app/catalog/feed-rules";
import { ctx, fromArray, product, settings, variant } from "./fixtures";

/** Splits text into chunks of random small sizes, cutting lines and multi-byte characters apart. */
async function* chunked(text: string, max = 7): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  let seed = 42;
  for (let i = 0; i < bytes.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (seed % max);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

function bulkFile(products: number, variantsEach: number): string {
  const lines: string[] = [];
  for (let p = 1; p <= products; p++) {
    const pid = `gid://shopify/Product/${p}`;
    lines.push(JSON.stringify({ id: pid, handle: `p-${p}`, title: `Product ${p} — ünïcödé 🧥`, descriptionHtml: "<p>Nice</p>", vendor: "V", productType: "T", status: "ACTIVE", tags: ["a"], onlineStoreUrl: `https://s.example/products/p-${p}`, updatedAt: "2026-11-01T00:00:00Z", category: { fullName: "Apparel" } }));
    lines.push(JSON.stringify({ id: `gid://shopify/MediaImage/${p}`, image: { url: `https://cdn.example/${p}.jpg`, altText: null, width: 800, height: 800 }, __parentId: pid }));
    lines.push(JSON.stringify({ id: `gid://shopify/Collection/9`, __parentId: pid }));
    for (let v = 1; v <= variantsEach; v++) {
      lines.push(JSON.stringify({ id: `gid://shopify/ProductVariant/${p * 1000 + v}`, title: `V${v}`, position: v, sku: `S-${p}-${v}`, barcode: "4006381333931", price: "10.00", compareAtPrice: null, inventoryPolicy: "DENY", inventoryQuantity: v, selectedOptions: [{ name: "Size", value: `V${v}` }], gtin: null, inventoryItem: { id: `gid://shopify/InventoryItem/${p * 1000 + v}`, tracked: true, requiresShipping: true, measurement: { weight: { value: 1, unit: "POUNDS" } } }, __parentId: pid }));
    }
  }
  return lines.join("\n") + "\n";
}

describe("bulk JSONL stream", () => {
  it("rebuilds products from __parentId children across many lines and arbitrary chunk cuts", async () => {
    const stats = newBulkReadStats();
    const products = [];
    for await (const g of groupBulkLines(readLines(chunked(bulkFile(40, 12))), stats)) products.push(productFromBulkGroup(g, false)!);
    expect(products).toHaveLength(40);
    expect(stats).toMatchObject({ lines: 40 * 15, groups: 40, badLines: 0 });
    expect(products[7].title).toBe("Product 8 — ünïcödé 🧥");
    expect(products[7].variants.map((v) => v.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(products[7].images[0].url).toBe("https://cdn.example/8.jpg");
    expect(products[7].collectionIds).toEqual(["gid://shopify/Collection/9"]);
    expect(products[7].variants[2]).toMatchObject({ inventoryQuantity: 3, weight: { value: 1, unit: "POUNDS" }, inventoryItemId: "gid://shopify/InventoryItem/8003" });
  });

  it("counts a child that arrives after its product closed, and bad lines, instead of failing", async () => {
    const file = bulkFile(2, 1) + JSON.stringify({ id: "gid://shopify/ProductVariant/77", __parentId: "gid://shopify/Product/1" }) + "\n{not json\n";
    const stats = newBulkReadStats();
    const groups = [];
    for await (const g of groupBulkLines(readLines(chunked(file, 50)), stats)) groups.push(g);
    expect(groups).toHaveLength(2);
    expect([...stats.stragglerParentIds]).toEqual(["gid://shopify/Product/1"]);
    expect(stats.badLines).toBe(1);
  });

  it("holds one product at a time: memory stays flat on a large file", async () => {
    async function* big(): AsyncGenerator<string> {
      for (let p = 0; p < 20_000; p++) yield bulkFile(1, 5).replaceAll("Product/1", `Product/${p + 1}`);
    }
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    for await (const g of groupBulkLines(readLines(big()))) n += g.children.length;
    expect(n).toBe(20_000 * 7);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(60 * 1024 * 1024);
  });
});

async function gz(rows: FlatFeedRow[], format: "jsonl" | "csv"): Promise<string> {
  const chunks: Buffer[] = [];
  await writeFeed(fromArray(rows), format, new Writable({ write(c, _e, cb) { chunks.push(c); cb(); } }));
  return gunzipSync(Buffer.concat(chunks)).toString("utf8");
}

/** A small RFC 4180 parser, independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; }
    else field += c;
  }
  return rows;
}

describe("gzipped feed files", () => {
  const tricky = product({ title: 'Jacket, "Trail" edition', descriptionHtml: "<p>Line one,</p><p>line \"two\"</p>" }, [
    variant({ title: "Red, S", position: 1, selectedOptions: [{ name: "Color", value: "Red, dark" }, { name: "Size", value: "S" }] }),
    variant({ title: "Blue", position: 2, selectedOptions: [{ name: "Color", value: "Blue" }, { name: "Size", value: "M" }] }),
  ]);
  const rows = mapProduct(tricky, ctx).map((m) => composeRow(m.fields, shopFeedFields(settings)));

  it("jsonl.gz decompresses to one valid row per line", async () => {
    const text = await gz(rows, "jsonl");
    const parsed = text.trimEnd().split("\n").map((l) => JSON.parse(l) as FlatFeedRow);
    expect(parsed).toEqual(rows);
    for (const r of parsed) expect(feedRowViolations(r)).toEqual([]);
  });

  it("csv.gz decompresses to a header and rows that round-trip commas, quotes and newlines", async () => {
    const table = parseCsv(await gz(rows, "csv"));
    expect(table[0]).toEqual([...FLAT_FEED_COLUMNS]);
    expect(table).toHaveLength(3);
    const col = (name: string) => table[0].indexOf(name);
    expect(table[1][col("title")]).toBe('Jacket, "Trail" edition - Red, S');
    expect(table[1][col("description")]).toBe('Line one,\nline "two"');
    expect(table[1][col("color")]).toBe("Red, dark");
    expect(JSON.parse(table[1][col("variant_dict")])).toEqual({ Color: "Red, dark", Size: "S" });
    expect(table[1][col("target_countries")]).toBe("US");
  });

  it("streams with backpressure: rows are pulled only as the consumer reads", async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<FlatFeedRow> {
      for (let i = 0; i < 100_000; i++) {
        produced++;
        yield rows[i % 2];
      }
    }
    const stream = gzipFeedStream(many(), "jsonl");
    await new Promise((r) => setTimeout(r, 50));
    // Nobody reads: the generator must have paused far short of the end.
    expect(produced).toBeLessThan(100_000);
    stream.destroy();
  });
});

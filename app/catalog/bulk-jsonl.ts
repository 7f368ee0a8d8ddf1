// Streaming reader for Shopify bulk-operation results (shopify.md §4.1): one JSON object per line, nested
// connection nodes flattened into their own lines with `__parentId`. Reads chunk by chunk and holds one
// product group at a time, never the file (docs/decisions/0046).

export type JsonObject = Record<string, unknown> & { id?: string; __parentId?: string };

export interface BulkGroup {
  root: JsonObject;
  /** Every descendant line, in file order (children and grandchildren). */
  children: JsonObject[];
}

export interface BulkReadStats {
  lines: number;
  groups: number;
  /** Children that arrived after their parent's group was already closed: re-read those products singly. */
  stragglerParentIds: Set<string>;
  badLines: number;
}

/** Lines of a byte stream, split on \n, decoded as UTF-8 across chunk boundaries. */
export async function* readLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  for await (const chunk of chunks) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf("\n", start); nl >= 0; nl = rest.indexOf("\n", start)) {
      const line = rest.slice(start, nl);
      start = nl + 1;
      if (line.trim()) yield line;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest;
}

/** Groups lines under their root object (a line without `__parentId`). With `groupObjects: true` Shopify
 * writes each root's children right after it; a child that arrives later is counted as a straggler. */
export async function* groupBulkLines(
  lines: AsyncIterable<string>,
  stats: BulkReadStats = newBulkReadStats(),
): AsyncGenerator<BulkGroup> {
  let current: BulkGroup | null = null;
  let currentIds = new Set<string>();
  for await (const line of lines) {
    stats.lines += 1;
    let obj: JsonObject;
    try {
      obj = JSON.parse(line) as JsonObject;
    } catch {
      stats.badLines += 1;
      continue;
    }
    if (!obj || typeof obj !== "object") {
      stats.badLines += 1;
      continue;
    }
    const parent = obj.__parentId;
    if (!parent) {
      if (current) {
        stats.groups += 1;
        yield current;
      }
      current = { root: obj, children: [] };
      currentIds = new Set(obj.id ? [obj.id] : []);
      continue;
    }
    if (current && currentIds.has(parent)) {
      current.children.push(obj);
      if (obj.id) currentIds.add(obj.id);
    } else {
      stats.stragglerParentIds.add(parent);
    }
  }
  if (current) {
    stats.groups += 1;
    yield current;
  }
}

export function newBulkReadStats(): BulkReadStats {
  return { lines: 0, groups: 0, stragglerParentIds: new Set(), badLines: 0 };
}

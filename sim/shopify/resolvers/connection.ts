// Relay-style paging the way Shopify does it: first/after or last/before (one of first/last is
// required, at most 250), opaque cursors carrying the sort value, pageInfo with both directions.
import { decodeCursor, encodeCursor } from "../ids.js";
import { ShopifyError, type GqlContext } from "./context.js";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export const MAX_PAGE_SIZE = 250;

export interface Connection<V> {
  edges: Array<{ cursor: string; node: V }>;
  nodes: V[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * `items` must already be filtered and sorted (ascending by the sort key, reverse applied by us).
 * `key` gives [id, sortValue] used for cursors. `view` wraps only the returned page.
 */
export function paginate<T, V>(
  items: T[],
  args: PageArgs,
  key: (t: T) => [number, string | number],
  view: (t: T) => V,
  ctx: GqlContext | undefined,
  opts: { root?: boolean } = {},
): Connection<V> {
  const list = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = list.length;
  if (ctx?.bulk) {
    // Bulk operations ignore first/last; the root connection is processed in windows to stay memory-lean.
    if (opts.root) {
      ctx.bulk.total = list.length;
      start = Math.min(ctx.bulk.start, list.length);
      end = Math.min(list.length, start + ctx.bulk.size);
    }
    const slice = list.slice(start, end);
    return build(slice, key, view, start > 0, end < list.length);
  }
  const { first, last, after, before } = args;
  if (first == null && last == null) throw new ShopifyError("you must provide one of first or last");
  if (first != null && last != null) throw new ShopifyError("providing both first and last is not supported");
  for (const [name, v] of [["first", first], ["last", last]] as const) {
    if (v != null && (v < 0 || v > MAX_PAGE_SIZE)) throw new ShopifyError(`The ${name} argument must be between 0 and ${MAX_PAGE_SIZE}.`, { code: "BAD_REQUEST" });
  }
  const indexOfCursor = (cursor: string): number => {
    const c = decodeCursor(cursor);
    if (!c) throw new ShopifyError(`Invalid cursor for current pagination sort.`, { code: "BAD_REQUEST" });
    const i = list.findIndex((t) => key(t)[0] === c.last_id);
    if (i >= 0) return i;
    // The item was deleted: position by comparing sort values instead.
    const j = list.findIndex((t) => {
      const [id, v] = key(t);
      const cmp = v < c.last_value ? -1 : v > c.last_value ? 1 : id - c.last_id;
      return args.reverse ? cmp < 0 : cmp > 0;
    });
    return (j === -1 ? list.length : j) - 0.5;
  };
  if (after) start = Math.floor(indexOfCursor(after)) + 1;
  if (before) end = Math.ceil(indexOfCursor(before));
  if (start > end) start = end;
  let from = start;
  let to = end;
  if (first != null) to = Math.min(end, start + first);
  if (last != null) from = Math.max(start, end - last);
  return build(list.slice(from, to), key, view, from > 0, to < list.length);
}

function build<T, V>(slice: T[], key: (t: T) => [number, string | number], view: (t: T) => V, hasPrev: boolean, hasNext: boolean): Connection<V> {
  const edges = slice.map((t) => {
    const [id, v] = key(t);
    return { cursor: encodeCursor(id, v), node: view(t) };
  });
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: hasNext,
      hasPreviousPage: hasPrev,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Stable sort by a key then by id. */
export function sortBy<T>(items: T[], value: (t: T) => string | number, id: (t: T) => number): T[] {
  return [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va < vb) return -1;
    if (va > vb) return 1;
    return id(a) - id(b);
  });
}

/** In a bulk run the root list is filtered and sorted once, then reused by every window. */
export function cachedRoot<T>(ctx: GqlContext | undefined, root: boolean, compute: () => T[]): T[] {
  if (!ctx?.bulk || !root) return compute();
  ctx.bulk.cache ??= compute();
  return ctx.bulk.cache as T[];
}

// Product discovery for the merchant's opted-in catalog: search by text with price and availability filters and
// paging, and one product with its variants. Answered from the synced catalog (ProductCatalog), never an Admin
// call per request; arguments are checked with zod; errors are tool results with isError (server.ts, 0123).
import { z } from "zod";
import type { ToolDefinition } from "./binding";
import { acpError, toolErrors } from "./errors";
import { AVAILABILITIES, decodeCursor, encodeCursor, type Product, type ProductCatalog } from "./products";

export type DiscoveryToolName = "search_products" | "get_product";

const money = (what: string) => z.number().int().min(0).max(1e12).describe(`${what}, in minor units of the shop's currency (5000 = 50.00 USD).`);

const searchArguments = z.object({
  query: z.string().max(200).optional().describe("Words to look for in the product title, brand, type, tags or SKU. Omit to browse."),
  min_price: money("Lowest unit price").optional(),
  max_price: money("Highest unit price").optional(),
  availability: z.array(z.enum(AVAILABILITIES as [string, ...string[]])).max(4).optional().describe("Only variants with one of these availabilities, e.g. [\"in_stock\"]."),
  limit: z.number().int().min(1).max(20).default(8).describe("Products per page (1–20, default 8)."),
  cursor: z.string().max(500).optional().describe("next_cursor of the previous page."),
});

const productArguments = z.object({
  id: z.string().min(1).max(200).describe("A product id from search_products, or the item_id of one of its variants."),
});

export interface SearchOutput {
  products: Product[];
  currency: string;
  next_cursor?: string;
}

export function discoveryToolDefinitions(meta: (tool: DiscoveryToolName) => Record<string, unknown>): ToolDefinition[] {
  const schema = (s: z.ZodType) => {
    const { $schema: _drop, ...json } = z.toJSONSchema(s, { io: "input" }) as Record<string, unknown>;
    return json as ToolDefinition["inputSchema"];
  };
  return [
    {
      name: "search_products",
      title: "Search products",
      description:
        "Search the store's products that can be bought here, by words, price range (minor units) and availability. " +
        "Returns product cards with prices in the store's currency and each variant's item_id, which create_checkout_session takes as line_items[].id.",
      inputSchema: schema(searchArguments),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      _meta: meta("search_products"),
    },
    {
      name: "get_product",
      title: "Get a product",
      description: "One product with all of its variants (options, price, availability, stock), by product id or variant item_id.",
      inputSchema: schema(productArguments),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      _meta: meta("get_product"),
    },
  ];
}

/** A zod issue as a sentence that starts with the JSONPath it is about (the same path as `param`). */
export function describeIssue(issue: z.core.$ZodIssue): { param: string; message: string } {
  const param = `$${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
  const i = issue as z.core.$ZodIssue & { expected?: string; maximum?: unknown; minimum?: unknown; values?: unknown[]; keys?: string[] };
  const what =
    issue.code === "invalid_type" ? `must be ${i.expected === "record" ? "an object" : `a${/^[aeiou]/.test(String(i.expected)) ? "n" : ""} ${i.expected}`}`
    : issue.code === "too_big" ? `must be at most ${String(i.maximum)}${issue.origin === "string" ? " characters" : issue.origin === "array" ? " entries" : ""}`
    : issue.code === "too_small" ? `must be at least ${String(i.minimum)}${issue.origin === "string" ? " characters" : issue.origin === "array" ? " entries" : ""}`
    : issue.code === "invalid_value" ? `must be one of: ${(i.values ?? []).map(String).join(", ")}`
    : issue.code === "unrecognized_keys" ? `has fields this tool does not take: ${(i.keys ?? []).join(", ")}`
    : "is not valid";
  return { param, message: `${param} ${what}.` };
}

function parse<T extends z.ZodType>(schema: T, args: unknown): z.infer<T> {
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data;
  const { param, message } = describeIssue(result.error.issues[0]);
  throw toolErrors.invalidArguments(message, param);
}

export function createDiscoveryTools(catalog: ProductCatalog) {
  return {
    async search_products(shop: { id: string; currency: string }, args: unknown): Promise<SearchOutput> {
      const input = parse(searchArguments, args);
      if (input.min_price !== undefined && input.max_price !== undefined && input.min_price > input.max_price) {
        throw toolErrors.invalidArguments("$.min_price must not be above $.max_price.", "$.min_price");
      }
      const after = input.cursor ? decodeCursor(input.cursor) : undefined;
      if (after === null) throw toolErrors.invalidArguments("$.cursor is not a next_cursor this server returned.", "$.cursor");
      const page = await catalog.search({
        shopId: shop.id,
        currency: shop.currency,
        text: input.query,
        minPrice: input.min_price,
        maxPrice: input.max_price,
        availability: input.availability as Product["availability"][] | undefined,
        limit: input.limit,
        after,
      });
      return { products: page.products, currency: shop.currency, ...(page.more && page.last ? { next_cursor: encodeCursor(page.last) } : {}) };
    },

    async get_product(shop: { id: string; currency: string }, args: unknown): Promise<{ product: Product }> {
      const input = parse(productArguments, args);
      const product = await catalog.product(shop.id, shop.currency, input.id);
      if (!product) throw acpError("invalid_request", "product_not_found", "$.id: no product with this id can be bought here.", "$.id");
      return { product };
    },
  };
}

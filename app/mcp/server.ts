// The MCP endpoint: Streamable HTTP in stateless mode with JSON responses (docs/decisions/0090). Each POST gets
// a fresh SDK Server and transport, scoped to the shop of the presented agent key; tools and UI resources are
// the same for every shop. Framework-free: web Request in, Response out.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { createHash } from "node:crypto";
import type { AcpLogger } from "../acp/handler";
import type { RateLimiter } from "../protection/rate-limit";
import { currencyExponent } from "../money";
import { checkoutToolDefinitions, isCheckoutTool } from "./binding";
import { createCheckoutCaller, type AcpFetch } from "./checkout-tools";
import { createDiscoveryTools, discoveryToolDefinitions } from "./discovery-tools";
import { ACP_ERROR_CODE, AcpToolError, toolErrors } from "./errors";
import type { ProductCatalog } from "./products";
import { readUiResource, toolWidgetMeta, uiResources } from "./widgets/index";

/** The shop an agent key belongs to, as the MCP tools need it. */
export interface McpShop {
  id: string;
  name: string;
  /** ISO 4217, lower case. */
  currency: string;
  countryCode: string;
}

export interface McpEndpointDeps {
  /** The REST ACP handler (services.acp().handle): the one checkout core. */
  acp: AcpFetch;
  acpBasePath?: string;
  authenticate(apiKey: string): Promise<McpShop | null>;
  catalog: ProductCatalog;
  /** Origins the widgets may load product images from. */
  imageDomains?: string[];
  logger?: AcpLogger;
  version?: string;
  /** Per presented key, before any database read (as on REST): a bucket of MCP requests. */
  rateLimiter?: RateLimiter;
}

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

function rpcError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const error = { code: ACP_ERROR_CODE, message, data: { type: status >= 500 ? "processing_error" : "invalid_request", code, message } };
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error }), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** A BCP 47 tag we can format with, or undefined. */
function locale(value: unknown): string | undefined {
  if (typeof value !== "string" || !value) return undefined;
  const first = value.split(",")[0].split(";")[0].trim();
  try {
    return Intl.getCanonicalLocales(first)[0];
  } catch {
    return undefined;
  }
}

export function createMcpEndpoint(deps: McpEndpointDeps) {
  const callCheckoutTool = createCheckoutCaller({ acp: deps.acp, basePath: deps.acpBasePath });
  const discovery = createDiscoveryTools(deps.catalog);
  const imageDomains = deps.imageDomains ?? ["https://cdn.shopify.com"];
  const tools = [...checkoutToolDefinitions(() => toolWidgetMeta("checkout")), ...discoveryToolDefinitions(() => toolWidgetMeta("products"))];

  function serverFor(shop: McpShop, authorization: string): Server {
    const server = new Server(
      { name: "acp-shopify", title: shop.name || "Store", version: deps.version ?? "1.0.0" },
      {
        capabilities: { tools: {}, resources: {} },
        instructions:
          `Buy from ${shop.name || "this store"} for the buyer. Find products with search_products and get_product; pass a variant's item_id ` +
          `as line_items[].id to create_checkout_session with meta.api_version "2026-04-17" and a fresh meta.idempotency_key per operation. ` +
          `Amounts are integers in minor units of ${shop.currency.toUpperCase()}.`,
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: uiResources(imageDomains) }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
    server.setRequestHandler(ReadResourceRequestSchema, (request) => {
      const contents = readUiResource(request.params.uri, imageDomains);
      if (!contents) throw new McpError(-32002, "Resource not found", { uri: request.params.uri.slice(0, 200) });
      return { contents: [contents] };
    });
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const started = Date.now();
      const name = request.params.name;
      const args = (request.params.arguments ?? {}) as Record<string, unknown>;
      let outcome = "ok";
      try {
        const display = {
          locale: locale((request.params._meta as Record<string, unknown> | undefined)?.["openai/locale"]) ?? locale((args.meta as Record<string, unknown> | undefined)?.accept_language),
          currency: shop.currency,
          exponent: currencyExponent(shop.currency),
          shop_name: shop.name,
        };
        let structured: Record<string, unknown>;
        if (isCheckoutTool(name)) {
          const result = await callCheckoutTool({ tool: name, arguments: args, authorization });
          structured = result.session;
          display.locale ??= locale(structured.locale);
        } else if (name === "search_products" || name === "get_product") {
          structured = { ...(await discovery[name](shop, args)) };
        } else {
          throw toolErrors.unknownTool(name);
        }
        display.locale ??= `en-${shop.countryCode}`;
        return { content: [{ type: "text" as const, text: JSON.stringify(structured) }], structuredContent: structured, _meta: { "acp/display": display } };
      } catch (error) {
        if (error instanceof AcpToolError) {
          outcome = error.data.code;
          throw error;
        }
        outcome = "internal_error";
        deps.logger?.error({ shopId: shop.id, tool: name, err: error instanceof Error ? error.name : "unknown" }, "mcp tool failed");
        throw toolErrors.internal();
      } finally {
        deps.logger?.info({ shopId: shop.id, tool: name.slice(0, 60), outcome, ms: Date.now() - started }, "mcp tool call");
      }
    });
    return server;
  }

  return {
    /** `pathKey`: the agent key from the URL (/mcp/<key>), for hosts that cannot send a header (docs/decisions/0095). */
    async handle(request: Request, options: { pathKey?: string } = {}): Promise<Response> {
      // Stateless and JSON-only: no server-initiated stream to GET, no session to DELETE.
      if (request.method !== "POST") return rpcError(405, "method_not_allowed", "Use POST on the MCP endpoint.", { Allow: "POST" });
      const presented = options.pathKey ?? /^Bearer\s+(\S{8,512})\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
      const key = presented && /^\S{8,512}$/.test(presented) ? presented : undefined;
      const decision = deps.rateLimiter?.take(createHash("sha256").update(key ?? `anonymous:${request.headers.get("x-forwarded-for") ?? ""}`).digest("hex"), Date.now());
      if (decision && !decision.allowed) {
        return rpcError(429, "rate_limited", "Too many requests for this API key; retry after the Retry-After delay.", { "Retry-After": String(decision.retryAfterSeconds) });
      }
      const shop = key ? await deps.authenticate(key).catch(() => null) : null;
      if (!shop) {
        return rpcError(401, "unauthorized", "A valid API key is required: Authorization: Bearer <key>.", { "WWW-Authenticate": 'Bearer realm="mcp"' });
      }
      const server = serverFor(shop, `Bearer ${key}`);
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: 256 * 1024 });
      try {
        await server.connect(transport);
        return await transport.handleRequest(request);
      } catch (error) {
        deps.logger?.error({ shopId: shop.id, err: error instanceof Error ? error.name : "unknown" }, "mcp request failed");
        return rpcError(500, "internal_error", "The request could not be processed. It is safe to retry.");
      } finally {
        await server.close().catch(() => undefined);
      }
    },
  };
}

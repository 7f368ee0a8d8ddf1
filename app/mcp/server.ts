// The MCP endpoint: Streamable HTTP in stateless mode with JSON responses (docs/decisions/0090). Each POST gets
// a fresh SDK Server and transport, scoped to the shop of the presented agent key; tools and UI resources are
// the same for every shop. Framework-free: web Request in, Response out.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, isJSONRPCRequest, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema, type JSONRPCMessage, type JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import type { AcpLogger } from "../acp/handler";
import type { AgentLimits } from "../protection/agent-limits";
import { parseBearer, tokenKey } from "../protection/credentials";
import { currencyExponent } from "../money";
import { checkoutToolDefinitions, isCheckoutTool } from "./binding";
import { createCheckoutCaller, type AcpFetch } from "./checkout-tools";
import { createDiscoveryTools, discoveryToolDefinitions } from "./discovery-tools";
import { ACP_ERROR_CODE, AcpToolError, toolErrorResult, toolErrors } from "./errors";
import { describeIssue } from "./discovery-tools";
import type { McpAccessRules } from "./access";
import type { ProductCatalog } from "./products";
import { readUiResource, toolWidgetMeta, uiResources } from "./widgets/index";
import { isDatabaseUnavailable } from "../db/unavailable.server";

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
  /** Per key before the key is looked up, per client address for requests without a working key (0111). */
  limits?: AgentLimits;
  /** Origin and Host values a request may carry (app/mcp/access.ts); unset = no check (unit tests only). */
  access?: McpAccessRules;
}

const RESOURCE_NOT_FOUND = -32002;
const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

const unavailable = () => rpcError(503, "upstream_unavailable", "The store is temporarily unavailable. Retry shortly.", { "Retry-After": "5" });

function rpcError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const type = status === 503 ? "service_unavailable" : status >= 500 ? "processing_error" : "invalid_request";
  const error = { code: ACP_ERROR_CODE, message, data: { type, code, message } };
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: null, error }), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * DNS rebinding (MCP Streamable HTTP, Security warning): a present Origin that is not allowed, or a Host that is
 * not, gets 403 before the key is read. The same lists go to the SDK transport, which checks them again.
 */
function accessRefusal(request: Request, access: McpAccessRules | undefined): Response | null {
  if (!access) return null;
  const origin = request.headers.get("origin");
  if (origin !== null && !access.allowedOrigins.includes(origin)) return rpcError(403, "forbidden_origin", "This Origin may not call the MCP endpoint.");
  const host = request.headers.get("host");
  if (!host || !access.allowedHosts.includes(host.toLowerCase())) return rpcError(403, "forbidden_host", "This Host is not the MCP endpoint's.");
  return null;
}

/**
 * The SDK answers a tools/call that does not match its schema with -32603 and the raw validator output. Checked
 * here first with the SDK's own schema, it is -32602 with a sentence that starts with the path `data.param` names
 * (relative to the request's `params`, as "$.name" for the unknown-tool error).
 */
function malformedCall(message: JSONRPCRequest): AcpToolError | null {
  if (message.method !== "tools/call") return null;
  if (!message.params || typeof message.params !== "object" || Array.isArray(message.params)) {
    return toolErrors.invalidParams("$ must be an object with the tool's name and its arguments.", "$");
  }
  const parsed = CallToolRequestSchema.safeParse(message);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const { param, message: text } = describeIssue({ ...issue, path: issue.path[0] === "params" ? issue.path.slice(1) : issue.path } as typeof issue);
  const hint = param === "$.name" ? " (the name of a tool from tools/list)" : param === "$.arguments" ? " (the tool's arguments)" : "";
  return toolErrors.invalidParams(text.replace(/\.$/, `${hint}.`), param);
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
      // -32002 "Resource not found" (MCP resources spec); thrown so that the message goes out without a second prefix.
      if (!contents) throw new AcpToolError({ type: "invalid_request", code: "resource_not_found", message: "$.uri: no such resource; resources/list has them.", param: "$.uri" }, RESOURCE_NOT_FOUND);
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
          try {
            structured = { ...(await discovery[name](shop, args)) };
          } catch (error) {
            // The app's own tools answer their errors as results (isError); the checkout tools keep the binding's -32000.
            const toolError = error instanceof AcpToolError ? error : toolErrors.internal();
            outcome = toolError.data.code;
            if (!(error instanceof AcpToolError)) deps.logger?.error({ shopId: shop.id, tool: name, err: error instanceof Error ? error.name : "unknown" }, "mcp tool failed");
            return toolErrorResult(toolError);
          }
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
    async handle(request: Request, options: { pathKey?: string; clientAddress?: string | null } = {}): Promise<Response> {
      // Stateless and JSON-only: no server-initiated stream to GET, no session to DELETE.
      const refused = accessRefusal(request, deps.access);
      if (refused) return refused;
      if (request.method !== "POST") return rpcError(405, "method_not_allowed", "Use POST on the MCP endpoint.", { Allow: "POST" });
      const presented = options.pathKey ?? parseBearer(request.headers.get("authorization"));
      const key = presented && /^\S{8,512}$/.test(presented) ? presented : undefined;
      const address = deps.limits?.addressOf(options.clientAddress, request.headers.get("x-forwarded-for")) ?? "unknown";
      const limited = (decision: { allowed: true } | { allowed: false; retryAfterSeconds: number } | undefined) =>
        decision && !decision.allowed
          ? rpcError(429, "rate_limited", "Too many requests; retry after the Retry-After delay.", { "Retry-After": String(decision.retryAfterSeconds) })
          : null;
      const before = limited(await deps.limits?.beforeAuth({ tokenHash: key ? tokenKey(key) : null, address }));
      if (before) return before;
      let authError: unknown;
      const shop = key ? await deps.authenticate(key).catch((error: unknown) => ((authError = error), null)) : null;
      // The database down is not a bad key: 503 to retry, not 401 (docs/decisions/0129).
      if (!shop && isDatabaseUnavailable(authError)) return unavailable();
      if (!shop) {
        // A failed key costs its address a point; an address out of budget gets 429, so guessing keys buys nothing.
        const afterFailure = limited(await deps.limits?.authFailed(address));
        if (afterFailure) return afterFailure;
        return rpcError(401, "unauthorized", "A valid API key is required: Authorization: Bearer <key>.", { "WWW-Authenticate": 'Bearer realm="mcp"' });
      }
      // The shop's budget across all its keys, as on REST.
      const shopLimited = limited(await deps.limits?.authenticated({ tokenHash: tokenKey(key!), shopId: shop.id }));
      if (shopLimited) return shopLimited;
      const server = serverFor(shop, `Bearer ${key}`);
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
        maxRequestBodySize: 256 * 1024,
        ...(deps.access ? { enableDnsRebindingProtection: true, allowedOrigins: deps.access.allowedOrigins, allowedHosts: deps.access.allowedHosts } : {}),
      });
      try {
        await server.connect(transport);
        const deliver = transport.onmessage!;
        transport.onmessage = (message: JSONRPCMessage, extra) => {
          const problem = isJSONRPCRequest(message) ? malformedCall(message) : null;
          if (!problem) return deliver(message, extra);
          void transport.send({ jsonrpc: "2.0", id: (message as JSONRPCRequest).id, error: { code: problem.code, message: problem.message, data: problem.data } });
        };
        return await transport.handleRequest(request);
      } catch (error) {
        deps.logger?.error({ shopId: shop.id, err: error instanceof Error ? error.name : "unknown" }, "mcp request failed");
        if (isDatabaseUnavailable(error)) return unavailable();
        return rpcError(500, "internal_error", "The request could not be processed. It is safe to retry.");
      } finally {
        await server.close().catch(() => undefined);
      }
    },
  };
}

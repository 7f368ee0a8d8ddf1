// GET /.well-known/acp.json (ACP 2026-04-17 discovery, acp.md §2.10): public, cacheable, no merchant ids.
import { SUPPORTED_VERSIONS } from "./versions";

export interface DiscoveryOptions {
  apiBaseUrl: string; // agents append /checkout_sessions
  documentationUrl?: string;
  currencies?: string[]; // lower case
  /** Whether the MCP binding is served too (at /mcp); REST always is. */
  mcp?: boolean;
}

export function discoveryDocument(options: DiscoveryOptions): Record<string, unknown> {
  const oldestFirst = [...SUPPORTED_VERSIONS].reverse();
  return {
    protocol: {
      name: "acp",
      version: oldestFirst[oldestFirst.length - 1],
      supported_versions: oldestFirst,
      ...(options.documentationUrl ? { documentation_url: options.documentationUrl } : {}),
    },
    api_base_url: options.apiBaseUrl,
    transports: options.mcp ? ["rest", "mcp"] : ["rest"],
    capabilities: {
      services: ["checkout"],
      extensions: [{ name: "discount", spec: "https://agenticcommerce.dev/specs/discount", schema: "https://agenticcommerce.dev/schemas/discount.json" }],
      intervention_types: [],
      ...(options.currencies?.length ? { supported_currencies: [...new Set(options.currencies.map((c) => c.toLowerCase()))] } : {}),
    },
  };
}

export function discoveryResponse(options: DiscoveryOptions): Response {
  return new Response(JSON.stringify(discoveryDocument(options)), {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}

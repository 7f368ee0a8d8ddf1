// Composition of the MCP endpoint from the app's services: the REST ACP handler (one checkout core), the agent
// key repository (the same keys as REST) and the synced catalog. Resolved keys are kept for a few seconds, as
// the REST side does (docs/decisions/0009).
import type { PrismaClient } from "@prisma/client";
import type { AcpLogger } from "../acp/handler";
import type { AgentKeyRepository } from "../db/agent-keys.server";
import type { AgentLimits } from "../protection/agent-limits";
import { createPrismaProductCatalog } from "./product-catalog.server";
import { createMcpEndpoint, type McpShop } from "./server";
import type { AcpFetch } from "./checkout-tools";
import type { McpAccessRules } from "./access";

export interface ComposeMcpOptions {
  db: PrismaClient;
  acp: { handle: AcpFetch; keys: AgentKeyRepository };
  logger?: AcpLogger;
  authCacheMs?: number;
  imageDomains?: string[];
  /** MCP's own budgets per agent key and per client address (createAgentLimits with name "mcp"). */
  limits?: AgentLimits;
  /** Allowed Origin and Host values (mcpAccessRules); the app always sets them. */
  access?: McpAccessRules;
}

const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_MAX = 1_000;

export function composeMcp(options: ComposeMcpOptions) {
  const { db } = options;
  const cache = new Map<string, { expires: number; shop: McpShop }>();

  async function authenticate(apiKey: string): Promise<McpShop | null> {
    const cached = cache.get(apiKey);
    if (cached && cached.expires > Date.now()) return cached.shop;
    const resolved = await options.acp.keys.resolve(apiKey);
    const row = resolved ? await db.shop.findUnique({ where: { id: resolved.shopId } }) : null;
    if (!row || row.uninstalledAt) {
      cache.delete(apiKey);
      return null;
    }
    const shop: McpShop = { id: row.id, name: row.name, currency: row.currencyCode.toLowerCase(), countryCode: row.countryCode };
    if (cache.size >= AUTH_CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(apiKey, { expires: Date.now() + (options.authCacheMs ?? AUTH_CACHE_MS), shop });
    return shop;
  }

  return createMcpEndpoint({
    acp: options.acp.handle,
    authenticate,
    catalog: createPrismaProductCatalog(db),
    logger: options.logger,
    imageDomains: options.imageDomains,
    limits: options.limits,
    access: options.access,
  });
}

export type McpEndpoint = ReturnType<typeof composeMcp>;

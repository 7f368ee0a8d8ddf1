// Composition of the MCP endpoint from the app's services: the REST ACP handler (one checkout core), the agent
// key repository (the same keys as REST) and the synced catalog.
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
  imageDomains?: string[];
  /** MCP's own budgets per agent key and per client address (createAgentLimits with name "mcp"). */
  limits?: AgentLimits;
  /** Allowed Origin and Host values (mcpAccessRules); the app always sets them. */
  access?: McpAccessRules;
}

export function composeMcp(options: ComposeMcpOptions) {
  const { db } = options;

  // The key is looked up on every request, so a revoked key is refused at once, as on REST (docs/decisions/0113).
  async function authenticate(apiKey: string): Promise<McpShop | null> {
    const resolved = await options.acp.keys.resolve(apiKey);
    const row = resolved ? await db.shop.findUnique({ where: { id: resolved.shopId } }) : null;
    if (!row || row.uninstalledAt) return null;
    return { id: row.id, name: row.name, currency: row.currencyCode.toLowerCase(), countryCode: row.countryCode };
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

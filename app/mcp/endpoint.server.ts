// The app's one MCP endpoint, composed on first use from the composition root's services (the routes stay thin).
import { services } from "../services.server";
import { parseRateLimit } from "../protection/rate-limit";
import { createAgentLimits } from "../protection/agent-limits";
import { limiterForDatabase } from "../protection/limiter-postgres.server";
import { parseTrustedProxies } from "../protection/client-address";
import { rateLimited } from "../observability/metrics.server";
import { composeMcp, type McpEndpoint } from "./compose.server";
import { mcpAccessRules } from "./access";

let endpoint: McpEndpoint | undefined;

export function mcpEndpoint(): McpEndpoint {
  if (endpoint) return endpoint;
  // MCP_RATE_LIMIT ("capacity/perSecond") or the REST setting; checkout calls also count against the REST bucket.
  // Unauthenticated traffic per client address (ACP_ADDRESS_RATE_LIMIT, socket address unless TRUSTED_PROXIES).
  const limits = createAgentLimits({
    name: "mcp",
    perKey: parseRateLimit(process.env.MCP_RATE_LIMIT ?? process.env.ACP_RATE_LIMIT, { capacity: 200, refillPerSecond: 100 }),
    perShop: parseRateLimit(process.env.ACP_SHOP_RATE_LIMIT, { capacity: 600, refillPerSecond: 300 }),
    perAddress: parseRateLimit(process.env.ACP_ADDRESS_RATE_LIMIT, { capacity: 60, refillPerSecond: 20 }),
    trustedProxies: parseTrustedProxies(process.env.TRUSTED_PROXIES),
    limiter: limiterForDatabase(),
    onLimited: () => rateLimited.inc(),
  });
  // Origin/Host allowed for DNS-rebinding protection: the app's own, plus MCP_ALLOWED_ORIGINS / MCP_ALLOWED_HOSTS (0122).
  const access = mcpAccessRules(services.config.appUrl, process.env);
  return (endpoint = composeMcp({ db: services.db, acp: services.acp(), logger: services.logger, limits, access }));
}

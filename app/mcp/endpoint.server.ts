// The app's one MCP endpoint, composed on first use from the composition root's services (the routes stay thin).
import { services } from "../services.server";
import { parseRateLimit } from "../protection/rate-limit";
import { composeMcp, type McpEndpoint } from "./compose.server";
import { mcpAccessRules } from "./access";

let endpoint: McpEndpoint | undefined;

export function mcpEndpoint(): McpEndpoint {
  // MCP_RATE_LIMIT ("capacity/perSecond") or the REST setting; checkout calls also count against the REST bucket.
  const rateLimit = parseRateLimit(process.env.MCP_RATE_LIMIT ?? process.env.ACP_RATE_LIMIT, { capacity: 200, refillPerSecond: 100 });
  // Origin/Host allowed for DNS-rebinding protection: the app's own, plus MCP_ALLOWED_ORIGINS / MCP_ALLOWED_HOSTS (0122).
  const access = mcpAccessRules(services.config.appUrl, process.env);
  // authCacheMs 0: the key is looked up on every request, so a revoked key is refused at once, as on REST (0113).
  return (endpoint ??= composeMcp({ db: services.db, acp: services.acp(), logger: services.logger, rateLimit, access, authCacheMs: 0 }));
}

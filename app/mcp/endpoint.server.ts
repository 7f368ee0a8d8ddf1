// The app's one MCP endpoint, composed on first use from the composition root's services (the routes stay thin).
import { services } from "../services.server";
import { parseRateLimit } from "../protection/rate-limit";
import { composeMcp, type McpEndpoint } from "./compose.server";

let endpoint: McpEndpoint | undefined;

export function mcpEndpoint(): McpEndpoint {
  // MCP_RATE_LIMIT ("capacity/perSecond") or the REST setting; checkout calls also count against the REST bucket.
  const rateLimit = parseRateLimit(process.env.MCP_RATE_LIMIT ?? process.env.ACP_RATE_LIMIT, { capacity: 200, refillPerSecond: 100 });
  return (endpoint ??= composeMcp({ db: services.db, acp: services.acp(), logger: services.logger, rateLimit }));
}

// The app's one MCP endpoint, composed on first use from the composition root's services (the routes stay thin).
import { services } from "../services.server";
import { composeMcp, type McpEndpoint } from "./compose.server";

let endpoint: McpEndpoint | undefined;

export function mcpEndpoint(): McpEndpoint {
  return (endpoint ??= composeMcp({ db: services.db, acp: services.acp(), logger: services.logger }));
}

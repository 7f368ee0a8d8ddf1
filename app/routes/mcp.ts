// The MCP endpoint (Streamable HTTP, stateless) at /mcp: ACP's MCP binding plus product discovery and widgets.
// Everything lives in app/mcp; this route only hands the request over.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../services.server";
import { composeMcp, type McpEndpoint } from "../mcp/compose.server";

let endpoint: McpEndpoint | undefined;
const mcp = () => (endpoint ??= composeMcp({ db: services.db, acp: services.acp(), logger: services.logger }));

export const loader = ({ request }: LoaderFunctionArgs) => mcp().handle(request);
export const action = ({ request }: ActionFunctionArgs) => mcp().handle(request);

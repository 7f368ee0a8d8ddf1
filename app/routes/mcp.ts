// The MCP endpoint (Streamable HTTP, stateless) at /mcp: ACP's MCP binding plus product discovery and widgets.
// Everything lives in app/mcp; this route only hands the request over.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mcpEndpoint } from "../mcp/endpoint.server";

export const loader = ({ request }: LoaderFunctionArgs) => mcpEndpoint().handle(request);
export const action = ({ request }: ActionFunctionArgs) => mcpEndpoint().handle(request);

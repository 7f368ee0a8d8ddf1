// The MCP endpoint (Streamable HTTP, stateless) at /mcp: ACP's MCP binding plus product discovery and widgets.
// Everything lives in app/mcp; this route only hands the request over.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mcpEndpoint } from "../mcp/endpoint.server";
import { connection } from "../http/connection";

export const loader = ({ request, context }: LoaderFunctionArgs) => mcpEndpoint().handle(request, connection(context));
export const action = ({ request, context }: ActionFunctionArgs) => mcpEndpoint().handle(request, connection(context));

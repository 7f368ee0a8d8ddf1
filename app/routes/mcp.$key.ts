// The MCP endpoint with the agent key in the path (/mcp/<key>), for MCP hosts whose connector settings cannot send
// an Authorization header (ChatGPT's offer OAuth or none). Same endpoint, same keys (docs/decisions/0095).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mcpEndpoint } from "../mcp/endpoint.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => mcpEndpoint().handle(request, { pathKey: params.key ?? "" });
export const action = ({ request, params }: ActionFunctionArgs) => mcpEndpoint().handle(request, { pathKey: params.key ?? "" });

// The MCP endpoint with the agent key in the path (/mcp/<key>), for MCP hosts whose connector settings cannot send
// an Authorization header (ChatGPT's offer OAuth or none). Same endpoint, same keys (docs/decisions/0095).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { mcpEndpoint } from "../mcp/endpoint.server";
import { connection } from "../http/connection";

export const loader = ({ request, params, context }: LoaderFunctionArgs) => mcpEndpoint().handle(request, { pathKey: params.key ?? "", ...connection(context) });
export const action = ({ request, params, context }: ActionFunctionArgs) => mcpEndpoint().handle(request, { pathKey: params.key ?? "", ...connection(context) });

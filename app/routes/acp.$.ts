// The agent-facing ACP checkout API under /acp/*: one thin splat route; routing, auth, versions, idempotency,
// limits and errors all live in the framework-free handler (app/acp/handler.ts). The server's load context
// carries the socket's peer address (scripts/serve.mjs getLoadContext), for limits on unauthenticated traffic.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../services.server";
import { connection } from "../http/connection";

export const loader = ({ request, context }: LoaderFunctionArgs) => services.acp().handle(request, connection(context));
export const action = ({ request, context }: ActionFunctionArgs) => services.acp().handle(request, connection(context));

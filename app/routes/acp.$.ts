// The agent-facing ACP checkout API under /acp/*: one thin splat route; routing, auth, versions, idempotency and
// errors all live in the framework-free handler (app/acp/handler.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { acpFor } from "../acp/compose.server";
import { services } from "../services.server";

// services.server.ts may provide getAcpHandler(); until it does, compose from the services it has.
function handler(): (request: Request) => Promise<Response> {
  const provided = (services as { getAcpHandler?: () => (request: Request) => Promise<Response> }).getAcpHandler;
  return provided ? provided() : acpFor(services).handler;
}

export const loader = ({ request }: LoaderFunctionArgs) => handler()(request);
export const action = ({ request }: ActionFunctionArgs) => handler()(request);

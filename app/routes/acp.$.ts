// The agent-facing ACP checkout API under /acp/*: one thin splat route; routing, auth, versions, idempotency and
// errors all live in the framework-free handler (app/acp/handler.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { services } from "../services.server";

export const loader = ({ request }: LoaderFunctionArgs) => services.acp().handle(request);
export const action = ({ request }: ActionFunctionArgs) => services.acp().handle(request);

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["app/scopes_update"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, TOPICS); // the work: app/webhooks/handlers.server.ts

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";

// The three mandatory compliance topics share one endpoint (shopify.app.toml `compliance_topics`).
/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, TOPICS); // the work: app/webhooks/handlers.server.ts

// orders/create, orders/updated, orders/cancelled, fulfillments/create, fulfillments/update, refunds/create
// → agent order snapshot, Stripe refunds, order events to the agent (app/orders).
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["orders/create", "orders/updated", "orders/cancelled", "fulfillments/create", "fulfillments/update", "refunds/create"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, TOPICS); // the work: app/webhooks/handlers.server.ts

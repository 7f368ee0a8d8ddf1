// orders/create, orders/updated, orders/cancelled, fulfillments/create, fulfillments/update, refunds/create
// → agent order snapshot, Stripe refunds, order events to the agent (app/orders).
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleOrderWebhook } from "../orders/webhook-handler.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["orders/create", "orders/updated", "orders/cancelled", "fulfillments/create", "fulfillments/update", "refunds/create"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, async ({ shopDomain, topic, payload }) => {
    await handleOrderWebhook({ db: services.db }, { shopDomain, topic, payload });
  });

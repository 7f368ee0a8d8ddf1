// orders/create, orders/updated, orders/cancelled, fulfillments/create, fulfillments/update, refunds/create
// → agent order snapshot, Stripe refunds, order events to the agent (app/orders).
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleOrderWebhook } from "../orders/webhook-handler.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, async ({ shopDomain, topic, payload }) => {
    await handleOrderWebhook({ db: services.db }, { shopDomain, topic, payload });
  });

// products/create, products/update, products/delete → the product's feed rows.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleProductsWebhook } from "../catalog/webhooks.server";
import { catalogContextFor } from "../catalog/context.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["products/create", "products/update", "products/delete"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, async ({ shopDomain, topic, payload }) => {
    const ctx = await catalogContextFor(services, shopDomain);
    if (ctx) await handleProductsWebhook(ctx, topic, payload);
  });

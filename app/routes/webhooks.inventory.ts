// inventory_levels/update → the variant's stock and availability in the feed.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleInventoryWebhook } from "../catalog/webhooks.server";
import { catalogContextFor } from "../catalog/context.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["inventory_levels/update"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, async ({ shopDomain, payload }) => {
    const ctx = await catalogContextFor(services, shopDomain);
    if (ctx) await handleInventoryWebhook(ctx, payload);
  });

// bulk_operations/finish → import the catalog export that a full sync started.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleBulkFinishWebhook } from "../catalog/webhooks.server";
import { catalogContextFor } from "../catalog/context.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["bulk_operations/finish"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, async ({ shopDomain, payload }) => {
    const ctx = await catalogContextFor(services, shopDomain);
    if (ctx) await handleBulkFinishWebhook(ctx, payload);
  });

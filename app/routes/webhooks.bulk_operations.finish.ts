// bulk_operations/finish → import the catalog export that a full sync started.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { services } from "../services.server";
import { handleBulkFinishWebhook } from "../catalog/webhooks.server";
import { catalogContextFor } from "../catalog/context.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, async ({ shopDomain, payload }) => {
    const ctx = await catalogContextFor(services, shopDomain);
    if (ctx) await handleBulkFinishWebhook(ctx, payload);
  });

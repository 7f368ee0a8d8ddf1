// inventory_levels/update → the variant's stock and availability in the feed.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["inventory_levels/update"] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, TOPICS); // the work: app/webhooks/handlers.server.ts

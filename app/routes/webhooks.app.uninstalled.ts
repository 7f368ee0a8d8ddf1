import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { onAppUninstalled } from "../webhooks/lifecycle.server";
import { services } from "../services.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["app/uninstalled"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, ({ shopDomain }) => onAppUninstalled(services.db, shopDomain));

import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { onScopesUpdate } from "../webhooks/lifecycle.server";
import { services } from "../services.server";

/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["app/scopes_update"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, ({ shopDomain, payload }) => onScopesUpdate(services.db, shopDomain, payload as { current?: string[] }));

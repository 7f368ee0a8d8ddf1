import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { onScopesUpdate } from "../webhooks/lifecycle.server";
import { services } from "../services.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ shopDomain, payload }) => onScopesUpdate(services.db, shopDomain, payload as { current?: string[] }));

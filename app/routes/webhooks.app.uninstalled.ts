import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { onAppUninstalled } from "../webhooks/lifecycle.server";
import { services } from "../services.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, ({ shopDomain }) => onAppUninstalled(services.db, shopDomain));

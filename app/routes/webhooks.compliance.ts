import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";
import { onCustomerDataRequest, onCustomerRedact, onShopRedact } from "../webhooks/lifecycle.server";
import { services } from "../services.server";

// The three mandatory compliance topics share one endpoint (shopify.app.toml `compliance_topics`).
/** The topics shopify.app.toml subscribes to this address. */
export const TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, TOPICS, async ({ shopDomain, topic, webhookId, payload }) => {
    const body = payload as Parameters<typeof onCustomerRedact>[3];
    if (topic === "customers/data_request") return onCustomerDataRequest(services.db, shopDomain, webhookId, body);
    if (topic === "customers/redact") return onCustomerRedact(services.db, shopDomain, webhookId, body);
    if (topic === "shop/redact") return onShopRedact(services.db, shopDomain, webhookId);
    throw new Error(`Unexpected compliance topic ${topic}`);
  });

// Every Shopify webhook route goes through here: HMAC check (shopify-app-remix: 401 on a bad signature),
// then deduplication by X-Shopify-Webhook-Id, then the handler. A failed handler releases the id so
// Shopify's retry is processed again.
import { Prisma } from "@prisma/client";
import { authenticate } from "../shopify.server";
import { services } from "../services.server";
import { logger } from "../observability/logger.server";

export interface WebhookContext {
  shopDomain: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

/** Records the delivery; false when this webhook id was already handled. */
async function claim(webhookId: string, shopDomain: string, topic: string): Promise<boolean> {
  try {
    await services.db.webhookReceipt.create({ data: { webhookId, shopDomain, topic } });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

export async function receiveWebhook(request: Request, handle: (ctx: WebhookContext) => Promise<void>): Promise<Response> {
  const { shop, topic, payload, webhookId } = await authenticate.webhook(request);
  // The library gives enum names (PRODUCTS_UPDATE); handlers speak the header's slash form (products/update).
  const slashTopic = request.headers.get("x-shopify-topic") ?? request.headers.get("shopify-topic") ?? String(topic);
  const id = webhookId || `${slashTopic}:${shop}:${request.headers.get("x-shopify-event-id") ?? Date.now()}`;
  if (!(await claim(id, shop, slashTopic))) return new Response(null, { status: 200 });
  try {
    await handle({ shopDomain: shop, topic: slashTopic, webhookId: id, payload });
  } catch (error) {
    await services.db.webhookReceipt.delete({ where: { webhookId: id } }).catch(() => undefined);
    logger.error({ topic: slashTopic, shop, webhookId: id, err: (error as Error).message }, "webhook handler failed");
    return new Response(null, { status: 500 });
  }
  return new Response(null, { status: 200 });
}

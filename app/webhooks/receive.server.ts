// Every Shopify webhook route goes through here: the body capped while it streams (413 past 1 MB, before the
// library reads it), the HMAC check (shopify-app-remix: 401 on a bad signature), the delivery checks that the
// signature does not cover (the route's topics, the payload's shop and shape, the delivery's age: 400/401,
// docs/decisions/0101), then deduplication by X-Shopify-Webhook-Id and X-Shopify-Event-Id, then the handler.
// A failed handler releases the receipt so Shopify's retry is processed again.
import { Prisma } from "@prisma/client";
import { authenticate } from "../shopify.server";
import { services } from "../services.server";
import { logger } from "../observability/logger.server";
import { BODY_LIMITS, BodyTooLarge, withBodyLimit } from "../http/body-limit.server";
import { checkDelivery } from "./delivery-checks";

export interface WebhookContext {
  shopDomain: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

/** Records the delivery; false when this webhook id, or this event of this topic, was already handled. */
async function claim(webhookId: string, eventId: string | null, shopDomain: string, topic: string): Promise<boolean> {
  try {
    await services.db.webhookReceipt.create({ data: { webhookId, eventId, shopDomain, topic } });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

function header(request: Request, name: string): string | undefined {
  return request.headers.get(`x-shopify-${name}`) ?? request.headers.get(`shopify-${name}`) ?? undefined;
}

/** `topics`: the topics Shopify delivers to this route (shopify.app.toml); any other topic header is refused. */
export async function receiveWebhook(request: Request, topics: readonly string[], handle: (ctx: WebhookContext) => Promise<void>): Promise<Response> {
  try {
    request = await withBodyLimit(request, BODY_LIMITS.shopifyWebhook);
  } catch (error) {
    if (error instanceof BodyTooLarge) return new Response(null, { status: 413, headers: { Connection: "close" } });
    throw error;
  }
  const { shop, topic, payload, webhookId } = await authenticate.webhook(request);
  // The library gives enum names (PRODUCTS_UPDATE); handlers speak the header's slash form (products/update).
  const slashTopic = header(request, "topic") ?? String(topic);
  const eventId = header(request, "event-id")?.slice(0, 200) ?? null;
  const verdict = checkDelivery({ topic: slashTopic, shop, triggeredAt: header(request, "triggered-at"), payload }, topics, Date.now());
  if (!verdict.ok) {
    // No payload in the log: it may carry buyer data.
    logger.warn({ topic: slashTopic.slice(0, 60), shop, webhookId, status: verdict.status, reason: verdict.reason }, "webhook delivery refused");
    return new Response(null, { status: verdict.status });
  }
  const id = webhookId || `${slashTopic}:${shop}:${eventId ?? Date.now()}`;
  if (!(await claim(id, eventId, shop, slashTopic))) return new Response(null, { status: 200 });
  try {
    await handle({ shopDomain: shop, topic: slashTopic, webhookId: id, payload });
  } catch (error) {
    await services.db.webhookReceipt.delete({ where: { webhookId: id } }).catch(() => undefined);
    logger.error({ topic: slashTopic, shop, webhookId: id, err: (error as Error).message }, "webhook handler failed");
    return new Response(null, { status: 500 });
  }
  return new Response(null, { status: 200 });
}

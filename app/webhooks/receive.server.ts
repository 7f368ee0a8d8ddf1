// Every Shopify webhook route goes through here: the body capped while it streams (413 past 1 MB, before the
// library reads it), the HMAC check (shopify-app-remix: 401 on a bad signature), the delivery checks that the
// signature does not cover (the route's topics, the payload's shop and shape, the delivery's age: 400/401,
// docs/decisions/0101), then deduplication by X-Shopify-Webhook-Id and X-Shopify-Event-Id, then the handler.
// Topics that call Shopify are persisted with the receipt and processed from the outbox queue (first attempt right
// away, within 3 s; docs/decisions/0138). Inline topics: a failed handler releases the receipt so Shopify's retry
// is processed again.
import { Prisma, type OutboxEvent } from "@prisma/client";
import { authenticate } from "../shopify.server";
import { services } from "../services.server";
import { logger } from "../observability/logger.server";
import { BODY_LIMITS, BodyTooLarge, withBodyLimit } from "../http/body-limit.server";
import { checkDelivery } from "./delivery-checks";
import { deliverNow } from "../jobs/outbox.server";
import { QUEUED_TOPICS, SHOPIFY_WEBHOOK, webhookAggregate, webhookHandlers, webhookOutboxHandler, type WebhookContext, type WebhookHandler } from "./handlers.server";

export type { WebhookContext } from "./handlers.server";

let handlers: Record<string, WebhookHandler> | undefined;
const topicHandlers = () => (handlers ??= webhookHandlers(services));

/**
 * Queued topics: the receipt and the queued delivery in one transaction (false: a duplicate), then one attempt
 * right away within a budget that keeps the answer inside Shopify's 5 seconds; what fails or runs over is the
 * outbox worker's (docs/decisions/0138). Null when the shop has no row (nothing to queue under): handle inline.
 */
async function enqueueDelivery(ctx: WebhookContext, eventId: string | null): Promise<boolean | null> {
  const shop = await services.db.shop.findUnique({ where: { domain: ctx.shopDomain }, select: { id: true } });
  if (!shop) return null;
  let event: OutboxEvent;
  try {
    [, event] = await services.db.$transaction([
      services.db.webhookReceipt.create({ data: { webhookId: ctx.webhookId, eventId, shopDomain: ctx.shopDomain, topic: ctx.topic } }),
      services.db.outboxEvent.create({
        data: { shopId: shop.id, type: SHOPIFY_WEBHOOK, aggregateId: webhookAggregate(ctx.topic, ctx.payload), payloadJson: JSON.stringify(ctx), nextAttemptAt: new Date() },
      }),
    ]);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
  const outcome = await deliverNow(services.db, event, { [SHOPIFY_WEBHOOK]: webhookOutboxHandler(services, topicHandlers()) }, {
    budgetMs: QUEUED_BUDGET_MS,
    onError: (error) => logger.error({ topic: ctx.topic, shop: ctx.shopDomain, webhookId: ctx.webhookId, err: error.message }, "queued webhook could not be recorded"),
  });
  if (outcome !== "delivered") logger.info({ topic: ctx.topic, shop: ctx.shopDomain, webhookId: ctx.webhookId, outcome }, "webhook left to the queue");
  return true;
}

/** How long the receiving request works on a queued delivery before answering (Shopify waits 5 s). */
const QUEUED_BUDGET_MS = 3000;

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

/**
 * `topics`: the topics Shopify delivers to this route (shopify.app.toml); any other topic header is refused. The
 * work is the topic's handler (handlers.server.ts) unless the route passes its own.
 */
export async function receiveWebhook(request: Request, topics: readonly string[], handle?: (ctx: WebhookContext) => Promise<void>): Promise<Response> {
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
  const ctx: WebhookContext = { shopDomain: shop, topic: slashTopic, webhookId: id, payload };
  if (!handle && QUEUED_TOPICS.has(slashTopic)) {
    const queued = await enqueueDelivery(ctx, eventId);
    if (queued !== null) return new Response(null, { status: 200 });
  }
  if (!(await claim(id, eventId, shop, slashTopic))) return new Response(null, { status: 200 });
  try {
    const run = handle ?? topicHandlers()[slashTopic];
    if (!run) throw new Error(`No handler for topic ${slashTopic}`);
    await run(ctx);
  } catch (error) {
    await services.db.webhookReceipt.delete({ where: { webhookId: id } }).catch(() => undefined);
    logger.error({ topic: slashTopic, shop, webhookId: id, err: (error as Error).message }, "webhook handler failed");
    return new Response(null, { status: 500 });
  }
  return new Response(null, { status: 200 });
}

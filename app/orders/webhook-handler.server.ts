// Shopify order webhooks → the agent order's snapshot, Stripe refunds for money refunded in Shopify, and an
// order event for the agent — all in one transaction. Only agent orders are handled (docs/decisions/0064).
import type { AgentOrder, PrismaClient, Shop } from "@prisma/client";
import { enqueue } from "../jobs/outbox.server";
import { logger as rootLogger, type Logger } from "../observability/logger.server";
import { refundedMoneyMinor } from "./agent-order";
import { reportOrderState, parseSnapshot } from "./order-events.server";
import {
  emptyOrderFacts,
  fulfillmentFactsFrom,
  mergeOrder,
  orderFactsFrom,
  orderGidFromId,
  refundFactsFrom,
  withFulfillment,
  withRefund,
  type ShopifyOrderFacts,
} from "./shopify-order";
import { planStripeRefund, stripeRefundIdempotencyKey } from "./stripe-refund-plan";
import { ConcurrentUpdate, inTransaction, type Tx } from "./transactions.server";
import { shopifyCustomerIdOf } from "../privacy/buyer-key";

export const ORDER_TOPICS = ["orders/create", "orders/updated", "orders/cancelled", "fulfillments/create", "fulfillments/update", "refunds/create"] as const;
export const STRIPE_REFUND = "stripe_refund";

export interface OrderWebhookDeps {
  db: PrismaClient;
  now?: () => Date;
  logger?: Logger;
}

export interface OrderWebhook {
  shopDomain: string;
  topic: string;
  payload: unknown;
}

export type OrderWebhookOutcome =
  | { kind: "ignored"; reason: "unknown_shop" | "unknown_topic" | "not_an_agent_order" | "malformed" }
  | { kind: "recorded"; agentOrderId: string; eventEnqueued: boolean; stripeRefundsQueued: number };

/** Shopify asked to retry: the order names a paid agent session whose AgentOrder is not committed yet. */
export class OrderNotYetRecorded extends Error {
  constructor(checkoutSessionId: string) {
    super(`Agent order for ${checkoutSessionId} not recorded yet; retry`);
    this.name = "OrderNotYetRecorded";
  }
}

type Part =
  | { kind: "order"; orderId: string; facts: ShopifyOrderFacts }
  | { kind: "fulfillment"; orderId: string; apply: (facts: ShopifyOrderFacts) => ShopifyOrderFacts }
  | { kind: "refund"; orderId: string; apply: (facts: ShopifyOrderFacts) => ShopifyOrderFacts };

function partOf(topic: string, payload: unknown, seenAt: string): Part | null {
  const body = (payload ?? {}) as Record<string, unknown>;
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled": {
      const facts = orderFactsFrom(body, seenAt);
      return facts ? { kind: "order", orderId: facts.id, facts } : null;
    }
    case "fulfillments/create":
    case "fulfillments/update": {
      const orderId = orderGidFromId(body.order_id);
      const fulfillment = fulfillmentFactsFrom(body, seenAt);
      return orderId && fulfillment ? { kind: "fulfillment", orderId, apply: (facts) => withFulfillment(facts, fulfillment) } : null;
    }
    case "refunds/create": {
      const orderId = orderGidFromId(body.order_id);
      if (!orderId) return null;
      return {
        kind: "refund",
        orderId,
        apply: (facts) => {
          const refund = refundFactsFrom(body, facts.currency);
          return refund ? withRefund(facts, refund) : facts;
        },
      };
    }
    default:
      return null;
  }
}

/** orders/*: the order's Shopify customer id, kept so customers/redact and data_request find it (docs/decisions/0105). */
function customerIdOf(part: Part, payload: unknown): { shopifyCustomerId?: string } {
  if (part.kind !== "order") return {};
  const id = shopifyCustomerIdOf(((payload ?? {}) as { customer?: { id?: unknown } }).customer?.id);
  return id ? { shopifyCustomerId: id } : {};
}

export async function handleOrderWebhook(deps: OrderWebhookDeps, webhook: OrderWebhook): Promise<OrderWebhookOutcome> {
  const now = deps.now?.() ?? new Date();
  if (!(ORDER_TOPICS as readonly string[]).includes(webhook.topic)) return { kind: "ignored", reason: "unknown_topic" };
  const shop = await deps.db.shop.findUnique({ where: { domain: webhook.shopDomain } });
  if (!shop) return { kind: "ignored", reason: "unknown_shop" };
  const part = partOf(webhook.topic, webhook.payload, now.toISOString());
  if (!part) return { kind: "ignored", reason: "malformed" };
  const log = (deps.logger ?? rootLogger).child({ shopId: shop.id, topic: webhook.topic, shopifyOrderId: part.orderId });

  const outcome = await inTransaction(deps.db, async (tx): Promise<OrderWebhookOutcome> => {
    const agentOrder = (await tx.agentOrder.findFirst({ where: { shopId: shop.id, shopifyOrderId: part.orderId } })) ?? (part.kind === "order" ? await attributeHandoffOrder(tx, shop, part.facts, log) : null);
    if (!agentOrder) return { kind: "ignored", reason: "not_an_agent_order" };

    const stored = parseSnapshot(agentOrder.shopifyOrderJson) ?? (part.kind === "order" ? null : emptyOrderFacts(agentOrder.shopifyOrderId, agentOrder.orderName, agentOrder.currency, agentOrder.statusUrl));
    const snapshot = part.kind === "order" ? mergeOrder(stored, part.facts) : part.apply(stored!);
    const saved = await tx.agentOrder.updateMany({
      where: { id: agentOrder.id, revision: agentOrder.revision },
      data: { shopifyOrderJson: JSON.stringify(snapshot), revision: { increment: 1 }, ...customerIdOf(part, webhook.payload) },
    });
    if (saved.count !== 1) throw new ConcurrentUpdate(`agent order ${agentOrder.id}`);

    const stripeRefundsQueued = agentOrder.paymentIntentId ? await queueStripeRefunds(tx, agentOrder, snapshot, now) : 0;
    const { enqueued } = await reportOrderState(tx, agentOrder.id, now);
    return { kind: "recorded", agentOrderId: agentOrder.id, eventEnqueued: enqueued, stripeRefundsQueued };
  });
  if (outcome.kind === "recorded") log.info({ agentOrderId: outcome.agentOrderId, eventEnqueued: outcome.eventEnqueued, stripeRefundsQueued: outcome.stripeRefundsQueued }, "order webhook recorded");
  return outcome;
}

/**
 * Hand-off mode: an order placed in Shopify's checkout from an agent session's continue_url carries the
 * session id as a cart attribute. Record it as an agent order on first sight (nothing charged by the app).
 */
async function attributeHandoffOrder(tx: Tx, shop: Shop, facts: ShopifyOrderFacts, log: Logger): Promise<AgentOrder | null> {
  const sessionId = facts.agentSessionId ?? (facts.sourceIdentifier?.startsWith("cs_") ? facts.sourceIdentifier : null);
  if (!sessionId) return null;
  const session = await tx.checkoutSession.findFirst({ where: { id: sessionId, shopId: shop.id } });
  if (!session) return null; // an attribute naming no session of this shop: not ours
  const existing = await tx.agentOrder.findUnique({ where: { checkoutSessionId: sessionId } });
  if (existing) {
    log.warn({ checkoutSessionId: sessionId, agentOrderId: existing.id }, "order names an agent session that already has its order; not reported");
    return null;
  }
  // The app charged this session: its own order is being recorded right now (or after a crash, by recovery).
  if (session.paymentIntentId) throw new OrderNotYetRecorded(sessionId);
  if (!facts.agentSessionId) return null; // source_identifier alone is our orderCreate's; only the cart attribute means hand-off
  return tx.agentOrder.create({
    data: {
      shopId: shop.id,
      checkoutSessionId: sessionId,
      shopifyOrderId: facts.id,
      orderName: facts.name,
      statusUrl: facts.statusUrl ?? `https://${shop.domain}/account/orders`,
      status: "created",
      totalMinor: facts.totals?.totalMinor ?? 0,
      currency: facts.currency,
      paymentIntentId: null,
      agentName: session.agentName,
      attribution: "handoff",
    },
  });
}

/**
 * For an order paid through Stripe: one StripeRefund row (and one stripe_refund outbox event) per Shopify
 * refund that returned money to the original payment. The unique (shop, Shopify refund) key makes this
 * idempotent across duplicate webhooks and across refunds/create + orders/* carrying the same refund.
 */
async function queueStripeRefunds(tx: Tx, agentOrder: AgentOrder, snapshot: ShopifyOrderFacts, now: Date): Promise<number> {
  const known = await tx.stripeRefund.findMany({ where: { agentOrderId: agentOrder.id } });
  const knownIds = new Set(known.map((r) => r.shopifyRefundId));
  let earlier = known.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amountMinor, 0);
  let queued = 0;
  for (const refund of [...snapshot.refunds].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (knownIds.has(refund.id)) continue;
    const requestedMinor = refundedMoneyMinor(refund);
    if (requestedMinor <= 0) continue; // store credit, items only, or not settled yet in Shopify
    const currencyMatches = refund.currency.toLowerCase() === agentOrder.currency.toLowerCase();
    const plan = planStripeRefund({ requestedMinor, chargedMinor: agentOrder.totalMinor, earlierRefundsMinor: earlier });
    const status = !currencyMatches ? "failed" : plan.outcome === "skipped" ? "skipped" : "pending";
    const row = await tx.stripeRefund.create({
      data: {
        shopId: agentOrder.shopId,
        agentOrderId: agentOrder.id,
        shopifyRefundId: refund.id,
        paymentIntentId: agentOrder.paymentIntentId!,
        requestedMinor,
        amountMinor: currencyMatches ? plan.amountMinor : 0,
        currency: agentOrder.currency.toLowerCase(),
        idempotencyKey: stripeRefundIdempotencyKey(agentOrder.shopId, refund.id),
        status,
        lastError: currencyMatches ? null : `refund currency ${refund.currency} differs from the charge's ${agentOrder.currency}`,
        refundedAt: new Date(refund.createdAt),
      },
    });
    if (status !== "pending") continue;
    earlier += plan.amountMinor;
    // Its own aggregate: refunds of one order run in order, but a Stripe outage does not hold back the
    // order's events (the agent sees the refund as pending meanwhile).
    await enqueue(tx, { shopId: agentOrder.shopId, type: STRIPE_REFUND, aggregateId: `${agentOrder.id}:stripe_refund`, payload: { stripeRefundId: row.id } }, now);
    queued++;
  }
  return queued;
}

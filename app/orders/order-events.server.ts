// Turns an agent order's current state into an order event in the outbox, in the caller's transaction.
// The event carries the full order (never a delta); an event identical to the last one is not enqueued.
import { createHash } from "node:crypto";
import type { AgentOrder, StripeRefund } from "@prisma/client";
import { enqueue } from "../jobs/outbox.server";
import { buildAgentOrder, type AgentOrderState, type MoneyRefundStatus } from "./agent-order";
import type { ShopifyOrderFacts } from "./shopify-order";
import { eventNamesFrom, orderEventBody } from "./wire";
import { ConcurrentUpdate, type Tx } from "./transactions.server";

export const ORDER_EVENT = "order_event";

export interface OrderEventPayload {
  body: ReturnType<typeof orderEventBody>;
  orderId: string;
  checkoutSessionId: string;
  apiVersion: string | null;
}

export function parseSnapshot(json: string | null): ShopifyOrderFacts | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as ShopifyOrderFacts;
  } catch {
    return null;
  }
}

export function agentOrderState(order: AgentOrder, snapshot: ShopifyOrderFacts | null, refunds: StripeRefund[]): AgentOrderState {
  return buildAgentOrder(
    {
      orderId: order.shopifyOrderId,
      checkoutSessionId: order.checkoutSessionId,
      permalinkUrl: order.statusUrl,
      orderName: order.orderName,
      currency: order.currency,
      totalMinor: order.totalMinor,
      status: order.status,
      paidThroughStripe: Boolean(order.paymentIntentId),
    },
    snapshot,
    refunds.map((r) => ({ shopifyRefundId: r.shopifyRefundId, amountMinor: r.amountMinor, status: r.status as MoneyRefundStatus, refundedAt: r.refundedAt.toISOString() })),
  );
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Re-derives the order the agent should see and enqueues it when it differs from the last event. The first
 * event for an order is the "created" one. Returns whether an event was enqueued.
 */
export async function reportOrderState(tx: Tx, agentOrderId: string, now = new Date()): Promise<{ enqueued: boolean; state: AgentOrderState }> {
  const order = await tx.agentOrder.findUniqueOrThrow({ where: { id: agentOrderId }, include: { stripeRefunds: { orderBy: { createdAt: "asc" } } } });
  const [session, shop] = await Promise.all([
    tx.checkoutSession.findFirst({ where: { id: order.checkoutSessionId, shopId: order.shopId }, select: { apiVersion: true } }),
    tx.shop.findUniqueOrThrow({ where: { id: order.shopId }, select: { orderEventNamesJson: true } }),
  ]);
  const state = agentOrderState(order, parseSnapshot(order.shopifyOrderJson), order.stripeRefunds);
  const apiVersion = session?.apiVersion ?? null;
  const kind = order.eventsSent === 0 ? "created" : "updated";
  const body = orderEventBody(apiVersion, kind, eventNamesFrom(shop.orderEventNamesJson), state);
  // The hash covers the order data only: a "created" and an "updated" event of one state are the same news.
  const hash = sha256(JSON.stringify(body.data));
  const unchanged = hash === order.lastEventHash;
  const updated = await tx.agentOrder.updateMany({
    where: { id: order.id, revision: order.revision },
    data: {
      status: String(state.status),
      refundedMinor: state.totals.refundedMinor,
      revision: { increment: 1 },
      ...(unchanged ? {} : { lastEventHash: hash, eventsSent: { increment: 1 } }),
    },
  });
  if (updated.count !== 1) throw new ConcurrentUpdate(`agent order ${order.id}`);
  if (unchanged) return { enqueued: false, state };
  const payload: OrderEventPayload = { body, orderId: order.shopifyOrderId, checkoutSessionId: order.checkoutSessionId, apiVersion };
  await enqueue(tx, { shopId: order.shopId, type: ORDER_EVENT, aggregateId: order.id, payload }, now);
  return { enqueued: true, state };
}

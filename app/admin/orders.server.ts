// Agent orders: one page of the list (filters, search, paging on the (shopId, createdAt) index) and one order's
// detail with its timeline and order events. Every statement filters by shopId. Buyer data: the list carries the
// buyer's name only; the detail page, the merchant's own order, shows contact and shipping address (docs/decisions/0084).
import type { PrismaClient } from "@prisma/client";
import { resend } from "../jobs/outbox.server";
import { ORDER_EVENT } from "../orders/order-events.server";
import type { CheckoutSession } from "../checkout/model";
import { sqlDate } from "../db/catalog.server";
import { rawSql, type Dialect } from "../db/sql.server";
import { deliveryState, formatMoney, parseIntentTrace, paymentStatus, orderStatus, shopifyOrderUrl, type DeliveryState, type Tone } from "./labels";
import { buildTimeline, type AgentResponseFacts } from "./timeline";

type Db = PrismaClient;

export const ORDERS_PAGE_SIZE = 50;
export const ORDER_STATUSES = ["created", "confirmed", "processing", "shipped", "completed", "canceled"] as const;
export const DELIVERY_FILTERS = ["delivered", "pending", "failed", "none"] as const;

export interface OrderFilters {
  status: string | null;
  delivery: (typeof DELIVERY_FILTERS)[number] | null;
  from: string | null; // YYYY-MM-DD, inclusive (UTC)
  to: string | null; // YYYY-MM-DD, inclusive (UTC)
  q: string | null;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function orderFiltersFrom(url: URL): OrderFilters {
  const p = url.searchParams;
  const status = p.get("status");
  const delivery = p.get("delivery");
  const day = (v: string | null) => (v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : null);
  return {
    status: status && (ORDER_STATUSES as readonly string[]).includes(status) ? status : null,
    delivery: delivery && (DELIVERY_FILTERS as readonly string[]).includes(delivery) ? (delivery as OrderFilters["delivery"]) : null,
    from: day(p.get("from")),
    to: day(p.get("to")),
    q: p.get("q")?.trim().slice(0, 100) || null,
    page: Math.max(0, Math.floor(Number(p.get("page") ?? 0)) || 0),
  };
}

// The newest order event of an order decides its delivery state (earlier ones are superseded: each carries the full order).
const LAST_EVENT = `(SELECT e."id" FROM "OutboxEvent" e WHERE e."shopId" = o."shopId" AND e."aggregateId" = o."id" AND e."type" = '${ORDER_EVENT}' ORDER BY e."createdAt" DESC LIMIT 1)`;
const DELIVERY_SQL = `(SELECT CASE WHEN e."deliveredAt" IS NOT NULL THEN 'delivered' WHEN e."deadAt" IS NOT NULL THEN 'failed' ELSE 'pending' END
   FROM "OutboxEvent" e WHERE e."id" = ${LAST_EVENT})`;
const buyerNameSql = (d: Dialect) => `COALESCE(${d.jsonText(`s."stateJson"`, "buyer.fullName")},
   TRIM(COALESCE(${d.jsonText(`s."stateJson"`, "buyer.firstName")}, '') || ' ' || COALESCE(${d.jsonText(`s."stateJson"`, "buyer.lastName")}, '')),
   ${d.jsonText(`s."stateJson"`, "fulfillmentDetails.name")})`;

function filterSql(d: Dialect, shopId: string, f: OrderFilters): { where: string; params: unknown[]; needsSession: boolean } {
  const where = [`o."shopId" = ?`];
  const params: unknown[] = [shopId];
  if (f.status) {
    where.push(`o."status" = ?`);
    params.push(f.status);
  }
  if (f.from) {
    where.push(`o."createdAt" >= ?`);
    params.push(sqlDate(new Date(`${f.from}T00:00:00Z`)));
  }
  if (f.to) {
    where.push(`o."createdAt" < ?`);
    params.push(sqlDate(new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)));
  }
  if (f.delivery === "none") where.push(`${LAST_EVENT} IS NULL`);
  else if (f.delivery) {
    where.push(`${DELIVERY_SQL} = ?`);
    params.push(f.delivery);
  }
  let needsSession = false;
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = d.like;
    where.push(`(o."orderName" ${like} ? ESCAPE '\\' OR o."checkoutSessionId" ${like} ? ESCAPE '\\' OR o."agentName" ${like} ? ESCAPE '\\' OR ${buyerNameSql(d)} ${like} ? ESCAPE '\\')`);
    params.push(pattern, pattern, pattern, pattern);
    needsSession = true;
  }
  return { where: where.join(" AND "), params, needsSession };
}

/** Raw SQL returns DateTime columns as Prisma's text (or a Date, depending on the driver). */
export function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export interface OrderListRow {
  id: string;
  createdAt: string;
  orderName: string;
  orderUrl: string;
  agent: string;
  buyer: string;
  total: string;
  totalMinor: number;
  currency: string;
  orderStatus: { label: string; tone: Tone };
  payment: { label: string; tone: Tone };
  delivery: DeliveryState;
}

export async function listAgentOrders(db: Db, shop: { id: string; domain: string }, filters: OrderFilters, demo: boolean, pageSize = ORDERS_PAGE_SIZE) {
  const raw = rawSql(db);
  const d = raw.dialect;
  const { where, params, needsSession } = filterSql(d, shop.id, filters);
  const join = `LEFT JOIN "CheckoutSession" s ON s."id" = o."checkoutSessionId" AND s."shopId" = o."shopId"`;
  const rows = await raw.query<Array<Record<string, unknown>>>(
    `SELECT o."id", o."createdAt", o."orderName", o."shopifyOrderId", o."statusUrl", o."status", o."totalMinor", o."refundedMinor", o."currency",
            o."paymentIntentId", o."attribution", COALESCE(o."agentName", s."agentName") AS "agentName",
            ${d.jsonText(`o."shopifyOrderJson"`, "financialStatus")} AS "financialStatus", ${buyerNameSql(d)} AS "buyerName",
            e."deliveredAt" AS "eDelivered", e."deadAt" AS "eDead", e."attempts" AS "eAttempts"
       FROM "AgentOrder" o ${join}
       LEFT JOIN "OutboxEvent" e ON e."id" = ${LAST_EVENT}
      WHERE ${where}
      ORDER BY o."createdAt" DESC, o."id" DESC LIMIT ? OFFSET ?`,
    ...params, pageSize, filters.page * pageSize,
  );
  const [{ total }] = await raw.query<Array<{ total: number | bigint }>>(
    `SELECT COUNT(*) AS "total" FROM "AgentOrder" o ${needsSession ? join : ""} WHERE ${where}`,
    ...params,
  );
  const orders: OrderListRow[] = rows.map((r) => {
    const totalMinor = Number(r.totalMinor);
    const currency = String(r.currency);
    return {
      id: String(r.id),
      createdAt: isoOf(r.createdAt),
      orderName: String(r.orderName),
      orderUrl: shopifyOrderUrl(shop.domain, String(r.shopifyOrderId), String(r.statusUrl), demo),
      agent: (r.agentName as string | null) || "Unnamed agent",
      buyer: String(r.buyerName ?? "").trim() || "—",
      total: formatMoney(totalMinor, currency),
      totalMinor,
      currency,
      orderStatus: orderStatus(String(r.status)),
      payment: paymentStatus({
        financialStatus: (r.financialStatus as string | null) ?? null,
        paymentIntentId: (r.paymentIntentId as string | null) ?? null,
        totalMinor,
        refundedMinor: Number(r.refundedMinor),
        attribution: String(r.attribution),
      }),
      delivery: r.eAttempts === null || r.eAttempts === undefined ? "none" : deliveryState({ deliveredAt: r.eDelivered, deadAt: r.eDead, attempts: Number(r.eAttempts) }),
    };
  });
  return { orders, total: Number(total), pageSize, filters };
}

function responseOperation(scope: string): AgentResponseFacts["operation"] {
  if (scope.endsWith("/complete")) return "complete";
  if (scope.endsWith("/cancel")) return "cancel";
  return scope === "POST /checkout_sessions" ? "create" : "update";
}

export async function agentOrderDetail(db: Db, shop: { id: string; domain: string }, orderId: string, demo: boolean) {
  const order = await db.agentOrder.findFirst({ where: { id: orderId, shopId: shop.id }, include: { stripeRefunds: { orderBy: { createdAt: "asc" } } } });
  if (!order) return null;
  const sessionId = order.checkoutSessionId;
  const [session, events, responses] = await Promise.all([
    db.checkoutSession.findFirst({ where: { id: sessionId, shopId: shop.id } }),
    db.outboxEvent.findMany({ where: { shopId: shop.id, aggregateId: order.id, type: ORDER_EVENT }, orderBy: { createdAt: "asc" }, take: 200 }),
    // What the agent was told at each step, while the idempotency records are kept (create is found by its body).
    db.idempotencyRecord.findMany({
      where: {
        shopId: shop.id,
        state: "completed",
        OR: [
          { scope: { in: [`POST /checkout_sessions/${sessionId}`, `POST /checkout_sessions/${sessionId}/complete`, `POST /checkout_sessions/${sessionId}/cancel`] } },
          { scope: "POST /checkout_sessions", responseBody: { contains: `"id":"${sessionId}"` } },
        ],
      },
      orderBy: { createdAt: "asc" },
      select: { scope: true, createdAt: true, responseStatus: true, responseBody: true },
      take: 200,
    }),
  ]);
  const state = session ? (JSON.parse(session.stateJson) as CheckoutSession) : null;
  const trace = parseIntentTrace(session?.intentTraceJson);
  const timeline = buildTimeline({
    session: session && state
      ? {
          id: session.id,
          status: session.status,
          currency: session.currency,
          totalMinor: session.totalMinor,
          createdAt: session.createdAt.toISOString(),
          updatedAt: session.updatedAt.toISOString(),
          expiresAt: session.expiresAt.toISOString(),
          completedAt: session.completedAt?.toISOString() ?? null,
          canceledAt: session.canceledAt?.toISOString() ?? null,
          reasonCode: trace.reasonCode ?? state.cancelReason ?? null,
          reasonSummary: trace.summary,
          messages: state.messages.map((m) => ({ type: m.type, content: m.content })),
        }
      : null,
    responses: responses.map((r) => ({ at: r.createdAt.toISOString(), operation: responseOperation(r.scope), httpStatus: r.responseStatus ?? 0, body: r.responseBody ?? "" })),
    order: { orderName: order.orderName, createdAt: order.createdAt.toISOString(), totalMinor: order.totalMinor, currency: order.currency, attribution: order.attribution },
    events: events.map((e) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      payloadJson: e.payloadJson,
      attempts: e.attempts,
      deliveredAt: e.deliveredAt?.toISOString() ?? null,
      deadAt: e.deadAt?.toISOString() ?? null,
      lastError: e.lastError,
    })),
    refunds: order.stripeRefunds.map((r) => ({ createdAt: r.createdAt.toISOString(), amountMinor: r.amountMinor, currency: r.currency, status: r.status, lastError: r.lastError })),
  });
  const snapshot = order.shopifyOrderJson ? (JSON.parse(order.shopifyOrderJson) as { financialStatus?: string | null }) : null;
  const address = state?.fulfillmentDetails?.address;
  return {
    order: {
      id: order.id,
      name: order.orderName,
      url: shopifyOrderUrl(shop.domain, order.shopifyOrderId, order.statusUrl, demo),
      createdAt: order.createdAt.toISOString(),
      agent: order.agentName || session?.agentName || "Unnamed agent",
      attribution: order.attribution,
      status: orderStatus(order.status),
      total: formatMoney(order.totalMinor, order.currency),
    },
    session: session && state
      ? {
          id: session.id,
          apiVersion: session.apiVersion,
          status: session.status,
          lines: state.lines.map((l) => ({ id: l.id, name: l.name, quantity: l.quantity, total: formatMoney(l.total, state.currency) })),
          totals: {
            subtotal: formatMoney(state.totals.subtotal, state.currency),
            shipping: formatMoney(state.totals.fulfillment, state.currency),
            tax: formatMoney(state.totals.tax, state.currency),
            total: formatMoney(state.totals.total, state.currency),
          },
        }
      : null,
    // The merchant's own order: the buyer's contact and shipping address, never logged.
    buyer: state
      ? {
          name: [state.buyer?.firstName, state.buyer?.lastName].filter(Boolean).join(" ") || state.buyer?.fullName || state.fulfillmentDetails?.name || null,
          email: state.buyer?.email ?? state.fulfillmentDetails?.email ?? null,
          phone: state.buyer?.phoneNumber ?? state.fulfillmentDetails?.phoneNumber ?? null,
          address: address ? [address.name, address.lineOne, address.lineTwo, `${address.city}, ${address.state} ${address.postalCode}`, address.country].filter(Boolean) : [],
        }
      : null,
    payment: {
      status: paymentStatus({ financialStatus: snapshot?.financialStatus ?? null, paymentIntentId: order.paymentIntentId, totalMinor: order.totalMinor, refundedMinor: order.refundedMinor, attribution: order.attribution }),
      paymentIntentId: order.paymentIntentId,
      card: state?.completion?.cardLast4 ? `${state.completion.cardBrand ?? "Card"} ending in ${state.completion.cardLast4}` : null,
      amount: formatMoney(order.totalMinor, order.currency),
      refunded: formatMoney(order.refundedMinor, order.currency),
      refunds: order.stripeRefunds.map((r) => ({
        id: r.id,
        amount: formatMoney(r.amountMinor, r.currency),
        status: r.status,
        stripeRefundId: r.stripeRefundId,
        lastError: r.lastError,
        refundedAt: r.refundedAt.toISOString(),
      })),
    },
    events: events
      .map((e) => {
        let type = "order event";
        try {
          type = (JSON.parse(e.payloadJson) as { body?: { type?: string } }).body?.type ?? type;
        } catch {}
        return {
          id: e.id,
          type,
          createdAt: e.createdAt.toISOString(),
          delivery: deliveryState(e),
          attempts: e.attempts,
          lastError: e.lastError,
          deliveredAt: e.deliveredAt?.toISOString() ?? null,
          nextAttemptAt: e.deliveredAt || e.deadAt ? null : e.nextAttemptAt.toISOString(),
        };
      })
      .reverse(),
    timeline,
  };
}

export type ResendOutcome = "RESENT" | "NOT_FOUND";

/** The merchant's re-send of one order event of this order (a dead or delivered event goes back in the queue). */
export async function resendOrderEvent(db: Db, shopId: string, orderId: string, eventId: string): Promise<ResendOutcome> {
  const event = await db.outboxEvent.findFirst({ where: { id: eventId, shopId, aggregateId: orderId, type: ORDER_EVENT }, select: { id: true } });
  if (!event) return "NOT_FOUND";
  return (await resend(db, shopId, event.id)) ? "RESENT" : "NOT_FOUND";
}

// The story of one agent checkout, oldest first, for the order detail page (docs/decisions/0081): built from the
// session's stored state, the agent's responses still held for idempotency (what the buyer saw at each step), the
// order row, the Stripe refunds and the order events sent to the agent. Pure: the caller reads the rows.
import { abandonmentLabel, deliveryState, formatMoney, DELIVERY, type DeliveryState } from "./labels";

export interface TimelineMessage {
  type: "error" | "warning" | "info";
  content: string;
}

export interface SessionFacts {
  id: string;
  status: string;
  currency: string;
  totalMinor: number;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  completedAt: string | null;
  canceledAt: string | null;
  reasonCode: string | null;
  reasonSummary: string | null;
  /** The messages in the session's current state. */
  messages: TimelineMessage[];
}

/** One stored response to the agent (an IdempotencyRecord): the state the buyer saw after that call. */
export interface AgentResponseFacts {
  at: string;
  operation: "create" | "update" | "complete" | "cancel";
  httpStatus: number;
  body: string;
}

export interface OrderFacts {
  orderName: string;
  createdAt: string;
  totalMinor: number;
  currency: string;
  attribution: string;
}

export interface OrderEventFacts {
  id: string;
  createdAt: string;
  payloadJson: string;
  attempts: number;
  deliveredAt: string | null;
  deadAt: string | null;
  lastError: string | null;
}

export interface RefundFacts {
  createdAt: string;
  amountMinor: number;
  currency: string;
  status: string;
  lastError: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: "created" | "response" | "updated" | "completed" | "canceled" | "expired" | "order" | "event" | "refund";
  title: string;
  detail?: string;
  messages: TimelineMessage[];
  tone?: "success" | "info" | "attention" | "warning" | "critical";
  delivery?: DeliveryState;
}

const OPERATION_TITLE = { create: "Agent created the checkout", update: "Agent updated the checkout", complete: "Agent asked to complete", cancel: "Agent canceled" } as const;
const STATUS_WORDS: Record<string, string> = {
  not_ready_for_payment: "needs more details",
  ready_for_payment: "ready for payment",
  authentication_required: "waiting for buyer authentication",
  complete_in_progress: "completing",
  completed: "completed",
  canceled: "canceled",
  expired: "expired",
  in_progress: "in progress",
};

function readMessages(raw: unknown): TimelineMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((m): m is { type?: unknown; content?: unknown } => typeof m === "object" && m !== null)
    .map((m): TimelineMessage => ({ type: m.type === "error" || m.type === "warning" ? m.type : "info", content: typeof m.content === "string" ? m.content : "" }))
    .filter((m) => m.content !== "");
}

/** Reads status, messages and total from a stored wire response (any ACP version); never buyer fields. */
export function summarizeResponse(r: AgentResponseFacts, currency: string): TimelineEntry {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(r.body) as Record<string, unknown>;
  } catch {}
  const title = OPERATION_TITLE[r.operation];
  if (r.httpStatus >= 400) {
    const message = typeof body.message === "string" ? body.message : `HTTP ${r.httpStatus}`;
    return { at: r.at, kind: "response", title, detail: `Refused: ${message}`, messages: [], tone: "critical" };
  }
  const status = typeof body.status === "string" ? body.status : "";
  const totals = Array.isArray(body.totals) ? (body.totals as Array<{ type?: string; amount?: number }>) : [];
  const total = totals.find((t) => t.type === "total")?.amount;
  const parts = [status ? `Checkout ${STATUS_WORDS[status] ?? status.replaceAll("_", " ")}` : "", typeof total === "number" ? `total ${formatMoney(total, currency)}` : ""].filter(Boolean);
  const messages = readMessages(body.messages);
  return { at: r.at, kind: "response", title, detail: parts.join(", "), messages, tone: messages.some((m) => m.type === "error") ? "warning" : undefined };
}

function eventEntry(e: OrderEventFacts): TimelineEntry {
  let type = "order event";
  let status = "";
  try {
    const payload = JSON.parse(e.payloadJson) as { body?: { type?: string; data?: { status?: string } } };
    type = payload.body?.type ?? type;
    status = payload.body?.data?.status ?? "";
  } catch {}
  const delivery = deliveryState(e);
  const attempts = e.attempts === 1 ? "1 attempt" : `${e.attempts} attempts`;
  const detail = [status ? `order ${status}` : "", `${DELIVERY[delivery].label.toLowerCase()} after ${attempts}`, e.lastError && delivery !== "delivered" ? `last error: ${e.lastError}` : ""]
    .filter(Boolean)
    .join(" · ");
  return { at: e.createdAt, kind: "event", title: `Sent ${type} to the agent`, detail, messages: [], tone: DELIVERY[delivery].tone, delivery };
}

export function buildTimeline(input: {
  session: SessionFacts | null;
  responses: AgentResponseFacts[];
  order: OrderFacts | null;
  events: OrderEventFacts[];
  refunds: RefundFacts[];
  now?: Date;
}): TimelineEntry[] {
  const { session, order } = input;
  const entries: TimelineEntry[] = [];
  const currency = session?.currency ?? order?.currency ?? "usd";
  if (session) {
    const responses = input.responses.map((r) => summarizeResponse(r, currency));
    const hasCreate = input.responses.some((r) => r.operation === "create");
    if (!hasCreate) entries.push({ at: session.createdAt, kind: "created", title: "Agent created the checkout", messages: [] });
    entries.push(...responses);
    // Without stored responses for the later steps, the session's last state is all that is left to show.
    if (input.responses.length === 0 && session.updatedAt !== session.createdAt) {
      entries.push({ at: session.updatedAt, kind: "updated", title: "Last update", detail: `Checkout ${STATUS_WORDS[session.status] ?? session.status}, total ${formatMoney(session.totalMinor, currency)}`, messages: session.messages });
    }
    if (session.canceledAt) {
      const reason = session.reasonCode ? abandonmentLabel(session.reasonCode) : null;
      entries.push({
        at: session.canceledAt,
        kind: "canceled",
        title: "Buyer abandoned the checkout",
        detail: [reason ? `Reason: ${reason}` : "No reason given", session.reasonSummary].filter(Boolean).join(" · "),
        messages: [],
        tone: "attention",
      });
    } else if (session.status === "expired" || (!session.completedAt && !order && new Date(session.expiresAt) <= (input.now ?? new Date()))) {
      entries.push({ at: session.expiresAt, kind: "expired", title: "Checkout expired", detail: "The buyer did not complete it in time.", messages: [], tone: "attention" });
    }
    if (session.completedAt) entries.push({ at: session.completedAt, kind: "completed", title: "Checkout completed", messages: [], tone: "success" });
  }
  if (order) {
    const how = order.attribution === "handoff" ? "from Shopify checkout (hand-off)" : "by the agent checkout";
    entries.push({ at: order.createdAt, kind: "order", title: `Order ${order.orderName} created`, detail: `${formatMoney(order.totalMinor, order.currency)}, ${how}`, messages: [], tone: "success" });
  }
  for (const r of input.refunds) {
    entries.push({
      at: r.createdAt,
      kind: "refund",
      title: `Refund of ${formatMoney(r.amountMinor, r.currency)}`,
      detail: [`Stripe refund ${r.status.replaceAll("_", " ")}`, r.lastError ? `last error: ${r.lastError}` : ""].filter(Boolean).join(" · "),
      messages: [],
      tone: r.status === "failed" ? "critical" : r.status === "succeeded" ? "success" : "info",
    });
  }
  entries.push(...input.events.map(eventEntry));
  // Stable: entries with the same instant keep the order they were pushed in (created before its response).
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i).map(({ e }) => e);
}

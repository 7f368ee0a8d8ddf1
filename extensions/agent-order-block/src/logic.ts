// What the order-page block shows about the agent checkout behind an order, as plain data (tested with vitest;
// the Preact component only renders it). The type is the app endpoint's response contract
// (app/routes/api.extensions.order.$id.ts builds it in app/admin/extensions.server.ts).

export type DeliveryState = "delivered" | "pending" | "retrying" | "failed" | "none";

export interface OrderAgentCheckout {
  agentOrder: {
    id: string; // the app's AgentOrder id, for the link to the app's order page
    agent: string;
    attribution: "checkout" | "handoff" | string;
    checkoutSessionId: string;
    sessionStatus: string | null;
    acpVersion: string | null;
    orderStatus: string; // ACP order status last reported
    total: string;
    paymentIntentId: string | null;
    createdAt: string;
  } | null;
  events: Array<{ type: string; createdAt: string; delivery: DeliveryState; attempts: number; lastError: string | null }>;
}

export type Tone = "success" | "warning" | "critical" | "info" | "neutral";

export interface OrderBlockView {
  agentOrder: boolean;
  heading: string;
  collapsedSummary: string;
  facts: Array<{ label: string; value: string }>;
  updates: { tone: Tone; text: string } | null;
  appPath: string | null;
}

const DELIVERY_WORDS: Record<DeliveryState, string> = { delivered: "delivered", pending: "sending", retrying: "retrying", failed: "failed", none: "not sent" };

export function orderBlockView(data: OrderAgentCheckout): OrderBlockView {
  const o = data.agentOrder;
  if (!o) return { agentOrder: false, heading: "AI agent checkout", collapsedSummary: "Not an agent order", facts: [], updates: null, appPath: null };
  const facts = [
    { label: "Agent", value: o.agent },
    { label: "How it was paid", value: o.attribution === "handoff" ? "Buyer finished in Shopify checkout" : o.paymentIntentId ? `Agent payment (Stripe ${o.paymentIntentId})` : "Agent payment" },
    { label: "Checkout session", value: o.checkoutSessionId },
    ...(o.sessionStatus ? [{ label: "Session status", value: o.sessionStatus.replaceAll("_", " ") + (o.acpVersion ? ` (ACP ${o.acpVersion})` : "") }] : []),
    { label: "Status reported to the agent", value: o.orderStatus.replaceAll("_", " ") },
  ];
  const failed = data.events.filter((e) => e.delivery === "failed").length;
  const latest = data.events[0];
  const updates: OrderBlockView["updates"] = !latest
    ? { tone: "neutral", text: "No order update has been sent to the agent yet." }
    : failed
      ? { tone: "critical", text: `${failed} of ${data.events.length} order update${data.events.length === 1 ? "" : "s"} could not be delivered${latest.lastError ? ` (${latest.lastError})` : ""}. Re-send it from the app.` }
      : { tone: latest.delivery === "delivered" ? "success" : "info", text: `Latest update (${latest.type}) ${DELIVERY_WORDS[latest.delivery]}; ${data.events.length} sent in all.` };
  return { agentOrder: true, heading: "AI agent checkout", collapsedSummary: `Sold by ${o.agent}`, facts, updates, appPath: `app:app/orders/${o.id}` };
}

export function orderIdParam(gid: string): string | null {
  const match = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid);
  return match ? match[1] : null;
}

// Shopify order and fulfillment states → ACP order vocabulary (2026-04-17, acp.md §3; docs/decisions/0060).
// All ACP order enums are open: these are the defined values we choose from.

export type AcpOrderStatus = "created" | "confirmed" | "processing" | "shipped" | "completed" | "canceled";
export type AcpFulfillmentStatus = "pending" | "processing" | "shipped" | "in_transit" | "out_for_delivery" | "ready_for_pickup" | "delivered" | "failed" | "canceled";
export type AcpLineStatus = "processing" | "partial" | "fulfilled" | "removed";

/** Shopify fulfillment status + latest shipment status → ACP fulfillment status. */
export function fulfillmentStatus(status: string, shipmentStatus: string | null): AcpFulfillmentStatus {
  switch (status) {
    case "cancelled":
      return "canceled";
    case "error":
    case "failure":
      return "failed";
    case "pending":
    case "open":
      return "processing";
  }
  switch (shipmentStatus) {
    case "delivered":
    case "picked_up":
      return "delivered";
    case "out_for_delivery":
      return "out_for_delivery";
    case "ready_for_pickup":
      return "ready_for_pickup";
    case "in_transit":
    case "carrier_picked_up":
    case "attempted_delivery":
    case "delayed":
      return "in_transit";
    case "failure":
    case "not_delivered":
      return "failed";
    default:
      return "shipped"; // success with no carrier news yet (label_printed, confirmed, none)
  }
}

/** Shipment status → FulfillmentEvent.type for the agent's event log. */
export function fulfillmentEventType(shipmentStatus: string): string {
  switch (shipmentStatus) {
    case "picked_up":
      return "delivered";
    case "carrier_picked_up":
    case "delayed":
      return "in_transit";
    case "attempted_delivery":
      return "failed_attempt";
    case "failure":
    case "not_delivered":
      return "undeliverable";
    case "label_printed":
    case "label_purchased":
    case "confirmed":
      return "processing";
    default:
      return shipmentStatus; // in_transit, out_for_delivery, ready_for_pickup, delivered
  }
}

/** OrderLineItem.status as the spec derives it from the quantities. */
export function lineStatus(current: number, fulfilled: number): AcpLineStatus {
  if (current === 0) return "removed";
  if (fulfilled >= current) return "fulfilled";
  if (fulfilled > 0) return "partial";
  return "processing";
}

export interface OrderStatusInput {
  cancelled: boolean;
  financialStatus: string | null;
  lines: { current: number; fulfilled: number; requiresShipping: boolean }[];
  /** ACP statuses of the fulfillments that are not canceled or failed. */
  fulfillmentStatuses: AcpFulfillmentStatus[];
}

/**
 * canceled: cancelled in Shopify, or nothing left to deliver (every line removed by refunds).
 * completed: everything fulfilled and every shipment delivered (digital lines count as delivered when fulfilled).
 * shipped: everything fulfilled, some shipment still on its way. processing: partly fulfilled or in progress.
 * confirmed: paid (or authorized), nothing fulfilled yet. created: payment still pending.
 */
export function orderStatus(input: OrderStatusInput): AcpOrderStatus {
  if (input.cancelled) return "canceled";
  const active = input.lines.filter((l) => l.current > 0);
  if (input.lines.length > 0 && active.length === 0) return "canceled";
  const allFulfilled = active.length > 0 && active.every((l) => l.fulfilled >= l.current);
  const anyFulfilled = active.some((l) => l.fulfilled > 0);
  if (allFulfilled) {
    const shipsPhysically = active.some((l) => l.requiresShipping);
    const allDelivered = input.fulfillmentStatuses.every((s) => s === "delivered");
    return !shipsPhysically || allDelivered ? "completed" : "shipped";
  }
  if (anyFulfilled || input.fulfillmentStatuses.length > 0) return "processing";
  if (input.financialStatus === "pending") return "created";
  return "confirmed";
}

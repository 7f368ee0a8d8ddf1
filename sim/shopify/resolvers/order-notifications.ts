// Customer notifications orderCreate sends (docs/decisions/0157). OrderCreateOptionsInput: `sendReceipt` "Whether to
// send an order confirmation to the customer", `sendFulfillmentReceipt` "Whether to send a shipping confirmation to
// the customer" (both default false). A shipping confirmation is about a fulfillment, so it goes only for an order
// created fulfilled (`fulfillment` input, which the stand-in does not take); a confirmation needs the order's email.
import type { ShopState } from "../store.js";

export interface SentNotification {
  orderId: number;
  kind: "order_confirmation" | "shipping_confirmation";
  to: string;
}

const sent = new WeakMap<ShopState, SentNotification[]>();

export function noteOrderNotifications(shop: ShopState, order: { id: number; email: string | null; fulfillments: unknown[] }, options: { sendReceipt?: boolean | null; sendFulfillmentReceipt?: boolean | null }): void {
  if (!order.email) return;
  const list = sent.get(shop) ?? [];
  if (options.sendReceipt) list.push({ orderId: order.id, kind: "order_confirmation", to: order.email });
  if (options.sendFulfillmentReceipt && order.fulfillments.length > 0) list.push({ orderId: order.id, kind: "shipping_confirmation", to: order.email });
  sent.set(shop, list);
}

/** What the shop has sent to customers because of orderCreate options. */
export function sentNotifications(shop: ShopState): SentNotification[] {
  return [...(sent.get(shop) ?? [])];
}

// The outbox handlers this module contributes, for the composition root:
//   startOutboxWorker({ db, handlers: { ...orderOutboxHandlers({ db, stripeApiBase }), ...others } })
import type { PrismaClient, Shop } from "@prisma/client";
import type { OutboxHandler } from "../jobs/outbox.server";
import type { PaymentGateway } from "../payments/gateway";
import type { OutboundDeps } from "../security/outbound.server";
import { deliverOrderEvent } from "./deliver-order-event.server";
import { ORDER_EVENT } from "./order-events.server";
import { issueStripeRefund, stripeGatewayForShop } from "./stripe-refund.server";
import { STRIPE_REFUND } from "./webhook-handler.server";

export function orderOutboxHandlers({
  db,
  stripeApiBase,
  gatewayFor = stripeGatewayForShop(stripeApiBase),
  maxAttempts,
  fetchImpl,
  outbound,
}: {
  db: PrismaClient;
  stripeApiBase?: string;
  gatewayFor?: (shop: Shop) => PaymentGateway | null;
  maxAttempts?: number;
  fetchImpl?: typeof fetch;
  outbound?: OutboundDeps;
}): Record<string, OutboxHandler> {
  return {
    [ORDER_EVENT]: deliverOrderEvent({ db, ...(fetchImpl ? { fetchImpl } : {}), ...(outbound ? { outbound } : {}) }),
    [STRIPE_REFUND]: issueStripeRefund({ db, gatewayFor, ...(maxAttempts ? { maxAttempts } : {}) }),
  };
}

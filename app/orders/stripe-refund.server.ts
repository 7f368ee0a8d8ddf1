// The stripe_refund outbox handler: issues the Stripe refund recorded for a Shopify refund, with the
// Idempotency-Key derived from the Shopify refund id, then reports the order (adjustment completed or failed).
// A Stripe outage leaves the row pending and the outbox retries with backoff (docs/decisions/0063).
import type { OutboxEvent, PrismaClient, Shop } from "@prisma/client";
import { DEFAULT_POLICY, type DeliveryResult, type OutboxHandler } from "../jobs/outbox.server";
import { logger as rootLogger, type Logger } from "../observability/logger.server";
import type { PaymentGateway } from "../payments/gateway";
import { createStripeGateway } from "../payments/stripe-gateway.server";
import { decryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import { reportOrderState } from "./order-events.server";
import { inTransaction } from "./transactions.server";

export interface StripeRefundDeps {
  db: PrismaClient;
  /** The shop's payment gateway, or null when it has no Stripe key. */
  gatewayFor: (shop: Shop) => PaymentGateway | null;
  /** The outbox's maxAttempts: on the last attempt a still-failing refund is reported as failed. */
  maxAttempts?: number;
  now?: () => Date;
  logger?: Logger;
}

/** The production gateway factory: the shop's own Stripe key (decrypted), at the configured API base. */
export function stripeGatewayForShop(apiBase: string | undefined): (shop: Shop) => PaymentGateway | null {
  return (shop) => (shop.stripeSecretKeyEnc ? createStripeGateway({ secretKey: decryptSecret(shop.stripeSecretKeyEnc, shopSecret("stripeSecretKeyEnc", shop.id)), apiBase }) : null);
}

export function issueStripeRefund(deps: StripeRefundDeps): OutboxHandler {
  const maxAttempts = deps.maxAttempts ?? DEFAULT_POLICY.maxAttempts;
  return async (event: OutboxEvent): Promise<DeliveryResult> => {
    const now = deps.now?.() ?? new Date();
    const { stripeRefundId } = JSON.parse(event.payloadJson) as { stripeRefundId: string };
    const row = await deps.db.stripeRefund.findFirst({ where: { id: stripeRefundId, shopId: event.shopId } });
    if (!row) return { ok: false, error: "unknown stripe refund", permanent: true };
    if (row.status === "succeeded" || row.status === "stripe_pending" || row.status === "skipped") return { ok: true };
    const log = (deps.logger ?? rootLogger).child({ shopId: row.shopId, agentOrderId: row.agentOrderId, shopifyRefundId: row.shopifyRefundId });

    const shop = await deps.db.shop.findUniqueOrThrow({ where: { id: row.shopId } });
    let gateway: PaymentGateway | null;
    try {
      gateway = deps.gatewayFor(shop);
    } catch (error) {
      log.error({ err: (error as Error).message }, "stripe gateway unavailable");
      gateway = null;
    }
    const outcome = gateway
      ? await gateway.refund({
          paymentIntentId: row.paymentIntentId,
          amountMinor: row.amountMinor,
          currency: row.currency, // Stripe's units differ from ISO minor units for a few currencies (docs/decisions/0143)
          idempotencyKey: row.idempotencyKey,
          metadata: { shopify_refund_id: row.shopifyRefundId, agent_order_id: row.agentOrderId },
        })
      : ({ kind: "failed", retryable: true, message: "no Stripe key configured for the shop", code: "no_gateway" } as const);

    if (outcome.kind !== "failed") {
      await inTransaction(deps.db, async (tx) => {
        await tx.stripeRefund.update({
          where: { id: row.id },
          data: { status: outcome.kind === "succeeded" ? "succeeded" : "stripe_pending", stripeRefundId: outcome.refundId, lastError: null },
        });
        await reportOrderState(tx, row.agentOrderId, now);
      });
      log.info({ stripeRefundId: outcome.refundId, amountMinor: outcome.amountMinor, status: outcome.kind }, "stripe refund issued");
      return { ok: true };
    }

    const lastAttempt = event.attempts + 1 >= maxAttempts;
    const giveUp = !outcome.retryable || lastAttempt;
    await inTransaction(deps.db, async (tx) => {
      await tx.stripeRefund.update({ where: { id: row.id }, data: { lastError: outcome.message.slice(0, 500), ...(giveUp ? { status: "failed" } : {}) } });
      if (giveUp) await reportOrderState(tx, row.agentOrderId, now);
    });
    log.warn({ code: outcome.code, retryable: outcome.retryable, attempt: event.attempts + 1, gaveUp: giveUp }, "stripe refund failed");
    return { ok: false, error: `stripe refund: ${outcome.message}`, permanent: !outcome.retryable };
  };
}

// The order_event outbox handler: POSTs the stored body to the shop's order-event endpoint, signed with the
// shop's secret (Merchant-Signature). No endpoint configured → dead letter, re-sendable once one is set
// (docs/decisions/0062). Request-Id is the outbox event id, so the agent can deduplicate retries.
import type { OutboxEvent, PrismaClient } from "@prisma/client";
import { postAgentWebhook } from "../jobs/agent-webhook.server";
import type { DeliveryResult, OutboxHandler } from "../jobs/outbox.server";
import type { OutboundDeps } from "../security/outbound.server";
import { decryptSecret } from "../security/secrets.server";
import { shopSecret } from "../security/encrypted-columns.server";
import type { OrderEventPayload } from "./order-events.server";

export const NO_ENDPOINT = "no order event endpoint configured";

export interface DeliverOrderEventDeps {
  db: PrismaClient;
  fetchImpl?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** DNS resolver and environment for the outbound rules (tests). */
  outbound?: OutboundDeps;
}

export function deliverOrderEvent(deps: DeliverOrderEventDeps): OutboxHandler {
  return async (event: OutboxEvent): Promise<DeliveryResult> => {
    const shop = await deps.db.shop.findUnique({ where: { id: event.shopId }, select: { orderWebhookUrl: true, orderWebhookSecretEnc: true, uninstalledAt: true } });
    if (!shop || shop.uninstalledAt) return { ok: false, error: "shop uninstalled", permanent: true };
    if (!shop.orderWebhookUrl || !shop.orderWebhookSecretEnc) return { ok: false, error: NO_ENDPOINT, permanent: true };
    let secret: string;
    try {
      secret = decryptSecret(shop.orderWebhookSecretEnc, shopSecret("orderWebhookSecretEnc", event.shopId));
    } catch {
      return { ok: false, error: "order event secret cannot be decrypted (re-enter it in settings)", permanent: true };
    }
    const { body } = JSON.parse(event.payloadJson) as OrderEventPayload;
    return postAgentWebhook({ url: shop.orderWebhookUrl, secret }, body, { requestId: event.id, ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}), ...(deps.now ? { now: deps.now } : {}), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}), ...(deps.outbound ? { outbound: deps.outbound } : {}) });
  };
}

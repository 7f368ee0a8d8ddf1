// SessionStore on Prisma: the internal model in stateJson, the columns for queries, and a revision column for
// optimistic concurrency (a write succeeds only if nobody wrote since the read).
import type { PrismaClient } from "@prisma/client";
import type { CheckoutSession } from "../checkout/model";
import { ConcurrentUpdateError, type SessionStore } from "../checkout/ports";
import { contactEmail } from "../checkout/status";
import { buyerEmailHash } from "../privacy/buyer-key";

/** The queryable columns of a session row (also written by the completion commit). */
export function sessionColumns(session: CheckoutSession) {
  return {
    apiVersion: session.apiVersion,
    status: session.status,
    currency: session.currency,
    stateJson: JSON.stringify(session),
    totalMinor: session.totals.total,
    revision: session.revision,
    expiresAt: new Date(session.expiresAt),
    canceledAt: session.status === "canceled" ? new Date(session.updatedAt) : null,
    completedAt: session.status === "completed" ? new Date(session.updatedAt) : null,
    shopifyOrderId: session.order?.id ?? session.completion?.order?.id ?? null,
    paymentIntentId: session.completion?.paymentIntentId ?? null,
    agentName: session.completion?.agentName ?? null,
    intentTraceJson: session.intentTrace ? JSON.stringify(session.intentTrace) : session.cancelReason ? JSON.stringify({ reason_code: session.cancelReason }) : null,
    buyerEmailHash: buyerEmailHash(contactEmail(session)), // GDPR requests match on it exactly (docs/decisions/0105)
  };
}

export function createPrismaSessionStore(db: PrismaClient): SessionStore {
  return {
    async insert(session) {
      // The row's createdAt is the session's own (the domain clock), which retention ages it by (docs/decisions/0116).
      await db.checkoutSession.create({ data: { id: session.id, shopId: session.shopId, createdAt: new Date(session.createdAt), ...sessionColumns(session) } });
    },
    async get(shopId, id) {
      // Always scoped by shop: another shop's session id is simply not found (tenant isolation).
      const row = await db.checkoutSession.findFirst({ where: { id, shopId }, select: { stateJson: true, revision: true } });
      if (!row) return null;
      return { ...(JSON.parse(row.stateJson) as CheckoutSession), revision: row.revision };
    },
    async update(session, expectedRevision) {
      const { count } = await db.checkoutSession.updateMany({
        where: { id: session.id, shopId: session.shopId, revision: expectedRevision },
        data: sessionColumns(session),
      });
      if (count !== 1) throw new ConcurrentUpdateError(session.id);
    },
  };
}

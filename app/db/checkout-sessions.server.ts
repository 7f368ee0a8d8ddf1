// SessionStore on Prisma: the internal model in stateJson, the columns for queries, and a revision column for
// optimistic concurrency (a write succeeds only if nobody wrote since the read).
import type { PrismaClient } from "@prisma/client";
import type { CheckoutSession } from "../checkout/model";
import { ConcurrentUpdateError, type SessionStore } from "../checkout/ports";
import { contactEmail } from "../checkout/status";
import { buyerEmailHash } from "../privacy/buyer-key";
import { rawSql } from "./sql.server";

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

// The hot path (every create, update, retrieve) runs raw statements in the database's dialect: the same SQL as the
// Prisma calls it replaces, a third of the CPU (no query compilation per call; docs/benchmarks.md, issue 15).
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

export function createPrismaSessionStore(db: PrismaClient): SessionStore {
  const sql = rawSql(db);
  return {
    async insert(session) {
      // The row's createdAt is the session's own (the domain clock), which retention ages it by (docs/decisions/0116);
      // updatedAt is the write's wall-clock time, as Prisma's @updatedAt sets it.
      const row: Record<string, unknown> = { id: session.id, shopId: session.shopId, createdAt: new Date(session.createdAt), updatedAt: new Date(), ...sessionColumns(session) };
      const names = Object.keys(row);
      await sql.execute(`INSERT INTO "CheckoutSession" (${quoted(names)}) VALUES (${names.map(() => "?").join(", ")})`, ...Object.values(row));
    },
    async get(shopId, id) {
      // Always scoped by shop: another shop's session id is simply not found (tenant isolation).
      const rows = await sql.query<Array<{ stateJson: string; revision: number | bigint }>>(`SELECT "stateJson", "revision" FROM "CheckoutSession" WHERE "id" = ? AND "shopId" = ?`, id, shopId);
      const row = rows[0];
      if (!row) return null;
      return { ...(JSON.parse(row.stateJson) as CheckoutSession), revision: Number(row.revision) };
    },
    async update(session, expectedRevision) {
      const columns: Record<string, unknown> = { ...sessionColumns(session), updatedAt: new Date() };
      const names = Object.keys(columns);
      const count = await sql.execute(
        `UPDATE "CheckoutSession" SET ${names.map((n) => `"${n}" = ?`).join(", ")} WHERE "id" = ? AND "shopId" = ? AND "revision" = ?`,
        ...Object.values(columns),
        session.id,
        session.shopId,
        expectedRevision,
      );
      if (count !== 1) throw new ConcurrentUpdateError(session.id);
    },
  };
}

// Retention (docs/decisions/0116): what the app keeps, for how long, and the scheduled job that removes the rest, so
// the database does not grow without bound under agent traffic. Every purge is a series of short statements of at
// most `batchSize` rows (each its own implicit transaction, with a pause between them), so a large backlog never
// holds SQLite's write lock for long. Framework-free: the database and the clock are passed in.
//
//   checkout sessions without an order   buyer data removed after 30 days, the row deleted after 90
//   checkout sessions that made an order buyer data removed after 90 days; lines, totals, messages and dates kept
//   Shopify webhook receipts             7 days (the dedup window; Shopify retries for 4 hours, 48 h before 2024-09)
//   delivered outbox events              30 days; dead ones 90 days — never an order's newest event
//   feed runs                            the newest 50 per shop and kind, and always the newest successful one
//   idempotency records, signature replays, expired compliance exports: as soon as they expire
import type { PrismaClient } from "@prisma/client";
import type { CheckoutSession } from "../checkout/model";
import { retentionRows } from "../observability/metrics.server";
import { redactPersonalData } from "../webhooks/lifecycle.server";
import type { ScheduledJob } from "./schedule.server";
import { rawSql } from "../db/sql.server";

const DAY = 86_400_000;

export interface RetentionPolicy {
  /** Sessions without an order: buyer data removed this many days after creation. */
  sessionAnonymiseDays: number;
  /** Sessions without an order: deleted this many days after creation. */
  sessionDeleteDays: number;
  /** Sessions that made an order: buyer data removed this many days after creation (the order stays in Shopify). */
  orderSessionAnonymiseDays: number;
  /** Shopify webhook receipts (deduplication by webhook and event id). */
  webhookReceiptDays: number;
  deliveredEventDays: number;
  deadEventDays: number;
  /** Feed runs kept per shop and kind (full_sync, reconcile, push). */
  feedRunsKept: number;
  /** Rows per statement. */
  batchSize: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  sessionAnonymiseDays: 30,
  sessionDeleteDays: 90,
  orderSessionAnonymiseDays: 90,
  webhookReceiptDays: 7,
  deliveredEventDays: 30,
  deadEventDays: 90,
  feedRunsKept: 50,
  batchSize: 500,
};

/** Lower bounds: below them the app would lose what it needs (sessions live up to 7 days; Shopify retries for 48 h at most). */
const MINIMUM: Partial<RetentionPolicy> = { sessionAnonymiseDays: 8, sessionDeleteDays: 8, orderSessionAnonymiseDays: 8, webhookReceiptDays: 3, deliveredEventDays: 1, deadEventDays: 7, feedRunsKept: 5, batchSize: 1 };

const ENV: Record<keyof Omit<RetentionPolicy, "batchSize">, string> = {
  sessionAnonymiseDays: "RETENTION_SESSION_ANONYMISE_DAYS",
  sessionDeleteDays: "RETENTION_SESSION_DELETE_DAYS",
  orderSessionAnonymiseDays: "RETENTION_ORDER_SESSION_ANONYMISE_DAYS",
  webhookReceiptDays: "RETENTION_WEBHOOK_RECEIPT_DAYS",
  deliveredEventDays: "RETENTION_DELIVERED_EVENT_DAYS",
  deadEventDays: "RETENTION_DEAD_EVENT_DAYS",
  feedRunsKept: "RETENTION_FEED_RUNS_KEPT",
};

/** The policy from RETENTION_* variables over the defaults; a value below its minimum is raised to it. */
export function retentionPolicyFromEnv(env: Record<string, string | undefined> = process.env): RetentionPolicy {
  const policy = { ...DEFAULT_RETENTION };
  for (const [key, name] of Object.entries(ENV) as Array<[keyof RetentionPolicy, string]>) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
    policy[key] = Math.max(value, MINIMUM[key] ?? 1);
  }
  policy.sessionDeleteDays = Math.max(policy.sessionDeleteDays, policy.sessionAnonymiseDays);
  return policy;
}

/** What one run removed, by table and action ("deleted" / "anonymised"). */
export type RetentionCounts = Record<string, number>;

export interface RetentionDeps {
  db: PrismaClient;
  now?: () => Date;
  policy?: Partial<RetentionPolicy>;
  /** Called after every statement that changed rows (tests count batches; the metrics count rows). */
  onBatch?: (table: string, action: "deleted" | "anonymised", rows: number) => void;
  /** Pause between statements, so other writers get the lock (default: one event-loop turn). */
  pause?: () => Promise<void>;
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Keyset position per shop for the anonymising passes: a steady-state run reads only sessions that aged since. */

/**
 * A retention runner. It remembers, per shop, how far the anonymising passes got (in memory: after a restart the
 * first run reads the old sessions once more, writing only those that still hold buyer data).
 */
export function createRetention(deps: RetentionDeps) {
  const policy = { ...DEFAULT_RETENTION, ...deps.policy };
  const now = deps.now ?? (() => new Date());
  const pause = deps.pause ?? nextTurn;
  const { db } = deps;
  // Statements in the common SQL of SQLite and PostgreSQL (app/db/sql.server.ts).
  const raw = rawSql(db);

  async function batched(table: string, action: "deleted" | "anonymised", counts: RetentionCounts, statement: () => Promise<number>): Promise<void> {
    for (;;) {
      const rows = await statement();
      if (rows > 0) {
        counts[`${table}.${action}`] = (counts[`${table}.${action}`] ?? 0) + rows;
        deps.onBatch?.(table, action, rows);
      }
      if (rows < policy.batchSize) return;
      await pause();
    }
  }

  async function purgeSessions(shopId: string, at: Date, counts: RetentionCounts) {
    const before = new Date(at.getTime() - policy.sessionDeleteDays * DAY);
    await batched("CheckoutSession", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "CheckoutSession" WHERE "id" IN (
           SELECT s."id" FROM "CheckoutSession" s
            WHERE s."shopId" = ? AND s."createdAt" < ? AND s."status" != 'complete_in_progress' AND s."shopifyOrderId" IS NULL
              AND NOT EXISTS (SELECT 1 FROM "AgentOrder" o WHERE o."checkoutSessionId" = s."id")
            LIMIT ?)`,
        shopId,
        before,
        policy.batchSize,
      ),
    );
  }

  async function anonymiseSessions(shopId: string, at: Date, withOrder: boolean, counts: RetentionCounts) {
    const days = withOrder ? policy.orderSessionAnonymiseDays : policy.sessionAnonymiseDays;
    const before = new Date(at.getTime() - days * DAY);
    for (;;) {
      // Sessions not yet marked: once marked (changed or not), no run on any instance reads them again.
      const rows = await raw.query<Array<{ id: string; stateJson: string }>>(
        `SELECT s."id", s."stateJson" FROM "CheckoutSession" s
          WHERE s."shopId" = ? AND s."anonymisedAt" IS NULL AND s."createdAt" < ? AND s."status" != 'complete_in_progress'
            AND ${withOrder ? "" : "NOT "}(s."shopifyOrderId" IS NOT NULL OR EXISTS (SELECT 1 FROM "AgentOrder" o WHERE o."checkoutSessionId" = s."id"))
          ORDER BY s."createdAt", s."id" LIMIT ?`,
        shopId,
        before,
        policy.batchSize,
      );
      let changed = 0;
      for (const row of rows) {
        const anonymised = anonymiseState(row.stateJson);
        // Only while the row is as read: a concurrent write (there should be none on a finished session) wins and
        // the row is read again on the next run.
        const updated = await raw.execute(
          `UPDATE "CheckoutSession" SET "stateJson" = ?, "buyerEmailHash" = NULL, "anonymisedAt" = ? WHERE "id" = ? AND "stateJson" = ?`,
          anonymised ?? row.stateJson,
          at,
          row.id,
          row.stateJson,
        );
        if (anonymised !== null) changed += updated;
      }
      if (changed > 0) {
        counts["CheckoutSession.anonymised"] = (counts["CheckoutSession.anonymised"] ?? 0) + changed;
        deps.onBatch?.("CheckoutSession", "anonymised", changed);
      }
      if (rows.length < policy.batchSize) return;
      await pause();
    }
  }

  async function purgeOutbox(at: Date, counts: RetentionCounts) {
    // An order's newest event is its delivery state in the admin (docs/decisions/0085) and the one to re-send: kept.
    const superseded = `(o."aggregateId" IS NULL OR EXISTS (SELECT 1 FROM "OutboxEvent" n WHERE n."shopId" = o."shopId" AND n."aggregateId" = o."aggregateId"
                           AND (n."createdAt" > o."createdAt" OR (n."createdAt" = o."createdAt" AND n."id" > o."id"))))`;
    await batched("OutboxEvent", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "OutboxEvent" WHERE "id" IN (SELECT o."id" FROM "OutboxEvent" o WHERE o."deliveredAt" < ? AND ${superseded} LIMIT ?)`,
        new Date(at.getTime() - policy.deliveredEventDays * DAY),
        policy.batchSize,
      ),
    );
    await batched("OutboxEvent", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "OutboxEvent" WHERE "id" IN (SELECT o."id" FROM "OutboxEvent" o WHERE o."deliveredAt" IS NULL AND o."deadAt" < ? AND ${superseded} LIMIT ?)`,
        new Date(at.getTime() - policy.deadEventDays * DAY),
        policy.batchSize,
      ),
    );
  }

  async function purgeFeedRuns(counts: RetentionCounts) {
    // The newest successful run of each kind stays: the catalog's freshness (metrics, the daily full sync) reads it.
    await batched("FeedRun", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "FeedRun" WHERE "id" IN (
           SELECT "id" FROM (
             SELECT "id", "status",
                    ROW_NUMBER() OVER (PARTITION BY "shopId", "kind" ORDER BY "startedAt" DESC, "id" DESC) AS rn,
                    ROW_NUMBER() OVER (PARTITION BY "shopId", "kind", "status" ORDER BY "startedAt" DESC, "id" DESC) AS rs
               FROM "FeedRun") AS ranked
            WHERE rn > ? AND "status" != 'running' AND NOT ("status" = 'succeeded' AND rs = 1)
            LIMIT ?)`,
        policy.feedRunsKept,
        policy.batchSize,
      ),
    );
  }

  /** Rows past their own `expiresAt` (tables with an index on it). */
  async function purgeExpired(table: "IdempotencyRecord" | "SignatureReplay", at: Date, counts: RetentionCounts) {
    // SQLite's rowid is the table's own b-tree key; PostgreSQL goes by the primary key.
    const key = raw.dialect.provider === "sqlite" ? "rowid" : `"id"`;
    await batched(table, "deleted", counts, () =>
      raw.execute(`DELETE FROM "${table}" WHERE ${key} IN (SELECT ${key} FROM "${table}" WHERE "expiresAt" <= ? LIMIT ?)`, at, policy.batchSize),
    );
  }

  /** Which key opened a session matters only while the session is open (the open-sessions cap, 0112). */
  async function purgeKeySessions(at: Date, counts: RetentionCounts) {
    await batched("AgentKeySession", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "AgentKeySession" WHERE "sessionId" IN (
           SELECT a."sessionId" FROM "AgentKeySession" a LEFT JOIN "CheckoutSession" c ON c."id" = a."sessionId"
            WHERE c."id" IS NULL OR c."status" IN ('completed', 'canceled', 'expired') OR c."expiresAt" <= ?
            LIMIT ?)`,
        at,
        policy.batchSize,
      ),
    );
  }

  /** Data-request exports past their download period lose their ciphertext; the audit row stays (docs/decisions/0107). */
  async function purgeComplianceExports(at: Date, counts: RetentionCounts) {
    await batched("ComplianceRequest", "anonymised", counts, () =>
      raw.execute(
        `UPDATE "ComplianceRequest" SET "exportEnc" = NULL WHERE "id" IN (SELECT "id" FROM "ComplianceRequest" WHERE "expiresAt" <= ? AND "exportEnc" IS NOT NULL LIMIT ?)`,
        at,
        policy.batchSize,
      ),
    );
  }

  async function run(): Promise<RetentionCounts> {
    const at = now();
    const counts: RetentionCounts = {};
    const shops = await db.shop.findMany({ select: { id: true } });
    for (const { id } of shops) {
      await purgeSessions(id, at, counts);
      await anonymiseSessions(id, at, false, counts);
      await anonymiseSessions(id, at, true, counts);
    }
    await batched("WebhookReceipt", "deleted", counts, () =>
      raw.execute(
        `DELETE FROM "WebhookReceipt" WHERE "webhookId" IN (SELECT "webhookId" FROM "WebhookReceipt" WHERE "receivedAt" < ? LIMIT ?)`,
        new Date(at.getTime() - policy.webhookReceiptDays * DAY),
        policy.batchSize,
      ),
    );
    await purgeOutbox(at, counts);
    await purgeFeedRuns(counts);
    await purgeExpired("IdempotencyRecord", at, counts);
    await purgeExpired("SignatureReplay", at, counts);
    await purgeKeySessions(at, counts);
    await purgeComplianceExports(at, counts);
    return counts;
  }

  return { run, policy };
}

/**
 * A finished session's state without the buyer: buyer, fulfilment details (name, email, phone, address) and the
 * agent's metadata go through redactPersonalData; order notes are dropped; an email in the continue URL is removed.
 * Lines, totals, messages, status and dates stay (the admin's order page and timeline read them). Null when
 * nothing would change (already anonymised, or no buyer data).
 */
export function anonymiseState(stateJson: string): string | null {
  let state: CheckoutSession;
  try {
    state = JSON.parse(stateJson) as CheckoutSession;
  } catch {
    return null;
  }
  const next: CheckoutSession = { ...state };
  if (state.buyer) next.buyer = redactPersonalData(state.buyer) as CheckoutSession["buyer"];
  if (state.fulfillmentDetails) next.fulfillmentDetails = redactPersonalData(state.fulfillmentDetails) as CheckoutSession["fulfillmentDetails"];
  if (state.metadata) next.metadata = redactPersonalData(state.metadata) as CheckoutSession["metadata"];
  if (state.orderNotes !== undefined) delete next.orderNotes;
  if (typeof state.continueUrl === "string") next.continueUrl = state.continueUrl.replace(/([?&])checkout(?:%5B|\[)email(?:%5D|\])=[^&]*&?/gi, "$1").replace(/[?&]$/, "");
  const out = JSON.stringify(next);
  return out === JSON.stringify(state) ? null : out;
}

/** The hourly job for the scheduler (app/jobs/schedule.server.ts): the policy from RETENTION_*, rows counted in metrics. */
export function retentionJob(deps: RetentionDeps & { intervalMs?: number }): ScheduledJob {
  const retention = createRetention({
    policy: retentionPolicyFromEnv(),
    onBatch: (table, action, rows) => retentionRows.inc({ table, action }, rows),
    ...deps,
  });
  return { name: "retention", intervalMs: deps.intervalMs ?? 3_600_000, run: () => retention.run() };
}

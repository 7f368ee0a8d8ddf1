// A durable outbox: events are written in the same transaction as the change they report, then delivered by a
// worker with exponential backoff. A delivery that keeps failing ends in a dead-letter state, visible and
// re-sendable in the admin. At-least-once: receivers deduplicate (agent order events carry the full state).
import type { OutboxEvent, Prisma, PrismaClient } from "@prisma/client";
import { providerOf } from "../db/client.server";

export type OutboxWriter = Pick<PrismaClient, "outboxEvent"> | Prisma.TransactionClient;

export interface NewOutboxEvent {
  shopId: string;
  type: string;
  aggregateId?: string;
  payload: unknown;
}

export async function enqueue(db: OutboxWriter, event: NewOutboxEvent, now = new Date()): Promise<OutboxEvent> {
  return db.outboxEvent.create({
    data: { shopId: event.shopId, type: event.type, aggregateId: event.aggregateId, payloadJson: JSON.stringify(event.payload), nextAttemptAt: now, createdAt: now },
  });
}

/**
 * Creation order: `createdAt`, then the id (events written in one transaction share a createdAt; cuids made in
 * one process sort in the order they were made).
 */
const CREATION_ORDER: Prisma.OutboxEventOrderByWithRelationInput[] = [{ createdAt: "asc" }, { id: "asc" }];

/** What a handler reports: delivered, or failed (with whether another attempt could succeed). */
export type DeliveryResult = { ok: true } | { ok: false; error: string; permanent?: boolean };
export type OutboxHandler = (event: OutboxEvent) => Promise<DeliveryResult>;

export interface OutboxPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockMs: number;
}

export const DEFAULT_POLICY: OutboxPolicy = { maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 3_600_000, lockMs: 60_000 };

/** 10 s, 20 s, 40 s … capped, with ±20 % jitter so retries from many events do not align. */
export function backoffMs(attempt: number, policy: OutboxPolicy = DEFAULT_POLICY, random = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

type Counts = { delivered: number; failed: number; dead: number };

/**
 * Claims due events (one worker at a time per event) and delivers them in creation order per aggregate, so an agent
 * never sees an older order state after a newer one. On PostgreSQL one statement claims a batch with
 * `FOR UPDATE SKIP LOCKED` (workers on other instances skip the rows, never wait or collide), taking only the
 * oldest pending event of each aggregate; on SQLite (one process) each candidate is claimed by a conditional
 * update of `lockedUntil` (docs/decisions/0136).
 */
export async function deliverDue(
  db: PrismaClient,
  handlers: Record<string, OutboxHandler>,
  { now = new Date(), limit = 50, policy = DEFAULT_POLICY }: { now?: Date; limit?: number; policy?: OutboxPolicy } = {},
): Promise<Counts> {
  const counts: Counts = { delivered: 0, failed: 0, dead: 0 };
  if (providerOf(db) === "postgres") {
    // Claim, deliver, claim again: the next event of an aggregate becomes claimable once its predecessor is settled.
    for (let budget = limit; budget > 0; ) {
      const batch = await claimBatch(db, now, budget, policy);
      if (!batch.length) break;
      budget -= batch.length;
      for (const event of batch) await settle(db, event, handlers, now, policy, counts);
    }
    return counts;
  }
  const due = await db.outboxEvent.findMany({
    where: { deliveredAt: null, deadAt: null, nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    orderBy: CREATION_ORDER,
    take: limit,
  });
  const blockedAggregates = new Set<string>();
  for (const candidate of due) {
    const aggregate = candidate.aggregateId ? `${candidate.shopId}:${candidate.aggregateId}` : null;
    if (aggregate && blockedAggregates.has(aggregate)) continue;
    if (aggregate && (await hasEarlierPending(db, candidate))) {
      blockedAggregates.add(aggregate);
      continue;
    }
    if (!(await claimOne(db, candidate.id, now, policy))) continue;
    if (!(await settle(db, candidate, handlers, now, policy, counts)) && aggregate) blockedAggregates.add(aggregate);
  }
  return counts;
}

/**
 * PostgreSQL: claims up to `limit` due events in one statement. Rows another worker is claiming are skipped (SKIP
 * LOCKED); an event with an earlier undelivered event of its aggregate is not due. Times are ISO strings, which
 * PostgreSQL reads as the column's own type.
 */
async function claimBatch(db: PrismaClient, now: Date, limit: number, policy: OutboxPolicy): Promise<OutboxEvent[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + policy.lockMs).toISOString();
  const claimed = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "OutboxEvent" SET "lockedUntil" = ${until}
    WHERE "id" IN (
      SELECT e."id" FROM "OutboxEvent" e
      WHERE e."deliveredAt" IS NULL AND e."deadAt" IS NULL AND e."nextAttemptAt" <= ${at}
        AND (e."lockedUntil" IS NULL OR e."lockedUntil" < ${at})
        AND (e."aggregateId" IS NULL OR NOT EXISTS (
          SELECT 1 FROM "OutboxEvent" p
          WHERE p."shopId" = e."shopId" AND p."aggregateId" = e."aggregateId" AND p."deliveredAt" IS NULL AND p."deadAt" IS NULL
            AND (p."createdAt" < e."createdAt" OR (p."createdAt" = e."createdAt" AND p."id" < e."id"))))
      ORDER BY e."createdAt", e."id"
      LIMIT ${limit}
      FOR UPDATE OF e SKIP LOCKED)
    RETURNING "id"`;
  if (!claimed.length) return [];
  return db.outboxEvent.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, orderBy: CREATION_ORDER });
}

/** Runs the handler of a claimed event and records the outcome; true when delivered. */
async function settle(db: PrismaClient, event: OutboxEvent, handlers: Record<string, OutboxHandler>, now: Date, policy: OutboxPolicy, counts: Counts): Promise<boolean> {
  const handler = handlers[event.type];
  const result: DeliveryResult = handler
    ? await handler(event).catch((error: Error) => ({ ok: false as const, error: error.message }))
    : { ok: false, error: `No handler for ${event.type}`, permanent: true };
  const attempts = event.attempts + 1;
  if (result.ok) {
    // updateMany: a handler may have removed its own event (a processed Shopify delivery leaves no row).
    await db.outboxEvent.updateMany({ where: { id: event.id }, data: { attempts, deliveredAt: now, lockedUntil: null, lastError: null } });
    counts.delivered++;
    return true;
  }
  const dead = result.permanent || attempts >= policy.maxAttempts;
  await db.outboxEvent.updateMany({
    where: { id: event.id },
    data: {
      attempts,
      lockedUntil: null,
      lastError: result.error.slice(0, 500),
      ...(dead ? { deadAt: now } : { nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, policy)) }),
    },
  });
  if (dead) counts.dead++;
  else counts.failed++;
  return false;
}

/**
 * Delivers one event now, as a worker would (same claim, same ordering rule, same outcome records), waiting at most
 * `budgetMs`: "delivered", "failed" (recorded with its backoff; the worker retries), or "queued" (another event of
 * its aggregate comes first, someone else holds it, or it is still running past the budget: it finishes in the
 * background, and the lock keeps workers off it meanwhile).
 */
export async function deliverNow(
  db: PrismaClient,
  event: OutboxEvent,
  handlers: Record<string, OutboxHandler>,
  { budgetMs = 3000, policy = DEFAULT_POLICY, onError }: { budgetMs?: number; policy?: OutboxPolicy; onError?: (error: Error) => void } = {},
): Promise<"delivered" | "failed" | "queued"> {
  const now = new Date();
  if (event.aggregateId && (await hasEarlierPending(db, event))) return "queued";
  if (!(await claimOne(db, event.id, now, policy))) return "queued";
  // A failure to record the outcome leaves the event locked and pending: the worker takes it when the lock lapses.
  // Delivered: later events of the same aggregate that arrived meanwhile (and were told to wait) are delivered
  // next, in order, so the queue drains without waiting for a worker pass.
  const settled = settle(db, event, handlers, now, policy, { delivered: 0, failed: 0, dead: 0 }).then(
    async (ok) => {
      if (ok && event.aggregateId) await deliverFollowing(db, event, handlers, policy);
      return ok ? ("delivered" as const) : ("failed" as const);
    },
    (error: Error) => (onError?.(error), "queued" as const),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"queued">((resolve) => (timer = setTimeout(() => resolve("queued"), budgetMs)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The due events of `event`'s aggregate and type after it, one by one while they succeed (claimed as a worker would). */
async function deliverFollowing(db: PrismaClient, event: OutboxEvent, handlers: Record<string, OutboxHandler>, policy: OutboxPolicy): Promise<void> {
  for (;;) {
    const now = new Date();
    const next = await db.outboxEvent.findFirst({
      where: { shopId: event.shopId, aggregateId: event.aggregateId, type: event.type, deliveredAt: null, deadAt: null },
      orderBy: CREATION_ORDER,
    });
    if (!next || next.nextAttemptAt > now || (next.lockedUntil && next.lockedUntil >= now)) return;
    if (!(await claimOne(db, next.id, now, policy)) || !(await settle(db, next, handlers, now, policy, { delivered: 0, failed: 0, dead: 0 }))) return;
  }
}

/** Claims one event by a conditional update of its lock: of several claimers only one wins. */
async function claimOne(db: PrismaClient, id: string, now: Date, policy: OutboxPolicy): Promise<boolean> {
  const claimed = await db.outboxEvent.updateMany({
    where: { id, deliveredAt: null, deadAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { lockedUntil: new Date(now.getTime() + policy.lockMs) },
  });
  return claimed.count === 1;
}

async function hasEarlierPending(db: PrismaClient, event: OutboxEvent): Promise<boolean> {
  const earlier = await db.outboxEvent.count({
    where: {
      shopId: event.shopId,
      aggregateId: event.aggregateId,
      deliveredAt: null,
      deadAt: null,
      OR: [{ createdAt: { lt: event.createdAt } }, { createdAt: event.createdAt, id: { lt: event.id } }],
    },
  });
  return earlier > 0;
}

/** The merchant's "re-send": a dead or delivered event goes back in the queue, due now. */
export async function resend(db: PrismaClient, shopId: string, eventId: string, now = new Date()): Promise<boolean> {
  const updated = await db.outboxEvent.updateMany({
    where: { id: eventId, shopId },
    data: { deadAt: null, deliveredAt: null, nextAttemptAt: now, lockedUntil: null, attempts: 0 },
  });
  return updated.count === 1;
}

/** Operator view: how many events wait and how old the oldest is. */
export async function outboxDepth(db: PrismaClient, now = new Date()): Promise<{ pending: number; dead: number; oldestAgeMs: number }> {
  const [pending, dead, oldest] = await Promise.all([
    db.outboxEvent.count({ where: { deliveredAt: null, deadAt: null } }),
    db.outboxEvent.count({ where: { deadAt: { not: null } } }),
    db.outboxEvent.findFirst({ where: { deliveredAt: null, deadAt: null }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  return { pending, dead, oldestAgeMs: oldest ? now.getTime() - oldest.createdAt.getTime() : 0 };
}

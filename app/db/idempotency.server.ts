// IdempotencyStore on Prisma: one row per (shop, agent key, scope, key). Insert-first: the unique index picks exactly one
// winner among parallel identical requests; the others see the row and get a replay, 409 or 422.
import { Prisma, type PrismaClient } from "@prisma/client";
import { IDEMPOTENCY_TTL_MS, IN_FLIGHT_LOCK_MS, type ClaimResult, type IdempotencyClaim, type IdempotencyStore } from "../acp/idempotency";

type Key = Pick<IdempotencyClaim, "shopId" | "agentKeyId" | "scope" | "key">;
const where = (k: Key) => ({ shopId_agentKeyId_scope_key: { shopId: k.shopId, agentKeyId: k.agentKeyId, scope: k.scope, key: k.key } });

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export function createPrismaIdempotencyStore(db: PrismaClient, options: { ttlMs?: number; lockMs?: number } = {}): IdempotencyStore {
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const lockMs = options.lockMs ?? IN_FLIGHT_LOCK_MS;

  async function insert(claim: IdempotencyClaim): Promise<boolean> {
    try {
      await db.idempotencyRecord.create({
        data: {
          shopId: claim.shopId,
          agentKeyId: claim.agentKeyId,
          scope: claim.scope,
          key: claim.key,
          fingerprint: claim.fingerprint,
          state: "in_flight",
          lockedUntil: new Date(claim.now.getTime() + lockMs),
          expiresAt: new Date(claim.now.getTime() + ttlMs),
          createdAt: claim.now, // the handler's clock, like the times above (the demo's seeding dates requests with it)
        },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  return {
    async claim(claim): Promise<ClaimResult> {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await insert(claim)) return { kind: "claimed" };
        const existing = await db.idempotencyRecord.findUnique({ where: where(claim) });
        if (!existing) continue; // released or purged between our insert and read: try again
        const now = claim.now.getTime();
        if (existing.expiresAt.getTime() <= now) {
          // Past retention: the key is new again (acp.md §2.4).
          await db.idempotencyRecord.deleteMany({ where: { id: existing.id } });
          continue;
        }
        if (existing.fingerprint !== claim.fingerprint) return { kind: "conflict" };
        if (existing.state === "completed" && existing.responseStatus !== null && existing.responseBody !== null) {
          return { kind: "replay", status: existing.responseStatus, body: existing.responseBody };
        }
        const lockedUntil = existing.lockedUntil?.getTime() ?? 0;
        if (lockedUntil > now) return { kind: "in_flight", retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)) };
        // The first request died without finishing: take over its claim, if nobody else did first.
        const { count } = await db.idempotencyRecord.updateMany({
          where: { id: existing.id, state: "in_flight", lockedUntil: existing.lockedUntil },
          data: { lockedUntil: new Date(now + lockMs) },
        });
        if (count === 1) return { kind: "claimed" };
      }
      return { kind: "in_flight", retryAfterSeconds: 1 };
    },

    async complete(k, status, body) {
      await db.idempotencyRecord.update({ where: where(k), data: { state: "completed", responseStatus: status, responseBody: body, lockedUntil: null } });
    },

    async release(k) {
      await db.idempotencyRecord.deleteMany({ where: { shopId: k.shopId, agentKeyId: k.agentKeyId, scope: k.scope, key: k.key, state: "in_flight" } });
    },
  };
}

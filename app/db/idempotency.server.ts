// IdempotencyStore on Prisma: one row per (shop, agent key, scope, key). Insert-first: the unique index picks exactly one
// winner among parallel identical requests; the others see the row and get a replay, 409 or 422.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { rawSql } from "./sql.server";
import { IDEMPOTENCY_TTL_MS, IN_FLIGHT_LOCK_MS, type ClaimResult, type IdempotencyClaim, type IdempotencyStore } from "../acp/idempotency";

type Key = Pick<IdempotencyClaim, "shopId" | "agentKeyId" | "scope" | "key">;
const where = (k: Key) => ({ shopId_agentKeyId_scope_key: { shopId: k.shopId, agentKeyId: k.agentKeyId, scope: k.scope, key: k.key } });

export function createPrismaIdempotencyStore(db: PrismaClient, options: { ttlMs?: number; lockMs?: number } = {}): IdempotencyStore {
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  const lockMs = options.lockMs ?? IN_FLIGHT_LOCK_MS;

  const sql = rawSql(db);

  /** One statement: the row is ours (1) or another request's (0); the unique index decides, on either database. */
  async function insert(claim: IdempotencyClaim): Promise<boolean> {
    const inserted = await sql.execute(
      `INSERT INTO "IdempotencyRecord" ("id", "shopId", "agentKeyId", "scope", "key", "fingerprint", "state", "lockedUntil", "expiresAt", "createdAt")
       VALUES (?, ?, ?, ?, ?, ?, 'in_flight', ?, ?, ?)
       ON CONFLICT ("shopId", "agentKeyId", "scope", "key") DO NOTHING`,
      `ir_${randomUUID()}`,
      claim.shopId,
      claim.agentKeyId,
      claim.scope,
      claim.key,
      claim.fingerprint,
      new Date(claim.now.getTime() + lockMs),
      new Date(claim.now.getTime() + ttlMs),
      claim.now, // the handler's clock, like the times above (the demo's seeding dates requests with it)
    );
    return inserted === 1;
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
      const updated = await sql.execute(
        `UPDATE "IdempotencyRecord" SET "state" = 'completed', "responseStatus" = ?, "responseBody" = ?, "lockedUntil" = NULL
         WHERE "shopId" = ? AND "agentKeyId" = ? AND "scope" = ? AND "key" = ?`,
        status, body, k.shopId, k.agentKeyId, k.scope, k.key,
      );
      // As Prisma's update did: a claim that vanished (purged, released) is an error, never a silent success.
      if (updated !== 1) throw new Error("The idempotency record to complete no longer exists.");
    },

    async release(k) {
      await sql.execute(
        `DELETE FROM "IdempotencyRecord" WHERE "shopId" = ? AND "agentKeyId" = ? AND "scope" = ? AND "key" = ? AND "state" = 'in_flight'`,
        k.shopId, k.agentKeyId, k.scope, k.key,
      );
    },
  };
}

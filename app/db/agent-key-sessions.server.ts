// Which agent key opened which checkout session, for the cap on open sessions per key (docs/decisions/0112).
// "Open" is the session's own state: not completed, canceled or expired, and not past expiresAt. Rows of finished
// sessions are purged by the retention job (app/jobs/retention.server.ts).
import type { PrismaClient } from "@prisma/client";
import { rawSql } from "./sql.server";

export const TERMINAL_STATUSES = ["completed", "canceled", "expired"] as const;

export interface OpenSessions {
  count(input: { agentKeyId: string; now: Date }): Promise<number>;
  record(input: { sessionId: string; shopId: string; agentKeyId: string }): Promise<void>;
}

export function createPrismaOpenSessions(db: PrismaClient): OpenSessions {
  const terminal = TERMINAL_STATUSES.map((s) => `'${s}'`).join(", ");
  return {
    async count({ agentKeyId, now }) {
      const rows = await rawSql(db).query<Array<{ n: number | bigint }>>(
        `SELECT COUNT(*) AS n FROM "AgentKeySession" a JOIN "CheckoutSession" c ON c."id" = a."sessionId"
         WHERE a."agentKeyId" = ? AND c."status" NOT IN (${terminal}) AND c."expiresAt" > ?`,
        agentKeyId,
        now,
      );
      return Number(rows[0]?.n ?? 0);
    },

    async record({ sessionId, shopId, agentKeyId }) {
      // One statement (Prisma's upsert is a transaction of five on SQLite); a row already there is left as it is.
      await rawSql(db).execute(
        `INSERT INTO "AgentKeySession" ("sessionId", "shopId", "agentKeyId", "createdAt") VALUES (?, ?, ?, ?) ON CONFLICT ("sessionId") DO NOTHING`,
        sessionId, shopId, agentKeyId, new Date(),
      );
    },
  };
}

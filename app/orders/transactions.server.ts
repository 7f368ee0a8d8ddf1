// Webhooks for one order can be handled concurrently (Shopify sends refunds/create and orders/updated together).
// Every AgentOrder write checks its revision; a lost race, a unique-key race or a busy database re-runs the
// whole transaction against fresh state.
import { Prisma, type PrismaClient } from "@prisma/client";
import { isSqliteBusy } from "../db/busy.server";

export type Tx = Prisma.TransactionClient;

export class ConcurrentUpdate extends Error {
  constructor(what: string) {
    super(`Concurrent update of ${what}`);
    this.name = "ConcurrentUpdate";
  }
}

function retryable(error: unknown): boolean {
  if (error instanceof ConcurrentUpdate) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) return ["P2002", "P2034", "P1008"].includes(error.code);
  return isSqliteBusy(error);
}

// On PostgreSQL concurrent transactions really run side by side: of k racing for one order, one wins per round,
// so the attempts must outnumber the racers, and the wait grows (with jitter) so they spread out.
export async function inTransaction<T>(db: PrismaClient, work: (tx: Tx) => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { timeout: 15_000, maxWait: 10_000 });
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

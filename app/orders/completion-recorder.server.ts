// CompletionRecorder on Prisma: the completed session, its AgentOrder row and the first order event are one
// transaction, so an order is either fully recorded and reported, or not recorded at all (docs/decisions/0070).
import type { PrismaClient } from "@prisma/client";
import type { CompletionRecorder } from "../checkout/ports";
import { ConcurrentUpdateError } from "../checkout/ports";
import { sessionColumns } from "../db/checkout-sessions.server";
import { reportOrderState } from "./order-events.server";
import { inTransaction } from "./transactions.server";

export function createCompletionRecorder(db: PrismaClient, now: () => Date = () => new Date()): CompletionRecorder {
  return {
    async commit(session, expectedRevision) {
      const order = session.completion?.order;
      if (session.status !== "completed" || !order || !session.completion?.paymentIntentId) throw new Error("commit needs a completed session with its order and charge");
      await inTransaction(db, async (tx) => {
        const { count } = await tx.checkoutSession.updateMany({ where: { id: session.id, shopId: session.shopId, revision: expectedRevision }, data: sessionColumns(session) });
        if (count !== 1) throw new ConcurrentUpdateError(session.id);
        const agentOrder = await tx.agentOrder.create({
          data: {
            shopId: session.shopId,
            checkoutSessionId: session.id,
            shopifyOrderId: order.id,
            orderName: order.name,
            statusUrl: order.statusUrl,
            status: "created",
            totalMinor: session.completion!.amount,
            currency: session.completion!.currency,
            paymentIntentId: session.completion!.paymentIntentId,
            agentName: session.completion!.agentName ?? null,
            attribution: "checkout",
            createdAt: now(), // the domain clock, like the session row's (the demo's seeding dates orders with it)
          },
        });
        await reportOrderState(tx, agentOrder.id, now());
      });
    },
  };
}

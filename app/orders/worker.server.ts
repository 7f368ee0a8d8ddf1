// Runs the outbox on a timer: one pass at a time (the next is scheduled only after the previous finished),
// and stop() waits for a pass in flight. Several processes may run workers: deliverDue claims rows.
import type { PrismaClient } from "@prisma/client";
import { deliverDue, type OutboxHandler, type OutboxPolicy } from "../jobs/outbox.server";
import { logger as rootLogger, type Logger } from "../observability/logger.server";

export interface OutboxWorker {
  /** Runs one pass now (waiting for a pass in flight first); for tests and "deliver now" buttons. */
  runOnce(): Promise<{ delivered: number; failed: number; dead: number }>;
  stop(): Promise<void>;
}

export function startOutboxWorker({
  db,
  handlers,
  intervalMs = 1000,
  policy,
  logger = rootLogger,
}: {
  db: PrismaClient;
  handlers: Record<string, OutboxHandler>;
  intervalMs?: number;
  policy?: OutboxPolicy;
  logger?: Logger;
}): OutboxWorker {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<{ delivered: number; failed: number; dead: number }> | null = null;

  const pass = () => {
    if (!inFlight) {
      inFlight = deliverDue(db, handlers, { now: new Date(), ...(policy ? { policy } : {}) })
        .catch((error: Error) => {
          logger.error({ err: error.message }, "outbox pass failed");
          return { delivered: 0, failed: 0, dead: 0 };
        })
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void pass().then(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();

  return {
    async runOnce() {
      if (inFlight) await inFlight;
      return pass();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
    },
  };
}

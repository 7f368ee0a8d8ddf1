// Recovery of checkouts whose `complete` stopped half-way (crash, kill, lost lock): re-reads each session stuck in
// complete_in_progress past its lock and carries it on from its durable step (docs/decisions/0070). Runs at server
// start and on a timer (services.server.ts startBackgroundJobs). Several processes may run it: every step
// write is revision-checked, so only one of them carries a session on.
import type { PrismaClient } from "@prisma/client";
import type { CompleteCheckout, CompleteOutcome } from "../checkout/complete";
import type { CheckoutSession } from "../checkout/model";
import { logger as rootLogger, type Logger } from "../observability/logger.server";

export interface RecoveryDeps {
  db: PrismaClient;
  completionForShop(shopId: string): Promise<CompleteCheckout | null>;
  now?: () => Date;
  logger?: Logger;
  /** Sessions per pass (oldest first). */
  batch?: number;
}

export interface RecoveryReport {
  examined: number;
  completed: number;
  released: number;
  canceled: number;
  pending: number;
  failed: number;
}

export async function recoverIncompleteCheckouts(deps: RecoveryDeps): Promise<RecoveryReport> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.logger ?? rootLogger;
  const rows = await deps.db.checkoutSession.findMany({
    where: { status: "complete_in_progress" },
    orderBy: { updatedAt: "asc" },
    take: deps.batch ?? 50,
    select: { id: true, shopId: true, stateJson: true, revision: true },
  });
  const report: RecoveryReport = { examined: 0, completed: 0, released: 0, canceled: 0, pending: 0, failed: 0 };
  for (const row of rows) {
    const session = { ...(JSON.parse(row.stateJson) as CheckoutSession), revision: row.revision };
    const until = session.completion?.lockedUntil;
    if (until && Date.parse(until) > now.getTime()) continue; // its request is still presumed alive
    report.examined++;
    try {
      const completion = await deps.completionForShop(row.shopId);
      if (!completion) continue;
      count(report, await completion.resume(session));
    } catch (error) {
      report.failed++;
      log.error({ shopId: row.shopId, checkoutSessionId: row.id, err: error instanceof Error ? error.message : String(error) }, "checkout recovery failed; will retry");
    }
  }
  if (report.examined) log.info({ ...report }, "checkout recovery pass");
  return report;
}

function count(report: RecoveryReport, outcome: CompleteOutcome): void {
  if (outcome.kind !== "ok") {
    report.pending++;
    return;
  }
  if (outcome.session.status === "completed") report.completed++;
  else if (outcome.session.status === "canceled") report.canceled++;
  else report.released++;
}

/** Runs a pass now and then every `intervalMs` (default CHECKOUT_RECOVERY_INTERVAL_MS or 15 s; timer unref'd, no overlap). */
export function startCheckoutRecovery(deps: RecoveryDeps & { intervalMs?: number }): { stop(): Promise<void>; runOnce(): Promise<RecoveryReport> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RecoveryReport> | undefined;
  let stopped = false;
  const runOnce = () => (running ??= recoverIncompleteCheckouts(deps).finally(() => (running = undefined)));
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().catch(() => undefined).finally(schedule), deps.intervalMs ?? (Number(process.env.CHECKOUT_RECOVERY_INTERVAL_MS) || 15_000));
    timer.unref();
  };
  void runOnce().catch(() => undefined).finally(schedule);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

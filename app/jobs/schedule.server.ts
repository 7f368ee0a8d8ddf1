// A tiny in-process scheduler: each job runs every `intervalMs`, never overlapping itself, and stop() waits for a
// run in flight. With `leases`, a run first claims the job's lease ("job:<name>") for most of its interval, so of
// several instances running the scheduler only one runs each job per interval (docs/decisions/0137); jobs stay
// idempotent and re-read durable state, so a lease that lapses mid-run costs duplicate work, never wrong data.
import { logger } from "../observability/logger.server";
import type { Leases } from "./lease.server";

export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

/** Share of the interval a run's lease lasts: the next tick of whichever instance comes after it may claim it. */
const LEASE_SHARE = 0.9;

export function schedule(jobs: ScheduledJob[], options: { leases?: Leases } = {}): { stop: () => Promise<void> } {
  let stopped = false;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const running = new Set<Promise<unknown>>();
  const { leases } = options;
  for (const job of jobs) {
    const runIfLeased = async () => {
      if (leases && !(await leases.claim(`job:${job.name}`, Math.round(job.intervalMs * LEASE_SHARE)))) return;
      await job.run();
    };
    const tick = () => {
      if (stopped) return;
      const run = runIfLeased()
        .catch((error: Error) => logger.error({ job: job.name, err: error.message }, "scheduled job failed"))
        .finally(() => {
          running.delete(run);
          if (!stopped) timers.push(setTimeout(tick, job.intervalMs).unref());
        });
      running.add(run);
    };
    timers.push(setTimeout(tick, job.intervalMs).unref());
  }
  return {
    async stop() {
      stopped = true;
      timers.forEach(clearTimeout);
      await Promise.all([...running]);
    },
  };
}

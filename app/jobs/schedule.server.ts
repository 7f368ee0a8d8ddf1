// A tiny in-process scheduler: each job runs every `intervalMs`, never overlapping itself, and stop() waits for a
// run in flight. Jobs are idempotent and re-read durable state, so several processes may run them.
import { logger } from "../observability/logger.server";

export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

export function schedule(jobs: ScheduledJob[]): { stop: () => Promise<void> } {
  let stopped = false;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const running = new Set<Promise<unknown>>();
  for (const job of jobs) {
    const tick = () => {
      if (stopped) return;
      const run = job
        .run()
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

// Time each incoming request spends waiting on Shopify and Stripe, so responses can report it
// (`Server-Timing`) and benchmarks can separate the app's own time from the stand-ins' (issue 6 §9).
import { AsyncLocalStorage } from "node:async_hooks";

export interface UpstreamTiming {
  /** Milliseconds spent waiting on upstream calls, by upstream name. */
  waits: Record<string, number>;
  calls: Record<string, number>;
}

const storage = new AsyncLocalStorage<UpstreamTiming>();

export function withUpstreamTiming<T>(fn: () => Promise<T>): Promise<{ result: T; timing: UpstreamTiming }> {
  const timing: UpstreamTiming = { waits: {}, calls: {} };
  return storage.run(timing, async () => ({ result: await fn(), timing }));
}

/** Wraps an upstream call; outside a timed request it just runs it. */
export async function timeUpstream<T>(upstream: string, call: () => Promise<T>): Promise<T> {
  const timing = storage.getStore();
  if (!timing) return call();
  const started = performance.now();
  try {
    return await call();
  } finally {
    timing.waits[upstream] = (timing.waits[upstream] ?? 0) + (performance.now() - started);
    timing.calls[upstream] = (timing.calls[upstream] ?? 0) + 1;
  }
}

/** `Server-Timing: shopify;dur=12.3;desc="2 calls", total;dur=15.0` */
export function serverTimingHeader(timing: UpstreamTiming, totalMs: number): string {
  const parts = Object.entries(timing.waits).map(([name, ms]) => `${name};dur=${ms.toFixed(1)};desc="${timing.calls[name] ?? 0} calls"`);
  return [...parts, `total;dur=${totalMs.toFixed(1)}`].join(", ");
}

// Small helpers shared by the benchmarks: a bounded-concurrency load loop and percentile summaries.

export interface Sample {
  ms: number;
  upstreamMs: number;
  status: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export interface Summary {
  count: number;
  rps: number;
  p50: number;
  p99: number;
  ownP50: number;
  ownP99: number;
  upstreamP50: number;
  errors: number;
}

export function summarize(samples: Sample[], wallMs: number): Summary {
  const total = samples.map((s) => s.ms).sort((a, b) => a - b);
  const own = samples.map((s) => Math.max(0, s.ms - s.upstreamMs)).sort((a, b) => a - b);
  const upstream = samples.map((s) => s.upstreamMs).sort((a, b) => a - b);
  return {
    count: samples.length,
    rps: samples.length / (wallMs / 1000),
    p50: percentile(total, 50),
    p99: percentile(total, 99),
    ownP50: percentile(own, 50),
    ownP99: percentile(own, 99),
    upstreamP50: percentile(upstream, 50),
    errors: samples.filter((s) => s.status >= 400).length,
  };
}

/** Runs `count` calls of `task(i)` with at most `concurrency` in flight; returns samples and wall time. */
export async function load(count: number, concurrency: number, task: (i: number) => Promise<Sample>): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) samples.push(await task(next++));
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

/** Upstream wait reported by the app in `Server-Timing` (every entry except `total`). */
export function upstreamMsOf(serverTiming: string | null): number {
  if (!serverTiming) return 0;
  return serverTiming
    .split(",")
    .map((part) => part.trim())
    .filter((part) => !part.startsWith("total"))
    .reduce((sum, part) => sum + Number(/dur=([\d.]+)/.exec(part)?.[1] ?? 0), 0);
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

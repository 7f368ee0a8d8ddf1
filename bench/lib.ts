// Small helpers shared by the benchmarks: a bounded-concurrency load loop and percentile summaries.
import { readFileSync } from "node:fs";

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

// ---- CPU and counts per request (docs/benchmarks.md, "CPU per request") -------------------------------------

/** What a meter reads: the app (its URL, for bench/serve.mjs's /__bench/stats, and its pid) and the stand-ins. */
export interface MeterTarget {
  appUrl: string;
  appPid(): number | undefined;
  /** Admin GraphQL calls the Shopify stand-in has recorded so far (for the benchmark's shop). */
  adminCalls(): number;
  /** Requests the Stripe stand-in has logged so far. */
  stripeCalls(): number;
}

export interface Reading {
  /** The app process's CPU (user + system), ms: process.cpuUsage() from /__bench/stats, else /proc/<pid>/stat. */
  appCpuMs: number;
  /** This process's CPU: the load generator and the stand-ins, which share the machine with the app. */
  benchCpuMs: number;
  sqlStatements: number;
  schemaValidations: number;
  logLines: number;
  adminCalls: number;
  stripeCalls: number;
  /** Whether the app's own counters were available (BENCH_ROUTES=1 through bench/serve.mjs). */
  counted: boolean;
}

export type PerRequest = Omit<Reading, "counted"> & { counted: boolean; requests: number };

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** utime + stime of a process, ms (10 ms resolution). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export async function read(target: MeterTarget): Promise<Reading> {
  const local = process.cpuUsage();
  const base = { benchCpuMs: (local.user + local.system) / 1000, adminCalls: target.adminCalls(), stripeCalls: target.stripeCalls() };
  try {
    const res = await fetch(`${target.appUrl}/__bench/stats`);
    if (res.ok) {
      const s = (await res.json()) as { cpuUserMicros: number; cpuSystemMicros: number; sqlStatements: number; schemaValidations: number; logLines: number };
      return { ...base, appCpuMs: (s.cpuUserMicros + s.cpuSystemMicros) / 1000, sqlStatements: s.sqlStatements, schemaValidations: s.schemaValidations, logLines: s.logLines, counted: true };
    }
    await res.arrayBuffer();
  } catch {
    // not served: fall back to /proc
  }
  const pid = target.appPid();
  return { ...base, appCpuMs: pid ? procCpuMs(pid) : NaN, sqlStatements: NaN, schemaValidations: NaN, logLines: NaN, counted: false };
}

/** Runs `work` (which makes `requests` requests) between two readings; returns its result and the costs per request. */
export async function metered<T>(target: MeterTarget, requests: number, work: () => Promise<T>): Promise<{ value: T; per: PerRequest }> {
  const before = await read(target);
  const value = await work();
  const after = await read(target);
  const d = (k: Exclude<keyof Reading, "counted">) => (after[k] - before[k]) / requests;
  return {
    value,
    per: {
      requests,
      counted: before.counted && after.counted,
      appCpuMs: d("appCpuMs"),
      benchCpuMs: d("benchCpuMs"),
      sqlStatements: d("sqlStatements"),
      schemaValidations: d("schemaValidations"),
      logLines: d("logLines"),
      adminCalls: d("adminCalls"),
      stripeCalls: d("stripeCalls"),
    },
  };
}

/** The meter for a bench stack (bench/stack.ts) and its shop. */
export function stackTarget(stack: { appUrl: string; appPid(): number | undefined; urls: { shop: string }; shopify: { calls: Array<{ shop?: string }> }; stripe: { ledger(): { requests: unknown[] } } }): MeterTarget {
  return {
    appUrl: stack.appUrl,
    appPid: () => stack.appPid(),
    adminCalls: () => stack.shopify.calls.filter((c) => c.shop === stack.urls.shop).length,
    stripeCalls: () => stack.stripe.ledger().requests.length,
  };
}

export const CPU_HEADER = "app CPU ms/req  bare CPU ms/req  CPU ÷ bare | SQL/req  validations/req  Admin/req  Stripe/req  log lines/req | bench CPU ms/req";

/** One line of CPU and counts per request, beside the bare route's CPU per request from the same run. */
export function cpuColumns(op: PerRequest, bare: PerRequest): string {
  const n = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "—");
  return `${n(op.appCpuMs).padStart(14)} ${n(bare.appCpuMs).padStart(16)} ${n(op.appCpuMs / bare.appCpuMs).padStart(10)} | ${n(op.sqlStatements, 1).padStart(7)} ${n(op.schemaValidations, 1).padStart(16)} ${n(op.adminCalls).padStart(10)} ${n(op.stripeCalls).padStart(11)} ${n(op.logLines, 1).padStart(14)} | ${n(op.benchCpuMs).padStart(16)}`;
}

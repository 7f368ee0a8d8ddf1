// The limiter port: "may this caller spend N points now?". The implementation is rate-limiter-flexible: in memory
// (per process; SQLite deployments run one process) or over PostgreSQL (one budget shared by every instance;
// limiter-postgres.server.ts, docs/decisions/0111, 0135). Callers see only the port.
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimit } from "./rate-limit";

export type Decision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface Limiter {
  consume(key: string, points?: number): Promise<Decision>;
}

/** Builds a limiter for `capacity/perSecond` under a name (the key prefix of its budgets). */
export type LimiterFactory = (limit: RateLimit, name: string) => Limiter;

/** Seconds over which the burst above the steady rate may be spent. */
export const BURST_WINDOW_SECONDS = 10;

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** One rate-limiter-flexible limiter of a store: `points` per `duration` seconds under `keyPrefix`. */
export type StoreLimiter = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

/**
 * `capacity/perSecond` as rate-limiter-flexible limiters of one store: the steady rate per second (or one point per
 * 1/rate seconds below 1/s), plus a burst of `capacity − rate` points per BURST_WINDOW_SECONDS on top
 * (BurstyRateLimiter).
 */
export function storeLimiter(limit: RateLimit, name: string, make: StoreLimiter): Limiter {
  const steadyOptions = limit.refillPerSecond >= 1 ? { points: Math.round(limit.refillPerSecond), duration: 1 } : { points: 1, duration: Math.round(1 / limit.refillPerSecond) };
  const steady = make({ keyPrefix: name, ...steadyOptions });
  const burstPoints = Math.max(0, Math.round(limit.capacity - steadyOptions.points));
  const burst = burstPoints > 0 ? make({ keyPrefix: `${name}:burst`, points: burstPoints, duration: Math.max(BURST_WINDOW_SECONDS, steadyOptions.duration) }) : null;
  const limiter = burst ? new BurstyRateLimiter(steady, burst) : steady;
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { allowed: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: retryAfter(error) };
        throw error;
      }
    },
  };
}

/** Budgets in this process's memory. */
export const memoryLimiter: LimiterFactory = (limit, name) => storeLimiter(limit, name, (options) => new RateLimiterMemory(options));

// The limiter port: "may this caller spend N points now?". The implementation is rate-limiter-flexible's
// in-memory limiter (per process); a later move to Redis/Postgres swaps `memoryLimiter` for a store-backed one
// without touching callers (docs/decisions/0111).
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimit } from "./rate-limit";

export type Decision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface Limiter {
  consume(key: string, points?: number): Promise<Decision>;
}

/** Seconds over which the burst above the steady rate may be spent. */
export const BURST_WINDOW_SECONDS = 10;

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * `capacity/perSecond` as rate-limiter-flexible limiters: the steady rate per second (or one point per 1/rate
 * seconds below 1/s), plus a burst of `capacity − rate` points per BURST_WINDOW_SECONDS on top (BurstyRateLimiter).
 */
export function memoryLimiter(limit: RateLimit, name: string): Limiter {
  const steadyOptions = limit.refillPerSecond >= 1 ? { points: Math.round(limit.refillPerSecond), duration: 1 } : { points: 1, duration: Math.round(1 / limit.refillPerSecond) };
  const steady = new RateLimiterMemory({ keyPrefix: name, ...steadyOptions });
  const burstPoints = Math.max(0, Math.round(limit.capacity - steadyOptions.points));
  const burst = burstPoints > 0 ? new RateLimiterMemory({ keyPrefix: `${name}:burst`, points: burstPoints, duration: Math.max(BURST_WINDOW_SECONDS, steadyOptions.duration) }) : null;
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

// Token buckets per caller: a burst up to `capacity`, refilled at `refillPerSecond`. In memory and per process.
// Only /mcp still uses this synchronous bucket; the agent API uses the Limiter port (limiter.ts, on
// rate-limiter-flexible; docs/decisions/0111), which MCP should move to. `parseRateLimit` is shared.

export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

export type Decision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, nowMs: number, cost = 1): Decision {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: nowMs };
    bucket.tokens = Math.min(this.limit.capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.limit.refillPerSecond);
    bucket.at = nowMs;
    // Re-insert so the map's order is least-recently-used first; the oldest caller is forgotten at the cap.
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.limit.refillPerSecond)) };
  }
}

/** `capacity/perSecond`, e.g. "40/20"; invalid or empty → the fallback. */
export function parseRateLimit(value: string | undefined, fallback: RateLimit): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value?.trim() ?? "");
  if (!match) return fallback;
  const capacity = Number(match[1]);
  const refillPerSecond = Number(match[2]);
  return capacity > 0 && refillPerSecond > 0 ? { capacity, refillPerSecond } : fallback;
}

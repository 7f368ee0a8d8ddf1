// Rate-limit settings: `capacity/perSecond` (a burst, then a steady rate). The limiters themselves are
// rate-limiter-flexible behind the Limiter port (limiter.ts; docs/decisions/0111), for REST and MCP alike.

export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/** `capacity/perSecond`, e.g. "40/20"; invalid or empty → the fallback. */
export function parseRateLimit(value: string | undefined, fallback: RateLimit): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value?.trim() ?? "");
  if (!match) return fallback;
  const capacity = Number(match[1]);
  const refillPerSecond = Number(match[2]);
  return capacity > 0 && refillPerSecond > 0 ? { capacity, refillPerSecond } : fallback;
}

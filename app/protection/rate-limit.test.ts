import { describe, expect, it } from "vitest";
import { parseRateLimit, RateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("allows a burst, then refuses with the wait until a token is back", () => {
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("k", t0).allowed)).toEqual([true, true, true]);
    expect(limiter.take("k", t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take("k", t0 + 1000).allowed).toBe(true);
    expect(limiter.take("other", t0).allowed).toBe(true); // callers do not share a bucket
  });

  it("forgets the least recently used caller at its cap", () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.001 }, 2);
    limiter.take("a", 0);
    limiter.take("b", 0);
    limiter.take("c", 0); // evicts a
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("c", 0).allowed).toBe(false);
  });

  it("parses capacity/rate settings", () => {
    expect(parseRateLimit("40/20", { capacity: 1, refillPerSecond: 1 })).toEqual({ capacity: 40, refillPerSecond: 20 });
    expect(parseRateLimit("nonsense", { capacity: 1, refillPerSecond: 1 })).toEqual({ capacity: 1, refillPerSecond: 1 });
    expect(parseRateLimit("0/5", { capacity: 2, refillPerSecond: 1 })).toEqual({ capacity: 2, refillPerSecond: 1 });
  });
});

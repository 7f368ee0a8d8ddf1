import { describe, expect, it } from "vitest";
import { parseRateLimit } from "./rate-limit";
import { memoryLimiter } from "./limiter";

describe("rate limits", () => {
  it("allow a burst, then refuse with the wait until a point is back; callers do not share a budget", async () => {
    const limiter = memoryLimiter({ capacity: 3, refillPerSecond: 1 }, "test");
    const first = await Promise.all([1, 2, 3].map(() => limiter.consume("k")));
    expect(first.map((d) => d.allowed)).toEqual([true, true, true]);
    const refused = await limiter.consume("k");
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await limiter.consume("other")).allowed).toBe(true);
  });

  it("parses capacity/rate settings", () => {
    expect(parseRateLimit("40/20", { capacity: 1, refillPerSecond: 1 })).toEqual({ capacity: 40, refillPerSecond: 20 });
    expect(parseRateLimit("nonsense", { capacity: 1, refillPerSecond: 1 })).toEqual({ capacity: 1, refillPerSecond: 1 });
    expect(parseRateLimit("0/5", { capacity: 2, refillPerSecond: 1 })).toEqual({ capacity: 2, refillPerSecond: 1 });
  });
});

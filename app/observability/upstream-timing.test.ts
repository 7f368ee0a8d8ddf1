import { describe, expect, it } from "vitest";
import { serverTimingHeader, timeUpstream, withUpstreamTiming } from "./upstream-timing";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("upstream timing", () => {
  it("sums the waits of one request and keeps concurrent requests apart", async () => {
    const [a, b] = await Promise.all([
      withUpstreamTiming(async () => {
        await timeUpstream("shopify", () => wait(20));
        await timeUpstream("shopify", () => wait(20));
        return "a";
      }),
      withUpstreamTiming(async () => timeUpstream("stripe", () => wait(5)).then(() => "b")),
    ]);
    expect(a.result).toBe("a");
    expect(a.timing.calls).toEqual({ shopify: 2 });
    expect(a.timing.waits.shopify).toBeGreaterThanOrEqual(35);
    expect(b.timing.calls).toEqual({ stripe: 1 });
    expect(b.timing.waits.shopify).toBeUndefined();
  });

  it("formats Server-Timing", () => {
    expect(serverTimingHeader({ waits: { shopify: 12.34 }, calls: { shopify: 2 } }, 20)).toBe('shopify;dur=12.3;desc="2 calls", total;dur=20.0');
  });
});

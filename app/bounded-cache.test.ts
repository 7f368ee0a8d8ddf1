import { describe, expect, it } from "vitest";
import { boundedCache } from "./bounded-cache";

describe("boundedCache", () => {
  it("holds at most maxEntries, evicting the least recently used", () => {
    const cache = boundedCache<string, number>({ maxEntries: 3, maxAgeMs: 60_000, now: () => 0 });
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("d", 4);
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("a"), cache.get("c"), cache.get("d")]).toEqual([1, 3, 4]);
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
    expect(cache.get("k999")).toBe(999);
  });

  it("forgets an entry once it is maxAgeMs old, and drops expired entries when new ones are set", () => {
    let t = 0;
    const cache = boundedCache<string, string>({ maxEntries: 100, maxAgeMs: 1_000, now: () => t });
    cache.set("a", "x");
    cache.set("b", "y");
    t = 999;
    expect(cache.get("a")).toBe("x"); // a read does not extend the age
    t = 1_000;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(1); // b, not read yet
    cache.set("c", "z"); // b expired: evicted by the set
    expect(cache.size).toBe(1);
    expect(cache.get("c")).toBe("z");
    cache.set("c", "w"); // setting again renews the age
    t = 1_999;
    expect(cache.get("c")).toBe("w");
  });

  it("rejects bounds that would not bound anything", () => {
    expect(() => boundedCache({ maxEntries: 0, maxAgeMs: 1 })).toThrow(/maxEntries/);
    expect(() => boundedCache({ maxEntries: 1, maxAgeMs: 0 })).toThrow(/maxAgeMs/);
  });
});

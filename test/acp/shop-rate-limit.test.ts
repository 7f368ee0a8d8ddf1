// A store's agents share one rate limit, checked after the key is resolved; other stores are unaffected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, call } from "./harness";
import { expectSpecError } from "./assertions";
import { createAgentLimits } from "../../app/protection/agent-limits";

const generous = { capacity: 1000, refillPerSecond: 1000 };
const limits = createAgentLimits({ perKey: generous, perAddress: generous, perShop: { capacity: 2, refillPerSecond: 0.01 } });
let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness({ limits });
});
afterAll(() => h.close());

describe("per-shop rate limit", () => {
  it("refuses a store's third request with 429 rate_limited and Retry-After, across its keys, not other stores'", async () => {
    const a = await h.addShop();
    const { key: secondKeyOfA } = await h.acp.keys.create(a.shop.id, "Another agent");
    const b = await h.addShop();
    expect((await call(h.acp.handler, "/checkout_sessions/cs_nope", { method: "GET", key: a.key })).status).toBe(404);
    expect((await call(h.acp.handler, "/checkout_sessions/cs_nope", { method: "GET", key: secondKeyOfA })).status).toBe(404);
    const limited = await call(h.acp.handler, "/checkout_sessions/cs_nope", { method: "GET", key: a.key });
    expect(limited.status).toBe(429);
    expectSpecError(limited.json);
    expect(limited.json.code).toBe("rate_limited");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((await call(h.acp.handler, "/checkout_sessions/cs_nope", { method: "GET", key: b.key })).status).toBe(404);
  });
});

// What an operator relies on: rate limits in the protocol's error format, and Prometheus metrics behind a token.
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { createAgentClient, shapes } from "../../sim/agent/client";
import { freePort } from "../support/ports";
import { expectSpecError } from "../acp/assertions";

let stack: DemoStack;
const METRICS_TOKEN = "metrics-token-for-tests";

beforeAll(async () => {
  stack = await startDemoStack({
    port: await freePort(),
    build: false,
    log: () => {},
    dataDir: mkdtempSync(path.join(tmpdir(), "demo-ops-")),
    env: { ACP_RATE_LIMIT: "5/1", METRICS_TOKEN },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("operations", () => {
  it("limits an agent key's burst with a 429 in the spec's error format and a Retry-After", async () => {
    const agent = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof agent.retrieve>> | undefined;
    for (let i = 0; i < 8; i++) {
      const res = await agent.retrieve("cs_does_not_exist");
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses).toContain(429);
    expectSpecError(limited!.body);
    expect(limited!.body.code).toBe("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    const other = createAgentClient({ baseUrl: stack.urls.acp, apiKey: "acp_sk_someone_else_entirely_000000" });
    expect((await other.retrieve("cs_x")).status).toBe(401);
  });

  it("serves Prometheus metrics only with the token, counting agent requests by operation and status", async () => {
    await new Promise((r) => setTimeout(r, 2100)); // let the bucket refill
    const agent = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey });
    const variant = [...stack.shopify.shop(stack.urls.shop).products.values()].flatMap((p) => p.variants)[0];
    expect((await agent.create(shapes.create("2026-04-17", [{ id: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 }]))).status).toBeLessThan(500);

    expect((await fetch(`${stack.appUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.appUrl}/metrics`, { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    const res = await fetch(`${stack.appUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/acp_requests_total\{operation="retrieve",version="2026-04-17",status="404"\} [1-9]/);
    expect(text).toMatch(/acp_requests_total\{operation="retrieve",version="2026-04-17",status="429"\} [1-9]/);
    expect(text).toMatch(/acp_rate_limited_total [1-9]/);
    expect(text).toMatch(/shopify_query_cost_total [1-9]/);
    expect(text).toMatch(/outbox_pending \d+/);
    expect(text).toMatch(/catalog_oldest_sync_age_seconds \d/);
    expect(text).not.toContain(stack.urls.agentKey);
    expect(text).not.toContain(stack.urls.shop);
  });
});

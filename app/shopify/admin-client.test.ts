import { describe, expect, it } from "vitest";
import { AdminApiError, adminEndpoint, createAdminClient, isSafeToRetry, throttleWaitMs } from "./admin-client";

const cost = (available: number) => ({
  requestedQueryCost: 50,
  actualQueryCost: 50,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
});

/** A fetch at the network edge that answers with the given bodies in turn and records what it was sent. */
function scriptedFetch(bodies: Array<{ status?: number; json: unknown; headers?: Record<string, string> }>) {
  const sent: Array<{ url: string; headers: Headers; body: string }> = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
    const next = bodies.shift();
    if (!next) throw new TypeError("fetch failed");
    return new Response(JSON.stringify(next.json), { status: next.status ?? 200, headers: { "Content-Type": "application/json", ...next.headers } });
  }) as typeof fetch;
  return { fn, sent };
}

describe("Admin client", () => {
  it("builds the endpoint from the template", () => {
    expect(adminEndpoint("a.myshopify.com")).toBe("https://a.myshopify.com/admin/api/2026-10/graphql.json");
    expect(adminEndpoint("a.myshopify.com", "2026-10", "http://127.0.0.1:4100/shops/{shop}/admin/api/{version}/graphql.json")).toBe(
      "http://127.0.0.1:4100/shops/a.myshopify.com/admin/api/2026-10/graphql.json",
    );
  });

  it("sends the offline token and returns data", async () => {
    const { fn, sent } = scriptedFetch([{ json: { data: { shop: { name: "A" } }, extensions: { cost: cost(1950) } } }]);
    const client = createAdminClient({ shop: "a.myshopify.com", accessToken: "shpat_1", fetch: fn });
    await expect(client.request("query ShopName { shop { name } }")).resolves.toEqual({ shop: { name: "A" } });
    expect(sent[0].headers.get("x-shopify-access-token")).toBe("shpat_1");
    expect(client.stats).toMatchObject({ calls: 1, throttled: 0, actualCost: 50 });
  });

  it("waits for the bucket and retries a THROTTLED query", async () => {
    const throttled = { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: cost(10) } };
    const { fn } = scriptedFetch([{ json: throttled }, { json: { data: { ok: true }, extensions: { cost: cost(1900) } } }]);
    const waits: number[] = [];
    const client = createAdminClient({ shop: "a.myshopify.com", accessToken: "t", fetch: fn, sleep: async (ms) => void waits.push(ms) });
    await expect(client.request("query Q { shop { name } }")).resolves.toEqual({ ok: true });
    expect(waits).toEqual([400]); // (50 − 10) points at 100 points/s
    expect(client.stats.throttled).toBe(1);
  });

  it("gives up after the bounded number of throttle retries", async () => {
    const throttled = { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: cost(0) } };
    const { fn } = scriptedFetch([{ json: throttled }, { json: throttled }, { json: throttled }]);
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn, maxThrottleRetries: 2, sleep: async () => {} });
    await expect(client.request("query Q { shop { name } }")).rejects.toMatchObject({ kind: "throttled", retryable: true });
  });

  it("reports GraphQL errors and HTTP errors without retrying them", async () => {
    const { fn, sent } = scriptedFetch([{ json: { errors: [{ message: "Field 'naem' doesn't exist on type 'Shop'" }] } }, { status: 401, json: { errors: "[API] Invalid API key or access token" } }]);
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn });
    const first = await client.request("query Q { shop { naem } }").catch((e: AdminApiError) => e);
    expect(first).toBeInstanceOf(AdminApiError);
    expect((first as AdminApiError).kind).toBe("graphql");
    expect((first as AdminApiError).message).toContain("naem");
    const second = await client.request("query Q { shop { name } }").catch((e: AdminApiError) => e);
    expect((second as AdminApiError).kind).toBe("http");
    expect((second as AdminApiError).details.status).toBe(401);
    expect(sent).toHaveLength(2);
  });

  it("computes the throttle wait from the bucket state", () => {
    expect(throttleWaitMs(cost(0))).toBe(500);
    expect(throttleWaitMs(cost(2000))).toBe(100);
    expect(throttleWaitMs(undefined)).toBe(1000);
  });

  it("classifies documents: queries and read-only mutations are safe to repeat, orderCreate is not", () => {
    expect(isSafeToRetry("query Q { shop { name } }")).toBe(true);
    expect(isSafeToRetry("{ shop { name } }")).toBe(true);
    expect(isSafeToRetry("mutation CheckoutQuote($input: DraftOrderInput!) { draftOrderCalculate(input: $input) { userErrors { message } } }")).toBe(true);
    expect(isSafeToRetry("mutation AgentOrderCreate($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id } } }")).toBe(false);
    expect(isSafeToRetry("mutation M { draftOrderCalculate(input: {}) { userErrors { message } } orderCreate(order: {}) { order { id } } }")).toBe(false);
    expect(isSafeToRetry("mutation R { refundCreate(input: {}) { refund { id } } }", ["refundCreate"])).toBe(true);
    expect(isSafeToRetry("not graphql")).toBe(false);
  });

  it("retries a query after 5xx and a cut connection, with growing jittered backoff, then answers", async () => {
    const { fn, sent } = scriptedFetch([{ status: 503, json: { errors: "Service Unavailable" } }]);
    let calls = 0;
    const flaky = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1) return fn(input, init);
      if (calls === 2) throw new TypeError("fetch failed"); // connection cut
      return new Response(JSON.stringify({ data: { shop: { name: "A" } }, extensions: { cost: cost(1900) } }), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch;
    const waits: number[] = [];
    const retried: string[] = [];
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: flaky, random: () => 1, transientBackoffMs: 100, sleep: async (ms) => void waits.push(ms), onRetry: (op, e) => void retried.push(`${op}:${e.kind}`) });
    await expect(client.request("query ShopName { shop { name } }")).resolves.toEqual({ shop: { name: "A" } });
    expect(sent).toHaveLength(1);
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
    expect(retried).toEqual(["ShopName:http", "ShopName:network"]);
  });

  it("jitter keeps each backoff between half and all of its step", async () => {
    const { fn } = scriptedFetch([{ status: 500, json: {} }, { status: 502, json: {} }, { json: { data: { ok: 1 } } }]);
    const waits: number[] = [];
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn, random: () => 0, transientBackoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    await client.request("query Q { shop { name } }");
    expect(waits).toEqual([50, 100]);
  });

  it("gives up on a query after the bounded number of transient retries", async () => {
    const { fn, sent } = scriptedFetch([{ status: 500, json: {} }, { status: 500, json: {} }, { status: 500, json: {} }, { json: { data: {} } }]);
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn, maxTransientRetries: 2, sleep: async () => {} });
    await expect(client.request("query Q { shop { name } }")).rejects.toMatchObject({ kind: "http", details: { status: 500 } });
    expect(sent).toHaveLength(3);
  });

  it("retries draftOrderCalculate (read-only) but never orderCreate after a 5xx or a cut connection", async () => {
    const quote = scriptedFetch([{ status: 502, json: {} }, { json: { data: { draftOrderCalculate: { userErrors: [] } } } }]);
    const quoting = createAdminClient({ shop: "a", accessToken: "t", fetch: quote.fn, sleep: async () => {} });
    await expect(quoting.request("mutation CheckoutQuote { draftOrderCalculate(input: {}) { userErrors { message } } }")).resolves.toBeTruthy();
    expect(quote.sent).toHaveLength(2);

    const order = scriptedFetch([{ status: 503, json: {} }, { json: { data: { orderCreate: { order: { id: "1" } } } } }]);
    const ordering = createAdminClient({ shop: "a", accessToken: "t", fetch: order.fn, sleep: async () => {} });
    const mutation = "mutation AgentOrderCreate { orderCreate(order: {}) { order { id } } }";
    await expect(ordering.request(mutation)).rejects.toMatchObject({ kind: "http", retryable: true });
    expect(order.sent).toHaveLength(1);
    const cut = scriptedFetch([]); // every call: TypeError("fetch failed")
    await expect(createAdminClient({ shop: "a", accessToken: "t", fetch: cut.fn, sleep: async () => {} }).request(mutation)).rejects.toMatchObject({ kind: "network" });
    expect(cut.sent).toHaveLength(1);
  });

  it("a timeout is a transient error: retried for a query, bounded by the deadline of each call", async () => {
    let calls = 0;
    const slow = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1) {
        return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
      }
      return new Response(JSON.stringify({ data: { ok: true } }), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch;
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: slow, timeoutMs: 20, sleep: async () => {} });
    await expect(client.request("query Q { shop { name } }")).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it("HTTP 429 ran nothing: any document, orderCreate included, is sent again after a short Retry-After", async () => {
    const { fn, sent } = scriptedFetch([{ status: 429, json: { errors: "Too Many Requests" }, headers: { "Retry-After": "2" } }, { json: { data: { orderCreate: { order: { id: "1" } } } } }]);
    const waits: number[] = [];
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn, sleep: async (ms) => void waits.push(ms) });
    await expect(client.request("mutation AgentOrderCreate { orderCreate(order: {}) { order { id } } }")).resolves.toEqual({ orderCreate: { order: { id: "1" } } });
    expect(waits).toEqual([2000]);
    expect(sent).toHaveLength(2);
  });

  it("a 429 whose Retry-After is long (a development store's order limit) is the caller's: its errors and wait are kept", async () => {
    const limit = "Exceeded order API rate limit, please try again in a minute. Upgrade to a paid account to remove this limit.";
    const { fn, sent } = scriptedFetch([{ status: 429, json: { errors: limit }, headers: { "Retry-After": "60" } }]);
    const client = createAdminClient({ shop: "a", accessToken: "t", fetch: fn, sleep: async () => {} });
    const error = (await client.request("mutation AgentOrderCreate { orderCreate(order: {}) { order { id } } }").catch((e: AdminApiError) => e)) as AdminApiError;
    expect(error).toMatchObject({ kind: "http", tooManyRequests: true, retryable: true, details: { status: 429, errors: limit, retryAfterSeconds: 60 } });
    expect(sent).toHaveLength(1);
  });
});

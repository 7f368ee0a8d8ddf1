// The MCP endpoint in process, with a recording fake of the REST core and catalog, driven by the official SDK
// client through a fetch that calls handle(): how meta becomes headers, which path each tool takes, the binding's
// example shapes read leniently, and failures that must never leak an internal message.
import { describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createMcpEndpoint, type McpShop } from "../../app/mcp/server";
import type { ProductCatalog } from "../../app/mcp/products";
import { argumentPath } from "../../app/mcp/checkout-tools";
import { createAgentLimits, type AgentLimits } from "../../app/protection/agent-limits";
import { callError, expectNoInternals } from "./support";

const KEY = "acp_sk_unit_test_key_00000000000000";
const SHOP: McpShop = { id: "shop_1", name: "Demo Outfitters", currency: "usd", countryCode: "US" };
const SESSION = { id: "cs_1", status: "ready_for_payment", currency: "usd", line_items: [], totals: [{ type: "total", display_text: "Total", amount: 0 }] };

function harness(options: { acp?: (request: Request) => Promise<Response>; catalog?: Partial<ProductCatalog>; limits?: AgentLimits } = {}) {
  const requests: { method: string; path: string; headers: Record<string, string>; body: string }[] = [];
  const logs: unknown[] = [];
  const endpoint = createMcpEndpoint({
    authenticate: async (key) => (key === KEY ? SHOP : null),
    acp: async (request) => {
      requests.push({ method: request.method, path: new URL(request.url).pathname, headers: Object.fromEntries(request.headers), body: await request.clone().text() });
      return options.acp ? options.acp(request) : new Response(JSON.stringify(SESSION), { status: 200 });
    },
    catalog: { search: async () => ({ products: [], more: false }), product: async () => null, ...options.catalog },
    logger: { info: (fields) => logs.push(fields), error: (fields) => logs.push(fields) },
    limits: options.limits,
  });
  const connect = async () => {
    const client = new Client({ name: "unit", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL("http://app.test/mcp"), {
      requestInit: { headers: { Authorization: `Bearer ${KEY}` } },
      fetch: (url, init) => endpoint.handle(new Request(url, init)),
    }));
    return client;
  };
  return { requests, logs, connect, endpoint };
}

describe("checkout tools call the REST core", () => {
  it("maps meta to headers and each tool to its method and path under /acp", async () => {
    const h = harness();
    const client = await h.connect();
    const meta = { api_version: "2026-04-17", idempotency_key: "k-1", request_id: "req-1", accept_language: "fr-FR", user_agent: "AgentShop/1.0", signature: "sig", timestamp: "2026-11-26T10:00:00Z" };
    await client.callTool({ name: "create_checkout_session", arguments: { meta, payload: { currency: "usd", line_items: [{ id: "i" }], capabilities: {} } } });
    await client.callTool({ name: "get_checkout_session", arguments: { meta: { api_version: "2026-04-17" }, id: "cs_1" } });
    await client.callTool({ name: "update_checkout_session", arguments: { meta, id: "cs/1", payload: {} } });
    await client.callTool({ name: "complete_checkout_session", arguments: { meta, id: "cs_1", payload: { payment_data: {} } } });
    await client.callTool({ name: "cancel_checkout_session", arguments: { meta: { api_version: "2026-04-17" }, id: "cs_1" } });
    expect(h.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /acp/checkout_sessions",
      "GET /acp/checkout_sessions/cs_1",
      "POST /acp/checkout_sessions/cs%2F1",
      "POST /acp/checkout_sessions/cs_1/complete",
      "POST /acp/checkout_sessions/cs_1/cancel",
    ]);
    expect(h.requests[0].headers).toMatchObject({
      authorization: `Bearer ${KEY}`, "api-version": "2026-04-17", "idempotency-key": "k-1", "request-id": "req-1", "accept-language": "fr-FR",
      "user-agent": "AgentShop/1.0", signature: "sig", timestamp: "2026-11-26T10:00:00Z", "content-type": "application/json",
    });
    expect(JSON.parse(h.requests[0].body)).toEqual({ currency: "usd", line_items: [{ id: "i" }], capabilities: {} });
    expect(h.requests[1].headers["idempotency-key"]).toBeUndefined();
    expect(h.requests[1].body).toBe("");
    // The binding makes the key optional: a POST without one runs once under a key nobody else can present.
    expect(h.requests[4].headers["idempotency-key"]).toMatch(/^mcp-once-[0-9a-f-]{36}$/);
    expect(h.requests[4].body).toBe("");
    await client.close();
  });

  it("reads the binding examples' nested fulfillment selection and bare instrument token in the schema's shapes", async () => {
    const h = harness();
    const client = await h.connect();
    const meta = { api_version: "2026-04-17" };
    await client.callTool({ name: "update_checkout_session", arguments: { meta, id: "cs_1", payload: { selected_fulfillment_options: [{ type: "shipping", shipping: { option_id: "std", item_ids: ["i"] } }, { type: "shipping", option_id: "flat", item_ids: ["j"] }] } } });
    await client.callTool({ name: "complete_checkout_session", arguments: { meta, id: "cs_1", payload: { payment_data: { handler_id: "card_tokenized", instrument: { token: "spt_1" } } } } });
    expect(JSON.parse(h.requests[0].body).selected_fulfillment_options).toEqual([{ type: "shipping", option_id: "std", item_ids: ["i"] }, { type: "shipping", option_id: "flat", item_ids: ["j"] }]);
    expect(JSON.parse(h.requests[1].body).payment_data).toEqual({ handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token: "spt_1" } } });
    await client.close();
  });

  it("passes the core's flat Error through as -32000 data, with its param relative to the tool arguments", async () => {
    const h = harness({ acp: async () => new Response(JSON.stringify({ type: "invalid_request", code: "invalid_request", message: "$.line_items is required.", param: "$.line_items" }), { status: 400 }) });
    const client = await h.connect();
    const error = await callError(client, "create_checkout_session", { meta: { api_version: "2026-04-17" }, payload: {} });
    // The message names the same path as `param` (docs/decisions/0123).
    expect(error).toMatchObject({ code: -32000, data: { type: "invalid_request", code: "invalid_request", message: "$.payload.line_items is required.", param: "$.payload.line_items" } });
    expect([argumentPath("$.id"), argumentPath("$"), argumentPath("$.buyer.email")]).toEqual(["$.id", "$.payload", "$.payload.buyer.email"]);
    await client.close();
  });
});

describe("failures never leak internals", () => {
  it("a core that answers garbage or throws, and a catalog that throws, give the generic processing_error", async () => {
    const secret = "SQLITE_BUSY at /srv/app/db.ts:12:3 token=shpat_secret";
    let mode = 0;
    const h = harness({
      acp: async () => {
        mode += 1;
        if (mode === 1) return new Response(`<html>${secret}</html>`, { status: 502 });
        if (mode === 2) return new Response("not json", { status: 200 });
        throw new Error(secret);
      },
      catalog: { search: async () => { throw new TypeError(secret); } },
    });
    const client = await h.connect();
    const meta = { api_version: "2026-04-17" };
    for (const [name, args] of [["get_checkout_session", { meta, id: "cs_1" }], ["get_checkout_session", { meta, id: "cs_1" }], ["get_checkout_session", { meta, id: "cs_1" }]] as const) {
      const error = await callError(client, name, args);
      expect(error).toMatchObject({ code: -32000, data: { type: "processing_error", code: "internal_error" } });
      expect(JSON.stringify(error)).not.toContain("SQLITE");
      expectNoInternals(error);
    }
    // The app's own tools answer failures as a tool result with isError (docs/decisions/0123).
    const failed = await client.callTool({ name: "search_products", arguments: {} });
    expect(failed).toMatchObject({ isError: true, structuredContent: { error: { type: "processing_error", code: "internal_error" } } });
    expect(JSON.stringify(failed)).not.toContain("SQLITE");
    expectNoInternals(failed);
    expect(JSON.stringify(h.logs)).not.toMatch(/SQLITE|shpat|acp_sk_/);
    await client.close();
  });

  it("logs one line per tool call with the shop, tool, outcome and time, and no arguments", async () => {
    const h = harness();
    const client = await h.connect();
    await client.callTool({ name: "create_checkout_session", arguments: { meta: { api_version: "2026-04-17", idempotency_key: "k" }, payload: { buyer: { email: "ann@example.com" } } } });
    const line = h.logs.find((l) => (l as { tool?: string }).tool === "create_checkout_session");
    expect(Object.keys(line as object).sort()).toEqual(["ms", "outcome", "shopId", "tool"]);
    expect(JSON.stringify(h.logs)).not.toContain("ann@example.com");
    await client.close();
  });
});

describe("rate limit", () => {
  const slow = { capacity: 3, refillPerSecond: 0.001 };
  const limits = () => createAgentLimits({ name: "mcp", perKey: slow, perShop: { capacity: 100, refillPerSecond: 100 }, perAddress: slow });
  const post = (h: ReturnType<typeof harness>, headers: Record<string, string>, clientAddress = "203.0.113.7") =>
    h.endpoint.handle(
      new Request("http://app.test/mcp", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
      }),
      { clientAddress },
    );

  it("answers 429 with Retry-After and the binding's error once a key's bucket is empty", async () => {
    const h = harness({ limits: limits() });
    for (let i = 0; i < 3; i++) expect((await post(h, { Authorization: `Bearer ${KEY}` })).status).toBe(200);
    // The same key spelled differently is the same caller.
    const limited = await post(h, { Authorization: `bearer   ${KEY}  ` });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error).toMatchObject({ code: -32000, data: { type: "invalid_request", code: "rate_limited" } });
  });

  it("spends the shop's budget across its keys once the key is resolved", async () => {
    const h = harness({ limits: createAgentLimits({ name: "mcp", perKey: { capacity: 100, refillPerSecond: 100 }, perShop: slow, perAddress: slow }) });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(h, { Authorization: `Bearer ${KEY}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("limits keyless and key-guessing traffic by the socket address, whatever X-Forwarded-For says", async () => {
    const h = harness({ limits: limits() });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await post(h, { Authorization: `Bearer guess_${i}_0000000000`, "X-Forwarded-For": `198.51.100.${i}` })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    // Another address has its own budget; the real key is never refused for its address.
    expect((await post(h, {}, "203.0.113.8")).status).toBe(401);
    expect((await post(h, { Authorization: `Bearer ${KEY}` })).status).toBe(200);
  });
});

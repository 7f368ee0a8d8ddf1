// Attack: the MCP endpoint from a hostile browser page (DNS rebinding: a foreign Origin or Host) and with calls a
// careless client sends (an unknown tool, a malformed tools/call, bad discovery arguments). Per the MCP Streamable
// HTTP transport spec a present, foreign Origin gets 403; errors are the protocol's own: -32602 for bad params,
// tool results with isError for the app's own tools, the ACP binding's -32000 for checkout tools; every message
// names the path that data.param names, and none is a validator dump (issue 12, item 10). Real SQLite, the real
// REST core and the real MCP endpoint composition, in process.
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON-RPC bodies are read as JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { composeMcp } from "../../app/mcp/compose.server";
import { mcpAccessRules } from "../../app/mcp/access";
import { harness } from "../acp/harness";

const APP = "https://shop-agent.example.com";
let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let endpoint: ReturnType<typeof composeMcp>;
let coreCalls = 0;

beforeAll(async () => {
  h = await harness();
  ({ key } = await h.addShop());
  const rules = mcpAccessRules(APP, {});
  endpoint = composeMcp({ db: h.db, acp: { handle: (r) => ((coreCalls += 1), h.acp.handler(r)), keys: h.acp.keys }, access: rules });
});
afterAll(() => h.close());

function post(body: unknown, headers: Record<string, string> = {}) {
  return endpoint.handle(
    new Request(`${APP}/mcp`, {
      method: "POST",
      headers: { Host: new URL(APP).host, Authorization: `Bearer ${key}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify(body),
    }),
  );
}
const list = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

async function connect(): Promise<Client> {
  const client = new Client({ name: "attack", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${APP}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}`, Host: new URL(APP).host } }, fetch: (url, init) => endpoint.handle(new Request(url, init)) }));
  return client;
}

/** No zod/ajv dump, no stack: a sentence an agent can act on. */
function expectCleanMessage(message: string): void {
  expect(message).not.toMatch(/invalid_type|"code":|expected.*received|ZodError|\n|at .+:\d+:\d+/i);
  expect(message.length).toBeLessThan(300);
}

describe("DNS rebinding: Origin and Host", () => {
  it("a present, foreign Origin gets 403 before anything runs", async () => {
    const before = coreCalls;
    for (const origin of ["https://evil.example", "http://shop-agent.example.com", "https://shop-agent.example.com.evil.example", "null"]) {
      const res = await post({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_checkout_session", arguments: { meta: { api_version: "2026-04-17" }, id: "cs_x" } } }, { Origin: origin });
      expect(res.status, origin).toBe(403);
      const body: any = await res.json();
      expect(body.jsonrpc).toBe("2.0");
      expect(body.error.code).toBe(-32000);
    }
    expect(coreCalls).toBe(before);
  });

  it("a foreign Host gets 403", async () => {
    for (const host of ["evil.example", "127.0.0.1:3000", "shop-agent.example.com.evil.example"]) {
      const res = await post(list, { Host: host });
      expect(res.status, host).toBe(403);
    }
  });

  it("the app's own origin, ChatGPT's, and no Origin at all are served", async () => {
    for (const headers of [{}, { Origin: APP }, { Origin: "https://chatgpt.com" }] as Record<string, string>[]) {
      const res = await post(list, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(((await res.json()) as any).result.tools.length).toBeGreaterThan(0);
    }
  });

  it("allowed origins and hosts are configurable (MCP_ALLOWED_ORIGINS, MCP_ALLOWED_HOSTS)", () => {
    const rules = mcpAccessRules(APP, { MCP_ALLOWED_ORIGINS: "https://partner.example, https://agent.example:8443", MCP_ALLOWED_HOSTS: "internal-lb:8080" });
    expect(rules.allowedOrigins).toEqual([APP, "https://partner.example", "https://agent.example:8443"]);
    expect(rules.allowedHosts).toEqual(["shop-agent.example.com", "internal-lb:8080"]);
    const local = mcpAccessRules("http://127.0.0.1:3000", {});
    expect(local.allowedHosts).toEqual(expect.arrayContaining(["127.0.0.1:3000", "localhost:3000", "[::1]:3000"]));
    expect(() => mcpAccessRules(APP, { MCP_ALLOWED_ORIGINS: "not a url" })).toThrow(/MCP_ALLOWED_ORIGINS/);
  });
});

describe("errors in the protocol's own forms", () => {
  it("errors of the app's own tools are tool results with isError, naming data.param in the message", async () => {
    const client = await connect();
    const cases: [string, Record<string, unknown>, string][] = [
      ["get_product", { id: "gid://shopify/Product/404" }, "$.id"],
      ["get_product", {}, "$.id"],
      ["search_products", { limit: 500 }, "$.limit"],
      ["search_products", { availability: ["sold_by_magic"] }, "$.availability[0]"],
      ["search_products", { cursor: "forged" }, "$.cursor"],
      ["search_products", { min_price: 900, max_price: 100 }, "$.min_price"],
    ];
    for (const [name, args, param] of cases) {
      const result = (await client.callTool({ name, arguments: args })) as any;
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(result.structuredContent.error).toMatchObject({ type: "invalid_request", param });
      expect(result.content[0].text).toContain(param);
      expect(result.structuredContent.error.message.startsWith(param)).toBe(true);
      expectCleanMessage(result.content[0].text);
    }
    await client.close();
  });

  it("an unknown tool is JSON-RPC -32602 naming $.name", async () => {
    const client = await connect();
    const error = await client.callTool({ name: "drop_tables", arguments: {} }).then(() => null, (e) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error.code).toBe(-32602);
    expect(error.data).toMatchObject({ type: "invalid_request", code: "unknown_tool", param: "$.name" });
    expect(error.message).toContain("$.name");
    await client.close();
  });

  it.each<[string, unknown, string]>([
    ["no params", undefined, "$"],
    ["no name", { arguments: {} }, "$.name"],
    ["a numeric name", { name: 42, arguments: {} }, "$.name"],
    ["arguments that are not an object", { name: "get_product", arguments: "id=1" }, "$.arguments"],
    ["arguments that are an array", { name: "search_products", arguments: [1, 2] }, "$.arguments"],
  ])("a malformed tools/call (%s) is -32602 with a clean message naming data.param", async (_label, params, param) => {
    const res = await post({ jsonrpc: "2.0", id: 9, method: "tools/call", ...(params === undefined ? {} : { params }) });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.id).toBe(9);
    expect(body.error.code).toBe(-32602);
    expect(body.error.data).toMatchObject({ type: "invalid_request", param });
    expect(body.error.message.startsWith(param)).toBe(true);
    expectCleanMessage(body.error.message);
  });

  it("a tools/call whose params break the JSON-RPC envelope itself (a _meta that is not an object) is refused by the transport, cleanly, never -32603", async () => {
    const res = await post({ jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "search_products", arguments: {}, _meta: 7 } });
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.error.code).not.toBe(-32603);
    expectCleanMessage(body.error.message);
  });

  it("checkout tools keep the ACP binding's -32000, and the message names the path data.param names", async () => {
    const client = await connect();
    const error = await client.callTool({ name: "create_checkout_session", arguments: { meta: { api_version: "2026-04-17" }, payload: { line_items: [{ id: "x" }], capabilities: {} } } }).then(() => null, (e) => e);
    expect(error.code).toBe(-32000);
    expect(error.data.param).toBe("$.payload.currency");
    expect(error.data.message.startsWith("$.payload.currency")).toBe(true);
    const noMeta = await client.callTool({ name: "get_checkout_session", arguments: { id: "cs_1" } }).then(() => null, (e) => e);
    expect(noMeta.code).toBe(-32000);
    expect(noMeta.data.param).toBe("$.meta");
    expect(noMeta.data.message.startsWith("$.meta")).toBe(true);
    await client.close();
  });
});

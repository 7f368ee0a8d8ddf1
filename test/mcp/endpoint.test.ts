// The MCP endpoint against the running demo app, driven by the official MCP SDK client: the tool list, product
// discovery from the synced catalog, the binding's checkout tools end to end to a Shopify order, the official MCP
// examples, idempotency shared with REST, and errors in the binding's format.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { PrismaClient } from "@prisma/client";
import type { DemoStack } from "../../scripts/demo/stack";
import { createDb } from "../../app/db/client.server";
import { validatorFor } from "../../app/acp/schemas";
import { createAgentClient, shapes } from "../../sim/agent/client";
import examples from "../../spec/acp/2026-04-17/examples/examples.mcp.agentic_checkout.json";
import { address, buyer, callError, connect, expectNoInternals, mcpUrl, startStack, stockedItem } from "./support";

let stack: DemoStack;
let db: PrismaClient;
let client: Client;
let item: ReturnType<typeof stockedItem>;

beforeAll(async () => {
  stack = await startStack("endpoint");
  db = createDb(stack.databaseUrl);
  client = await connect(stack);
  item = stockedItem(stack);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await db?.$disconnect();
  await stack?.stop();
});

const V = "2026-04-17";
let keyCounter = 0;
const key = () => `mcp-test-${Date.now()}-${++keyCounter}`;
const meta = (extra: Record<string, unknown> = {}) => ({ api_version: V, idempotency_key: key(), ...extra });

function expectSchemaValid(name: "CheckoutSession" | "CheckoutSessionWithOrder", session: unknown): void {
  const validate = validatorFor(V, name)!;
  expect(validate(session), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
}

async function call(name: string, args: Record<string, unknown>): Promise<any> {
  const result = (await client.callTool({ name, arguments: args })) as { structuredContent?: any; content: any[]; isError?: boolean; _meta?: any };
  expect(result.isError).toBeFalsy();
  expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
  return result;
}

const adminCalls = () => stack.shopify.calls.filter((c) => c.shop === stack.urls.shop).length;
const ordersFor = (sessionId: string) => stack.shopify.orders(stack.urls.shop).filter((o) => o.sourceIdentifier === sessionId);

async function readySession(quantity = 1): Promise<any> {
  const created = await call("create_checkout_session", { meta: meta(), payload: { ...shapes.create(V, [{ id: item.itemId, quantity }], buyer), fulfillment_details: { name: address.name, email: buyer.email, address } } });
  expect(created.structuredContent.status).toBe("ready_for_payment");
  return created.structuredContent;
}

function token(maxAmount: number): string {
  return stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount }).id;
}
const totalOf = (session: any) => session.totals.find((t: any) => t.type === "total").amount as number;

describe("tools and resources", () => {
  it("lists the binding's five checkout tools and two discovery tools, each linked to a widget in both flavours", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ["cancel_checkout_session", "complete_checkout_session", "create_checkout_session", "get_checkout_session", "get_product", "search_products", "update_checkout_session"],
    );
    const create = tools.find((t) => t.name === "create_checkout_session")!;
    expect(create.inputSchema.required).toEqual(["meta", "payload"]);
    expect((create.inputSchema.properties as any).meta.required).toEqual(["api_version"]);
    expect((create.inputSchema as any).$defs.CheckoutSessionCreateRequest.required).toEqual(expect.arrayContaining(["line_items", "currency", "capabilities"]));
    expect(tools.find((t) => t.name === "get_checkout_session")!.inputSchema.required).toEqual(["meta", "id"]);
    expect(tools.find((t) => t.name === "cancel_checkout_session")!.inputSchema.required).toEqual(["meta", "id"]);

    const { resources } = await client.listResources();
    for (const tool of tools) {
      const skybridge = resources.find((r) => r.uri === tool._meta?.["openai/outputTemplate"]);
      const mcpApp = resources.find((r) => r.uri === (tool._meta?.ui as { resourceUri: string }).resourceUri);
      expect(skybridge?.mimeType, tool.name).toBe("text/html+skybridge");
      expect(mcpApp?.mimeType, tool.name).toBe("text/html;profile=mcp-app");
      expect(mcpApp!.uri.startsWith("ui://")).toBe(true);
    }
    expect(resources).toHaveLength(4);
    for (const resource of resources) {
      const { contents } = await client.readResource({ uri: resource.uri });
      const html = (contents[0] as { text: string }).text;
      expect(contents[0].mimeType).toBe(resource.mimeType);
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|https?:\/\/(?!json-schema)/i); // no external scripts or styles
    }
  });

  it("answers 401 without a valid agent key, and 405 to GET (stateless, JSON responses)", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    for (const authorization of [undefined, "Bearer acp_sk_not_a_real_key_at_all_000000"]) {
      const response = await fetch(mcpUrl(stack), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...(authorization ? { Authorization: authorization } : {}) },
        body: JSON.stringify(init),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = await response.json();
      expect(body.error).toMatchObject({ code: -32000, data: { type: "invalid_request", code: "unauthorized" } });
    }
    const get = await fetch(mcpUrl(stack), { headers: { Authorization: `Bearer ${stack.urls.agentKey}`, Accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    await expect(connect(stack, "acp_sk_wrong_key_0000000000000000000000")).rejects.toThrow();
  });

  it("takes the agent key from the path (/mcp/<key>) for hosts that cannot send a header", async () => {
    const viaPath = new Client({ name: "no-header-host", version: "1.0.0" });
    await viaPath.connect(new StreamableHTTPClientTransport(new URL(`${mcpUrl(stack)}/${stack.urls.agentKey}`)));
    expect((await viaPath.listTools()).tools).toHaveLength(7);
    const session = (await viaPath.callTool({ name: "create_checkout_session", arguments: { meta: meta(), payload: shapes.create(V, [{ id: item.itemId, quantity: 1 }]) } })) as any;
    expect(session.structuredContent.status).toBe("not_ready_for_payment");
    await viaPath.close();
    const wrong = await fetch(`${mcpUrl(stack)}/acp_sk_wrong_key_0000000000000000000000`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" });
    expect(wrong.status).toBe(401);
  });
});

describe("product discovery from the synced catalog", () => {
  it("searches by text with price and availability filters, pages without overlap, and makes no Admin call", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: stack.urls.shop } });
    const eligible = await db.catalogItem.findMany({ where: { shopId: shop.id, eligible: true, deletedAt: null } });
    const eligibleIds = new Set(eligible.map((r) => r.variantId));
    const before = adminCalls();

    const word = item.productTitle.split(/\s+/).find((w) => w.length > 3) ?? item.productTitle;
    const found = (await call("search_products", { query: word.toUpperCase() })).structuredContent;
    expect(found.currency).toBe("usd");
    const product = found.products.find((p: any) => p.variants.some((v: any) => v.item_id === item.itemId));
    expect(product, `"${word}" finds ${item.productTitle}`).toBeDefined();
    expect(product.title).toBe(item.productTitle);
    expect(product.variants.find((v: any) => v.item_id === item.itemId).price).toBe(eligible.find((r) => r.variantId === item.itemId)!.priceMinor);

    // Every page: only eligible variants of this shop; the pages together cover every eligible product once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await call("search_products", { limit: 7, ...(cursor ? { cursor } : {}) })).structuredContent;
      expect(page.products.length).toBeLessThanOrEqual(7);
      for (const p of page.products) {
        seen.push(p.id);
        for (const v of p.variants) expect(eligibleIds.has(v.item_id)).toBe(true);
        expect(p.price_range.min).toBeLessThanOrEqual(p.price_range.max);
      }
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(eligible.map((r) => r.productId)));

    const cheap = (await call("search_products", { max_price: 3000, min_price: 1000, limit: 20 })).structuredContent;
    expect(cheap.products.length).toBeGreaterThan(0);
    for (const p of cheap.products) for (const v of p.variants) expect(v.price >= 1000 && v.price <= 3000).toBe(true);

    const inStock = (await call("search_products", { availability: ["in_stock"], limit: 20 })).structuredContent;
    for (const p of inStock.products) for (const v of p.variants) expect(v.availability).toBe("in_stock");

    expect((await call("search_products", { query: "zzqx-no-such-thing" })).structuredContent.products).toEqual([]);
    expect(adminCalls()).toBe(before);
  });

  it("gets a product with its variants by product id or item id; an unknown id is a -32000 error", async () => {
    const byItem = (await call("get_product", { id: item.itemId })).structuredContent.product;
    expect(byItem.variants.map((v: any) => v.item_id)).toContain(item.itemId);
    const byProduct = (await call("get_product", { id: byItem.id })).structuredContent.product;
    expect(byProduct).toEqual(byItem);
    expect(byItem.variant_count).toBe(byItem.variants.length);
    for (const v of byItem.variants) expect(Number.isInteger(v.price)).toBe(true);

    // The app's own tools answer errors as tool results with isError (docs/decisions/0123).
    const missing = await client.callTool({ name: "get_product", arguments: { id: "gid://shopify/Product/999999999" } });
    expect(missing).toMatchObject({ isError: true, structuredContent: { error: { type: "invalid_request", code: "product_not_found", param: "$.id" } } });
    const invalid = await client.callTool({ name: "search_products", arguments: { limit: 500 } });
    expect(invalid).toMatchObject({ isError: true, structuredContent: { error: { type: "invalid_request", param: "$.limit" } } });
  });
});

describe("checkout over the binding", () => {
  it("runs create → update → get → complete to a Shopify order, every result a valid CheckoutSession", async () => {
    const created = await call("create_checkout_session", { meta: meta({ accept_language: "en-US" }), payload: shapes.create(V, [{ id: item.itemId, quantity: 2 }], buyer) });
    const id = created.structuredContent.id;
    expectSchemaValid("CheckoutSession", created.structuredContent);
    expect(created.structuredContent.status).toBe("not_ready_for_payment");
    expect(created._meta["acp/display"]).toMatchObject({ currency: "usd", locale: "en-US", exponent: 2 });

    const addressed = await call("update_checkout_session", { meta: meta(), id, payload: shapes.address(V, address, buyer.email) });
    expectSchemaValid("CheckoutSession", addressed.structuredContent);
    expect(addressed.structuredContent.status).toBe("ready_for_payment");
    const options = addressed.structuredContent.fulfillment_options;
    const chosen = options[options.length - 1].id;
    const optioned = await call("update_checkout_session", { meta: meta(), id, payload: shapes.option(V, chosen, [item.itemId]) });
    expect(optioned.structuredContent.selected_fulfillment_options[0].option_id).toBe(chosen);

    const got = await call("get_checkout_session", { meta: { api_version: V }, id });
    expectSchemaValid("CheckoutSession", got.structuredContent);
    expect(got.structuredContent.totals).toEqual(optioned.structuredContent.totals);

    const completed = await call("complete_checkout_session", { meta: meta(), id, payload: shapes.complete(V, token(totalOf(got.structuredContent))) });
    expectSchemaValid("CheckoutSessionWithOrder", completed.structuredContent);
    expect(completed.structuredContent.status).toBe("completed");
    expect(completed.structuredContent.order.checkout_session_id).toBe(id);
    const orders = ordersFor(id);
    expect(orders).toHaveLength(1);
    expect(orders[0].lineItems.map((l: any) => l.quantity)).toEqual([2]);
  });

  it("serves api_version 2025-09-29 through the same tools, in that version's shapes", async () => {
    const old = "2025-09-29" as const;
    const created = await call("create_checkout_session", { meta: { api_version: old, idempotency_key: key() }, payload: shapes.create(old, [{ id: item.itemId, quantity: 1 }], buyer) });
    const validate = validatorFor(old, "CheckoutSession")!;
    expect(validate(created.structuredContent), JSON.stringify(validate.errors?.slice(0, 2))).toBe(true);
    const addressed = await call("update_checkout_session", { meta: { api_version: old, idempotency_key: key() }, id: created.structuredContent.id, payload: shapes.address(old, address) });
    expect(validate(addressed.structuredContent)).toBe(true);
    expect(addressed.structuredContent.fulfillment_option_id).toBeTruthy();
  });

  it("cancels with an intent trace; a second cancel is a -32000 error with the ACP Error", async () => {
    const session = await readySession();
    const canceled = await call("cancel_checkout_session", { meta: meta(), id: session.id, payload: { intent_trace: { reason_code: "shipping_cost", trace_summary: "Too dear" } } });
    expectSchemaValid("CheckoutSession", canceled.structuredContent);
    expect(canceled.structuredContent.status).toBe("canceled");
    const again = await callError(client, "cancel_checkout_session", { meta: meta(), id: session.id });
    expect(again).toMatchObject({ code: -32000, data: { type: "invalid_request" } });
    expect(again.message).toBe(`MCP error -32000: ${again.data.message}`); // the SDK client's prefix on the JSON-RPC message
  });

  it("sends the official MCP examples' requests (ids swapped for real ones) and every result validates", async () => {
    const ex = examples as any;
    const args = (name: string) => structuredClone(ex[`${name}_checkout_session_request`].params.arguments);
    const fresh = (a: any) => ({ ...a, meta: { ...a.meta, ...(a.meta.idempotency_key ? { idempotency_key: key() } : {}) } });

    const createArgs = fresh(args("create"));
    createArgs.payload.line_items = [{ id: item.itemId }];
    const created = (await call(ex.create_checkout_session_request.params.name, createArgs)).structuredContent;
    expectSchemaValid("CheckoutSession", created);
    expect(created.status).toBe("ready_for_payment");

    const getArgs = args("get");
    getArgs.id = created.id;
    expectSchemaValid("CheckoutSession", (await call("get_checkout_session", getArgs)).structuredContent);

    // The example's nested `{type, shipping:{option_id, item_ids}}` selection, read leniently (decision 0092).
    const updateArgs = args("update");
    updateArgs.id = created.id;
    const option = created.fulfillment_options[created.fulfillment_options.length - 1];
    updateArgs.payload.selected_fulfillment_options[0].shipping = { option_id: option.id, item_ids: [item.itemId] };
    const updated = (await call("update_checkout_session", updateArgs)).structuredContent;
    expectSchemaValid("CheckoutSession", updated);
    expect(updated.selected_fulfillment_options[0].option_id).toBe(option.id);

    // The example's bare `instrument: {token}`, read as a card SPT.
    const completeArgs = fresh(args("complete"));
    completeArgs.id = created.id;
    completeArgs.payload.payment_data.instrument.token = token(totalOf(updated));
    const completed = (await call("complete_checkout_session", completeArgs)).structuredContent;
    expectSchemaValid("CheckoutSessionWithOrder", completed);
    expect(completed.status).toBe("completed");
    expect(ordersFor(created.id)).toHaveLength(1);

    const other = (await call("create_checkout_session", { ...fresh(args("create")), payload: { ...args("create").payload, line_items: [{ id: item.itemId }] } })).structuredContent;
    const cancelArgs = args("cancel");
    cancelArgs.id = other.id;
    const canceled = (await call("cancel_checkout_session", cancelArgs)).structuredContent;
    expectSchemaValid("CheckoutSession", canceled);
    expect(canceled.status).toBe("canceled");

    // error_invalid_request: a create without currency.
    const noCurrency = fresh(args("create"));
    noCurrency.payload.line_items = [{ id: item.itemId }];
    delete noCurrency.payload.currency;
    const error = await callError(client, "create_checkout_session", noCurrency);
    expect(error.code).toBe(ex.error_invalid_request.error.code);
    expect(error.data).toMatchObject({ type: "invalid_request", param: "$.payload.currency" });
    expect(validatorFor(V, "Error")!(error.data)).toBe(true);
  });
});

describe("idempotency shared with REST", () => {
  it("the same key and body through REST then MCP is one session; a different body is idempotency_conflict", async () => {
    const rest = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version: V });
    const body = shapes.create(V, [{ id: item.itemId, quantity: 1 }], buyer);
    const k = key();
    const viaRest = await rest.create(body, k);
    expect(viaRest.status).toBe(201);
    const count = await db.checkoutSession.count();
    const viaMcp = (await call("create_checkout_session", { meta: { api_version: V, idempotency_key: k }, payload: body })).structuredContent;
    expect(viaMcp).toEqual(viaRest.body);
    expect(await db.checkoutSession.count()).toBe(count);

    const conflict = await callError(client, "create_checkout_session", { meta: { api_version: V, idempotency_key: k }, payload: { ...body, line_items: [{ id: item.itemId, quantity: 3 }] } });
    expect(conflict).toMatchObject({ code: -32000, data: { type: "invalid_request", code: "idempotency_conflict" } });
  });

  it("complete through MCP then the same key through REST replays: one charge, one order", async () => {
    const session = await readySession();
    const rest = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version: V });
    const payload = shapes.complete(V, token(totalOf(session)));
    const k = key();
    const viaMcp = (await call("complete_checkout_session", { meta: { api_version: V, idempotency_key: k }, id: session.id, payload })).structuredContent;
    expect(viaMcp.status).toBe("completed");
    const viaRest = await rest.complete(session.id, payload, k);
    expect(viaRest.status).toBe(200);
    expect(viaRest.headers.get("idempotent-replayed")).toBe("true");
    expect(viaRest.body).toEqual(viaMcp);
    const again = (await call("complete_checkout_session", { meta: { api_version: V, idempotency_key: k }, id: session.id, payload })).structuredContent;
    expect(again).toEqual(viaMcp);
    expect(ordersFor(session.id)).toHaveLength(1);
  });
});

describe("errors in the binding's format", () => {
  it("maps protocol errors to -32000 with the ACP Error in data, never a stack trace", async () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ["get_checkout_session", { meta: { api_version: V }, id: "cs_does_not_exist" }, { type: "invalid_request", code: "not_found" }],
      ["get_checkout_session", { meta: { api_version: "1999-01-01" }, id: "cs_x" }, { type: "invalid_request", code: "unsupported_api_version", supported_versions: ["2026-04-17", "2025-09-29"] }],
      ["create_checkout_session", { meta: {}, payload: shapes.create(V, [{ id: item.itemId, quantity: 1 }]) }, { type: "invalid_request", code: "missing_api_version" }],
      ["create_checkout_session", { meta: meta(), payload: shapes.create(V, [{ id: "gid://shopify/ProductVariant/1", quantity: 1 }]) }, { type: "invalid_request", code: "invalid_item_id" }],
      ["create_checkout_session", { meta: meta(), payload: { ...shapes.create(V, [{ id: item.itemId, quantity: 1 }]), bogus: 1 } }, { type: "invalid_request", param: "$.payload.bogus" }],
      ["update_checkout_session", { meta: meta(), payload: {} }, { type: "invalid_request", param: "$.id" }],
      ["create_checkout_session", { payload: {} }, { type: "invalid_request", param: "$.meta" }],
    ];
    // An unknown tool is JSON-RPC's own "invalid params" (docs/decisions/0123).
    const unknown = await callError(client, "no_such_tool", {});
    expect(unknown).toMatchObject({ code: -32602, data: { type: "invalid_request", code: "unknown_tool", param: "$.name" } });
    for (const [name, args, data] of cases) {
      const error = await callError(client, name, args);
      expect(error.code, name).toBe(-32000);
      expect(error.data, `${name} ${JSON.stringify(args.meta)}`).toMatchObject(data);
      expect(validatorFor(V, "Error")!(error.data), JSON.stringify(error.data)).toBe(true);
      expectNoInternals(error);
    }
  });

  it("puts the ACP Error in the JSON-RPC error exactly as the binding's example does", async () => {
    const response = await fetch(mcpUrl(stack), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", Authorization: `Bearer ${stack.urls.agentKey}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 6, method: "tools/call", params: { name: "create_checkout_session", arguments: { meta: meta(), payload: { line_items: [{ id: item.itemId }], capabilities: {} } } } }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(["error", "id", "jsonrpc"]);
    expect(body.id).toBe(6);
    expect(body.error).toEqual({ code: -32000, message: body.error.data.message, data: { type: "invalid_request", code: "invalid_request", message: body.error.data.message, param: "$.payload.currency" } });
  });

  it("keeps business problems in the session: out of stock is a 2xx session with a message", async () => {
    const result = await call("create_checkout_session", { meta: meta(), payload: shapes.create(V, [{ id: item.itemId, quantity: 9000 }]) });
    const session = result.structuredContent;
    expectSchemaValid("CheckoutSession", session);
    expect(session.status).toBe("not_ready_for_payment");
    expect(session.messages.some((m: any) => m.type === "error")).toBe(true);
  });
});

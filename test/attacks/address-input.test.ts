// Attack: client-supplied address values that Shopify would reject (a country that is not ISO 3166-1 alpha-2, an
// impossible state or postal code, over-long or non-text strings). Each must be a 4xx `invalid_request` naming the
// field in `param`, or a 200 session with an `invalid` message on the address; never a 5xx "safe to retry" (issue
// 12, item 10). Real SQLite, the real REST core and MCP endpoint, the Shopify stand-in executing the real Admin
// schema over HTTP. The fuzz draws its values from the Admin schema's own MailingAddressInput and CountryCode.
/* eslint-disable @typescript-eslint/no-explicit-any -- wire bodies are read as JSON */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { GraphQLEnumType, GraphQLInputObjectType, getNamedType } from "graphql";
import { completeWorld, address, buyer } from "../complete/world";
import { expectValidSession } from "../acp/assertions";
import { adminSchema } from "../support/admin-schema";
import { composeMcp } from "../../app/mcp/compose.server";
import { SHOPIFY_COUNTRY_CODES } from "../../app/shopify/country-codes";
import { createShopifyPricer } from "../../app/shopify/pricer";
import { createAdminClient } from "../../app/shopify/admin-client";
import type { AcpVersion } from "../../app/acp/versions";

let w: Awaited<ReturnType<typeof completeWorld>>;
let mcp: Client;
beforeAll(async () => {
  w = await completeWorld();
  const endpoint = composeMcp({ db: w.h.db, acp: { handle: w.h.acp.handler, keys: w.h.acp.keys } });
  mcp = new Client({ name: "attack", version: "1" });
  await mcp.connect(new StreamableHTTPClientTransport(new URL("http://app.test/mcp"), { requestInit: { headers: { Authorization: `Bearer ${w.key}` } }, fetch: (url, init) => endpoint.handle(new Request(url, init)) }));
}, 60_000);
afterAll(async () => {
  await mcp?.close();
  await w?.stop();
});

type WireAddress = Record<string, string>;
const V = "2026-04-17";

function createBody(version: AcpVersion, a: WireAddress) {
  return version === "2025-09-29"
    ? { items: [{ id: w.variantGid(), quantity: 1 }], buyer, fulfillment_address: a }
    : { currency: "usd", capabilities: {}, line_items: [{ id: w.variantGid(), quantity: 1 }], buyer, fulfillment_details: { name: a.name, email: buyer.email, address: a } };
}
const addressParam = (version: AcpVersion) => (version === "2025-09-29" ? "$.fulfillment_address" : "$.fulfillment_details.address");

interface Answer {
  transport: "rest" | "mcp";
  status: number; // HTTP status, or 200 for an MCP result
  error?: { type: string; code: string; message: string; param?: string };
  rpcCode?: number;
  session?: any;
  raw: string;
}

async function restCreate(version: AcpVersion, a: WireAddress): Promise<Answer> {
  const res = await w.h.acp.handler(
    new Request("https://app.example.com/acp/checkout_sessions", {
      method: "POST",
      headers: { Authorization: `Bearer ${w.key}`, "API-Version": version, "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
      body: JSON.stringify(createBody(version, a)),
    }),
  );
  const raw = await res.text();
  const json = JSON.parse(raw);
  return res.ok ? { transport: "rest", status: res.status, session: json, raw } : { transport: "rest", status: res.status, error: json, raw };
}

async function mcpCreate(a: WireAddress): Promise<Answer> {
  try {
    const result = (await mcp.callTool({ name: "create_checkout_session", arguments: { meta: { api_version: V, idempotency_key: crypto.randomUUID() }, payload: createBody(V, a) } })) as { structuredContent?: any; isError?: boolean; content: { text: string }[] };
    return { transport: "mcp", status: 200, session: result.structuredContent, raw: result.content[0]?.text ?? "" };
  } catch (error) {
    if (!(error instanceof McpError)) throw error;
    const data = error.data as Answer["error"];
    return { transport: "mcp", status: data?.type === "invalid_request" ? 400 : 500, rpcCode: error.code, error: data, raw: JSON.stringify({ code: error.code, message: error.message, data }) };
  }
}

/** REST param `$.fulfillment_details.address.country` is `$.payload.fulfillment_details.address.country` over MCP. */
const expectedParam = (answer: Answer, version: AcpVersion, field: string) => (answer.transport === "mcp" ? `$.payload${addressParam(version).slice(1)}.${field}` : `${addressParam(version)}.${field}`);

/** The invariant: a refusal naming an address field, or a session (with an `invalid` message if it is refused). */
function expectHandled(answer: Answer, version: AcpVersion): void {
  expect(answer.status, answer.raw).toBeLessThan(500);
  if (answer.rpcCode !== undefined) expect(answer.rpcCode, answer.raw).not.toBe(-32603);
  if (answer.error) {
    expect(answer.error.type, answer.raw).toBe("invalid_request");
    if (answer.error.code === "invalid_json") return; // a lone surrogate: the body itself is refused before any field is read
    expect(answer.error.param ?? "", answer.raw).toContain(addressParam(version).slice(2));
    return;
  }
  expectValidSession(version, answer.session);
  const problems = (answer.session.messages ?? []).filter((m: any) => m.type === "error" && (m.param ?? "").includes("address"));
  for (const m of problems) expect(["invalid", "region_restricted"]).toContain(m.code);
}

function expectRefused(answer: Answer, version: AcpVersion, field: string): void {
  expect(answer.status, answer.raw).toBe(400);
  if (answer.error?.code === "invalid_json") return expect(answer.error.type).toBe("invalid_request"); // refused as a body
  expect(answer.error, answer.raw).toMatchObject({ type: "invalid_request", param: expectedParam(answer, version, field) });
  expect(answer.error!.message).toMatch(new RegExp(field));
  if (answer.rpcCode !== undefined) expect(answer.rpcCode).toBe(-32000); // the ACP binding's error form
}

const ATTACKS: [string, Partial<WireAddress>, string][] = [
  ["a three-letter country (USA)", { country: "USA" }, "country"],
  ["a country name", { country: "United States" }, "country"],
  ["Unknown Region (ZZ)", { country: "ZZ" }, "country"],
  ["a numeric country", { country: "840" }, "country"],
  ["an empty country", { country: "" }, "country"],
  ["an impossible US state", { state: "XX" }, "state"],
  ["a US state name instead of its code", { state: "Texas" }, "state"],
  ["an impossible US ZIP", { postal_code: "ABCDE" }, "postal_code"],
  ["a ZIP with markup", { postal_code: "<script>" }, "postal_code"],
  ["an over-long name", { name: "A".repeat(256) }, "name"],
  ["an over-long street", { line_one: `${"1 Main St ".repeat(30)}` }, "line_one"],
  ["a NUL in the city", { city: "Aus\u0000tin" }, "city"],
  ["a lone surrogate in the name", { name: "Ann \ud800Lee" }, "name"],
  ["a Canadian postal code for a US address", { postal_code: "K1A 0B1" }, "postal_code"],
];

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("REST %s: values Shopify would reject are refused with param", (version) => {
  it.each(ATTACKS)("%s", async (_label, change, field) => {
    expectRefused(await restCreate(version, { ...address, ...change } as WireAddress), version, field);
  });
});

describe("MCP: the same values are refused with data.param, in the binding's -32000 form", () => {
  it.each(ATTACKS)("%s", async (_label, change, field) => {
    expectRefused(await mcpCreate({ ...address, ...change } as WireAddress), V, field);
  });
});

describe("values Shopify accepts still work", () => {
  it.each<[string, Partial<WireAddress>]>([
    ["a 255-character name", { name: `${"A".repeat(127)} ${"B".repeat(127)}` }],
    ["unicode names and streets", { name: "Zoë Ñúñez 李小龍", line_one: "Straße 1 — 東京", city: "São Paulo" }],
    ["a lower-case country and state", { country: "us", state: "tx" }],
    ["a ZIP+4", { postal_code: "78701-1234" }],
    ["a Canadian address", { country: "CA", state: "ON", city: "Ottawa", postal_code: "K1A 0B1" }],
    ["a country without zones or ZIP rules", { country: "DE", state: "", city: "Berlin", postal_code: "10115" }],
  ])("%s → 201", async (_label, change) => {
    const answer = await restCreate(V, { ...address, ...change } as WireAddress);
    expect(answer.status, answer.raw).toBe(201);
    expectValidSession(V, answer.session);
  });
});

it("a billing address Shopify would reject is refused before the charge", async () => {
  const session = await w.ready();
  const token = w.token(session.totals.find((t: any) => t.type === "total").amount);
  const body = w.paymentBody(V, token) as any;
  body.payment_data.billing_address = { ...address, country: "USA" };
  const res = await w.complete(session.id, body);
  expect(res.status, res.text).toBe(400);
  expect(res.json).toMatchObject({ type: "invalid_request", param: "$.payment_data.billing_address.country" });
  expect(w.chargesFor(session.id)).toHaveLength(0);
  const retry = await w.complete(session.id, w.paymentBody(V, token));
  expect(retry.json.status).toBe("completed");
});

it("the pricer answers Shopify's own refusal of an address (GraphQL input error) as an address problem, not a throw", async () => {
  const admin = createAdminClient({ shop: w.shop.domain, accessToken: w.shopify.accessToken(w.shop.domain), urlTemplate: w.shopify.adminUrlTemplate });
  const quote = await createShopifyPricer(admin).quote({
    currency: "usd",
    lines: [{ variantId: w.variantGid(), quantity: 1 }],
    address: { name: "Ann Lee", lineOne: "1 Main St", city: "Austin", state: "TX", country: "USA", postalCode: "78701" },
    discountCodes: [],
  });
  expect(quote.addressProblem).toBe("invalid");
  expect(quote.lines).toHaveLength(1);
});

it("a line Shopify refuses to price (archived after the session was made) is out_of_stock on a 2xx session, not a 500", async () => {
  const item = w.variantGid(3);
  const variantId = Number(item.split("/").pop());
  const product = [...w.shopify.shop(w.shop.domain).products.values()].find((p) => p.variants.some((v) => v.id === variantId))!;
  const other = w.variantGid(4);
  expect(product.variants.some((v) => `gid://shopify/ProductVariant/${v.id}` === other)).toBe(false);
  const send = async (path: string, body: unknown) => {
    const res = await w.h.acp.handler(
      new Request(`https://app.example.com/acp${path}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${w.key}`, "API-Version": V, "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: res.status, body: (await res.json()) as any };
  };
  const created = await send("/checkout_sessions", { currency: "usd", capabilities: {}, line_items: [{ id: item, quantity: 1 }, { id: other, quantity: 1 }], buyer, fulfillment_details: { name: address.name, email: buyer.email, address } });
  expect(created.status).toBe(201);
  product.status = "ARCHIVED"; // the session's lines are re-quoted without re-reading the catalog (0049); Shopify refuses this one
  try {
    const updated = await send(`/checkout_sessions/${created.body.id}`, { buyer: { ...buyer, first_name: "Annie" } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expectValidSession(V, updated.body);
    expect(updated.body.status).toBe("not_ready_for_payment");
    expect(updated.body.messages).toContainEqual(expect.objectContaining({ type: "error", code: "out_of_stock", param: "$.line_items[0].item.id" }));
    expect(updated.body.line_items[1].totals.find((t: any) => t.type === "total").amount).toBeGreaterThan(0);
  } finally {
    product.status = "ACTIVE";
  }
});

describe("the generated country list is the pinned Admin schema's CountryCode enum", () => {
  it("same codes, same order", () => {
    const type = adminSchema().getType("CountryCode") as GraphQLEnumType;
    expect([...SHOPIFY_COUNTRY_CODES]).toEqual(type.getValues().map((v) => v.name));
  });
});

// ───────────────────────── fuzz ─────────────────────────

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/** MailingAddressInput fields the app sends, and the ACP field each comes from. */
const FROM_ACP: Record<string, string> = { firstName: "name", lastName: "name", company: "company", address1: "line_one", address2: "line_two", city: "city", provinceCode: "state", countryCode: "country", zip: "postal_code" };

function valuesFor(typeName: string, r: () => number): string[] {
  if (typeName === "CountryCode") {
    const codes = (adminSchema().getType("CountryCode") as GraphQLEnumType).getValues().map((v) => v.name);
    return [pick(r, codes), pick(r, codes).toLowerCase(), `${pick(r, codes)}${pick(r, codes)}`, pick(r, codes).slice(0, 1), "ZZ", "UK", "EU", "ÜS", " US", "US ", "U$", "1", ""];
  }
  const chars = ["a", "Z", "9", " ", "-", "é", "ß", "李", "🛒", "\u202e", "\u0301", "'", '"', "\\", "<", "%", "\u0000", "\n", "\t", "\ud800"];
  const str = (n: number) => Array.from({ length: n }, () => pick(r, chars)).join("");
  return ["", " ", "x", "A".repeat(254), "A".repeat(255), "A".repeat(256), "🛒".repeat(255), "🛒".repeat(256), "x".repeat(5000), str(3), str(12), str(40), "TX", "tx", "78701", "99999-9999", "null", "undefined", "0", "-1", "{}", "%s%n"];
}

describe("fuzz: MailingAddressInput's own fields and types, through REST and MCP", () => {
  const input = adminSchema().getType("MailingAddressInput") as GraphQLInputObjectType;
  const r = rng(20261126);
  const cases: { field: string; value: string }[] = [];
  for (const [name, def] of Object.entries(input.getFields())) {
    const acpField = FROM_ACP[name];
    if (!acpField) continue; // deprecated `country`/`province`/`id`, and `phone`, which the app filters to E.164 itself
    for (const value of valuesFor(getNamedType(def.type).name, r)) cases.push({ field: acpField, value });
  }

  it("covers every field the app sends", () => {
    expect(new Set(cases.map((c) => c.field))).toEqual(new Set(Object.values(FROM_ACP)));
    expect(cases.length).toBeGreaterThan(100);
  });

  it.each(["rest-2026-04-17", "rest-2025-09-29", "mcp"] as const)("%s: never a 5xx or -32603; every refusal names an address field", async (via) => {
    const version: AcpVersion = via === "rest-2025-09-29" ? "2025-09-29" : V;
    if (version === "2025-09-29") cases.splice(0, cases.length, ...cases.filter((c) => c.field !== "company")); // 2025 has no company
    for (const { field, value } of cases) {
      const a = { ...address, [field]: value } as WireAddress;
      const answer = via === "mcp" ? await mcpCreate(a) : await restCreate(version, a);
      expectHandled(answer, version);
    }
  }, 120_000);
});

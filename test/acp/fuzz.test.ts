// Thousands of malformed requests: wrong types, missing fields, huge strings, deep nesting, invalid JSON,
// odd headers, unicode. Zero 5xx; every error is the spec's flat body; every 2xx is a valid session.
import { afterAll, beforeAll, expect, it } from "vitest";
import { BASE, harness, schemaErrors } from "./harness";
import { wireTotalsProblems } from "./assertions";

let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let sessionId: string;

beforeAll(async () => {
  h = await harness();
  ({ key } = await h.addShop());
  const res = await h.acp.handler(new Request(`${BASE}/checkout_sessions`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "API-Version": "2026-04-17", "Idempotency-Key": "seed", "Content-Type": "application/json" }, body: JSON.stringify({ currency: "usd", capabilities: {}, line_items: [{ id: "item_123" }] }) }));
  sessionId = ((await res.json()) as { id: string }).id;
});
afterAll(() => h.close());

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -0, "", " ", "x".repeat(10_000), "💳🛒", "\u0000", "<script>alert(1)</script>", "'; DROP TABLE", [], [[]], {}, { a: 1 }, "gid://shopify/ProductVariant/123", "item_123", 2 ** 53, "NaN", "\ud800"];
const STRINGS = ["usd", "USD", "eur", "", "💶", "u".repeat(300), "item_123", "item_oos", "ship_standard", "a@b.c", "not-an-email", "US", "ZZ", "\u202e"];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function deep(depth: number, r: () => number): unknown {
  let v: unknown = pick(r, WEIRD);
  for (let i = 0; i < depth; i++) v = r() < 0.5 ? [v] : { k: v };
  return v;
}

/** Replace, delete or corrupt one random field somewhere in a valid body. */
function mutate(body: unknown, r: () => number, depth = 0): unknown {
  if (Array.isArray(body)) {
    if (body.length === 0 || r() < 0.2) return r() < 0.5 ? [...body, pick(r, WEIRD)] : pick(r, WEIRD);
    const i = Math.floor(r() * body.length);
    return body.map((v, j) => (j === i ? mutate(v, r, depth + 1) : v));
  }
  if (body && typeof body === "object") {
    const entries = Object.entries(body);
    const roll = r();
    if (roll < 0.15 || entries.length === 0) return { ...body, [pick(r, ["extra", "line_items", "quantity", "__proto__", "constructor", "ü", "items", "buyer"])]: pick(r, WEIRD) };
    const [k, v] = entries[Math.floor(r() * entries.length)];
    if (roll < 0.3) return Object.fromEntries(entries.filter(([x]) => x !== k));
    if (roll < 0.55) return { ...body, [k]: r() < 0.5 ? pick(r, WEIRD) : pick(r, STRINGS) };
    if (roll < 0.6) return { ...body, [k]: deep(20 + Math.floor(r() * 60), r) };
    return { ...body, [k]: mutate(v, r, depth + 1) };
  }
  return r() < 0.5 ? pick(r, WEIRD) : pick(r, STRINGS);
}

const VALID_2026: unknown[] = [
  { currency: "usd", capabilities: { interventions: { supported: ["3ds"] } }, line_items: [{ id: "item_123", quantity: 2 }, { item: { id: "item_456" }, quantity: 1 }], buyer: { email: "a@example.com", first_name: "A" }, fulfillment_details: { name: "A B", email: "a@example.com", address: { name: "A B", line_one: "1 Main", city: "Austin", state: "TX", country: "US", postal_code: "78701" } }, discounts: { codes: ["SAVE10"] } },
  { selected_fulfillment_options: [{ type: "shipping", option_id: "ship_express", item_ids: ["item_123"] }], order_notes: "ring twice" },
  { intent_trace: { reason_code: "other", trace_summary: "x", metadata: { a: 1 } } },
];
const VALID_2025: unknown[] = [{ items: [{ id: "item_123", quantity: 1 }], buyer: { first_name: "A", last_name: "B", email: "a@example.com" }, fulfillment_address: { name: "A B", line_one: "1 Main", city: "Austin", state: "TX", country: "US", postal_code: "78701" } }, { fulfillment_option_id: "ship_standard" }];

const RAW_BODIES = ["", "{", "}", "[]", "null", "42", '"str"', "{'a':1}", '{"a":1,}', "\u0000", "\uFEFF{}", '{"line_items":[{"id":"item_123"}]', "x".repeat(70_000), "[".repeat(5000) + "]".repeat(5000), '{"a":' + "[".repeat(3000) + "]".repeat(3000) + "}", '{"currency":"usd","capabilities":{},"line_items":[{"id":"item_123"}]}'];

it("survives ≥3000 malformed requests without a 5xx", { timeout: 60_000 }, async () => {
  const r = rng(20261126);
  const paths = () => pick(r, ["/checkout_sessions", `/checkout_sessions/${sessionId}`, `/checkout_sessions/${sessionId}/cancel`, `/checkout_sessions/${sessionId}/complete`, "/checkout_sessions/%E0%A4%A", "/checkout_sessions/" + "z".repeat(500), "/checkout_sessions/💳", "/checkout_sessions//cancel", "/../etc/passwd"]);
  let count = 0;
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  for (let i = 0; i < 3200; i++) {
    const version = r() < 0.08 ? pick(r, ["", "2026-4-17", "💥", "2025-09-29 ", "9999-99-99", "2026-04-17,2025-09-29"]) : r() < 0.7 ? "2026-04-17" : "2025-09-29";
    const method = r() < 0.9 ? "POST" : pick(r, ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]);
    const headers: Record<string, string> = { "API-Version": version };
    if (r() > 0.03) headers.Authorization = r() < 0.97 ? `Bearer ${key}` : pick(r, ["Bearer", "Bearer  ", `bearer ${key}x`, "Token abc", `Bearer ${"k".repeat(600)}`]);
    if (r() > 0.05) headers["Idempotency-Key"] = r() < 0.95 ? `fuzz-${i}` : pick(r, ["", " ", "k".repeat(300), "ключ", "a b"]);
    headers["Content-Type"] = r() < 0.93 ? "application/json" : pick(r, ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin1", "application/merge-patch+json"]);
    if (r() < 0.05) headers["Request-Id"] = pick(r, ["req_1", "\t", "r".repeat(500), "req ✓"]);
    const roll = r();
    let body: string | undefined;
    if (method === "GET" || method === "DELETE") body = undefined;
    else if (roll < 0.15) body = pick(r, RAW_BODIES);
    else {
      const valid = pick(r, version === "2025-09-29" ? VALID_2025 : VALID_2026);
      let mutated: unknown = valid;
      for (let m = 0, n = 1 + Math.floor(r() * 3); m < n; m++) mutated = mutate(mutated, r);
      try {
        body = JSON.stringify(mutated);
      } catch {
        body = "{}";
      }
    }
    let res: Response;
    try {
      // Header values travel as bytes: non-Latin-1 text arrives as its UTF-8 bytes read as Latin-1.
      const wire = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("latin1")]));
      res = await h.acp.handler(new Request(`${BASE}${paths()}`, { method, headers: wire, body }));
    } catch (error) {
      failures.push(`threw: ${(error as Error).message}`);
      continue;
    }
    count++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      failures.push(`${res.status} not JSON: ${text.slice(0, 80)}`);
      continue;
    }
    if (res.status >= 500) failures.push(`${res.status} ${text.slice(0, 200)} for ${method} ${body?.slice(0, 200)}`);
    else if (res.status >= 400) {
      const errs = schemaErrors("2026-04-17", "Error", json);
      if (errs.length) failures.push(`bad error body ${text.slice(0, 200)}`);
    } else {
      const v = res.headers.get("API-Version") as "2026-04-17" | "2025-09-29";
      const errs = schemaErrors(v, "CheckoutSession", json);
      const problems = wireTotalsProblems(v, json);
      if (errs.length || problems.length) failures.push(`bad session ${JSON.stringify(errs).slice(0, 300)} ${problems}`);
    }
  }
  console.log(`fuzz: ${count} malformed requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(failures.slice(0, 10)).toEqual([]);
  expect(count).toBeGreaterThanOrEqual(3000);
});

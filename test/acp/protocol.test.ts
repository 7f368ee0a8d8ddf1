// Protocol rules, each with a test that fails if it breaks: idempotency, versions, auth, tenant isolation,
// signatures, routing, the state machine and expiry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, harness } from "./harness";
import { expectSpecError, expectValidSession } from "./assertions";
import { signRequest } from "../../app/acp/signature";
import { createRetention } from "../../app/jobs/retention.server";

let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let shopId: string;
const create = { currency: "usd", capabilities: {}, line_items: [{ id: "item_123", quantity: 2 }] };

beforeAll(async () => {
  h = await harness();
  ({ key, shop: { id: shopId } } = await h.addShop());
});
afterAll(() => h.close());

describe("idempotency (2026-04-17)", () => {
  it("N=20 identical parallel creates with one key create ONE session", async () => {
    h.pricer.delayMs = 30;
    const before = await h.db.checkoutSession.count({ where: { shopId } });
    const results = await Promise.all(Array.from({ length: 20 }, () => call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "parallel-1", body: create })));
    h.pricer.delayMs = 0;
    expect(await h.db.checkoutSession.count({ where: { shopId } })).toBe(before + 1);
    const ok = results.filter((r) => r.status === 201);
    const inFlight = results.filter((r) => r.status === 409);
    expect(ok.length + inFlight.length).toBe(20);
    expect(new Set(ok.map((r) => r.json.id)).size).toBe(1);
    for (const r of inFlight) {
      expect(r.json.code).toBe("idempotency_in_flight");
      expect(Number(r.headers.get("Retry-After"))).toBeGreaterThan(0);
      expectSpecError(r.json);
    }
    const replay = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "parallel-1", body: create });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.json.id).toBe(ok[0].json.id);
  });

  it("replay returns the stored status and body byte for byte; key order and 1.0 vs 1 do not matter", async () => {
    const first = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "replay-1", body: create });
    const again = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "replay-1", rawBody: '{"line_items":[{"quantity":2.0,"id":"item_123"}],"capabilities":{},"currency":"usd"}' });
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(again.headers.get("Idempotency-Key")).toBe("replay-1");
  });

  it("same key, different body → 422 idempotency_conflict; null ≠ absent", async () => {
    await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "conflict-1", body: create });
    const other = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "conflict-1", body: { ...create, locale: null } });
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ type: "invalid_request", code: "idempotency_conflict" });
  });

  it("the key is scoped to the path: the same key on another path is another key", async () => {
    const a = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "scoped-1", body: create });
    const b = await call(h.acp.handler, `/checkout_sessions/${a.json.id}`, { key, idempotencyKey: "scoped-1", body: { buyer: { email: "x@example.com" } } });
    expect(b.status).toBe(200);
    expect(b.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("missing key → 400 idempotency_key_required (2026-04-17), accepted for 2025-09-29", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: null, body: create });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ type: "invalid_request", code: "idempotency_key_required", message: "Idempotency-Key header is required" });
    const old = await call(h.acp.handler, "/checkout_sessions", { key, version: "2025-09-29", idempotencyKey: null, body: { items: [{ id: "item_123", quantity: 1 }] } });
    expect(old.status).toBe(201);
  });

  it("a 5xx is never cached: the retry runs afresh", async () => {
    const original = h.pricer.quote.bind(h.pricer);
    h.pricer.quote = async () => {
      throw new Error("boom");
    };
    const failed = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "five-1", body: create });
    h.pricer.quote = original;
    expect(failed.status).toBe(500);
    expectSpecError(failed.json);
    const retry = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "five-1", body: create });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("a retryable upstream failure is a 503 with Retry-After", async () => {
    const original = h.pricer.quote.bind(h.pricer);
    h.pricer.quote = async () => {
      throw Object.assign(new Error("throttled"), { retryable: true });
    };
    const res = await call(h.acp.handler, "/checkout_sessions", { key, body: create });
    h.pricer.quote = original;
    expect(res.status).toBe(503);
    expect(res.json.type).toBe("service_unavailable");
    expect(res.headers.get("Retry-After")).toBeTruthy();
  });

  it("records are kept 24 hours, then purged and the key is new again", async () => {
    await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "ttl-1", body: create });
    h.now.value = new Date(h.now.value.getTime() + 25 * 3600 * 1000);
    const reused = await call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey: "ttl-1", body: { ...create, locale: "en-US" } });
    expect(reused.status).toBe(201);
    const later = new Date(h.now.value.getTime() + 25 * 3600 * 1000);
    const counts = await createRetention({ db: h.db, now: () => later }).run();
    expect(counts["IdempotencyRecord.deleted"]).toBeGreaterThan(0);
    h.now.value = new Date("2026-11-26T12:00:00Z");
  });
});

describe("versions", () => {
  it("missing → 400 missing_api_version with supported_versions", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, version: null, body: create });
    expect(res.status).toBe(400);
    expectSpecError(res.json);
    expect(res.json).toMatchObject({ code: "missing_api_version", supported_versions: ["2026-04-17", "2025-09-29"] });
  });
  it("unknown → 400 unsupported_api_version with supported_versions", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions/cs_x", { key, version: "2024-01-01" });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "unsupported_api_version", supported_versions: ["2026-04-17", "2025-09-29"] });
  });
  it("OpenAI's 2025-09-12 label reads as 2025-09-29", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, version: "2025-09-12", body: { items: [{ id: "item_123", quantity: 1 }] } });
    expect(res.status).toBe(201);
    expect(res.headers.get("API-Version")).toBe("2025-09-29");
  });
});

describe("authentication and tenant isolation", () => {
  it("no key, a malformed key, an unknown key → 401 in the spec format", async () => {
    for (const o of [{ key: null }, { key: "short" }, { key: "acp_sk_unknownunknownunknown" }, { headers: { Authorization: "Basic abc" }, key: null }]) {
      const res = await call(h.acp.handler, "/checkout_sessions", { ...o, body: create });
      expect(res.status).toBe(401);
      expectSpecError(res.json);
    }
  });

  it("a revoked key → 401; another active key of the same shop keeps working (rotation)", async () => {
    const { key: k1, keyId, shop } = await h.addShop();
    const { key: k2 } = await h.acp.keys.create(shop.id, "rotation");
    expect((await call(h.acp.handler, "/checkout_sessions", { key: k1, body: create })).status).toBe(201);
    expect(await h.acp.keys.revoke(shop.id, keyId)).toBe(true);
    // A resolved key is trusted for at most 5 s without a database read (decision 0009); then it is refused.
    h.now.value = new Date(h.now.value.getTime() + 5_001);
    const revoked = await call(h.acp.handler, "/checkout_sessions", { key: k1, body: create });
    expect(revoked.status).toBe(401);
    expectSpecError(revoked.json);
    expect((await call(h.acp.handler, "/checkout_sessions", { key: k2, body: create })).status).toBe(201);
    const listed = await h.acp.keys.list(shop.id);
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(k2);
    const row = await h.db.agentApiKey.findFirst({ where: { shopId: shop.id, revokedAt: null } });
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.lastUsedAt).not.toBeNull();
  });

  it("shop A's key gets 404 for shop B's session (read, update, cancel)", async () => {
    const a = await h.addShop();
    const b = await h.addShop();
    const session = await call(h.acp.handler, "/checkout_sessions", { key: b.key, body: create });
    const id = session.json.id;
    for (const [path, o] of [
      [`/checkout_sessions/${id}`, {}],
      [`/checkout_sessions/${id}`, { body: { buyer: { email: "evil@example.com" } } }],
      [`/checkout_sessions/${id}/cancel`, { body: {} }],
    ] as const) {
      const res = await call(h.acp.handler, path, { key: a.key, ...o });
      expect(res.status).toBe(404);
      expectSpecError(res.json);
    }
    const still = await call(h.acp.handler, `/checkout_sessions/${id}`, { key: b.key });
    expect(still.json.status).toBe("not_ready_for_payment");
    expect(still.json.buyer).toBeUndefined();
  });
});

describe("request signatures (v2: HMAC-SHA256 over method, path, keys, timestamp and body digest)", () => {
  it("good → 2xx; bad, missing or stale → 401 invalid_signature", async () => {
    const secret = "whsec_test_secret";
    const { key: signedKey } = await h.addShop({ signatureSecret: secret });
    const raw = JSON.stringify(create);
    const ts = h.clock.now().toISOString();
    const sign = (idempotencyKey: string, timestamp = ts, body = raw, s = secret) =>
      signRequest(s, { method: "POST", path: "/acp/checkout_sessions", idempotencyKey, apiVersion: "2026-04-17", timestamp, rawBody: body });
    const good = await call(h.acp.handler, "/checkout_sessions", { key: signedKey, rawBody: raw, idempotencyKey: "sig-1", headers: { Timestamp: ts, Signature: sign("sig-1") } });
    expect(good.status).toBe(201);
    // The same MAC in hex, bare (no `v2=`): accepted as the documented scheme (acp.md: a bare detached signature).
    const hex = Buffer.from(sign("sig-2").slice(3), "base64url").toString("hex");
    expect((await call(h.acp.handler, "/checkout_sessions", { key: signedKey, rawBody: raw, idempotencyKey: "sig-2", headers: { Timestamp: ts, Signature: hex } })).status).toBe(201);
    const stale = new Date(h.clock.now().getTime() - 301_000).toISOString();
    for (const headers of <Record<string, string>[]>[
      { Timestamp: ts, Signature: sign("sig-3", ts, raw, "wrong") },
      { Timestamp: ts, Signature: sign("sig-3", ts, raw + " ") },
      { Timestamp: stale, Signature: sign("sig-3", stale) },
      { Timestamp: ts },
      { Signature: sign("sig-3") },
      { Timestamp: "yesterday", Signature: "abc" },
    ]) {
      const res = await call(h.acp.handler, "/checkout_sessions", { key: signedKey, rawBody: raw, idempotencyKey: "sig-3", headers });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe("invalid_signature");
    }
  });
});

describe("routing", () => {
  it("unknown paths → 404, wrong methods → 405 with Allow, all in the spec format", async () => {
    const cases: [string, string, number][] = [
      ["/nothing", "GET", 404],
      ["/checkout_sessions/cs_1/refund", "POST", 404],
      ["/checkout_sessions", "GET", 405],
      ["/checkout_sessions/cs_1", "DELETE", 405],
      ["/checkout_sessions/cs_1/cancel", "GET", 405],
      ["/checkout_sessions/cs_does_not_exist", "GET", 404],
    ];
    for (const [path, method, status] of cases) {
      const res = await call(h.acp.handler, path, { key, method, body: method === "POST" ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(status);
      expectSpecError(res.json);
      if (status === 405) expect(res.headers.get("Allow")).toBeTruthy();
    }
  });

  it("echoes Request-Id", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, body: create, headers: { "Request-Id": "req_abc123" } });
    expect(res.headers.get("Request-Id")).toBe("req_abc123");
  });
});

describe("state machine", () => {
  it("cancel on canceled → 405; update on canceled → 405; complete on not-ready → 405", async () => {
    const s = await call(h.acp.handler, "/checkout_sessions", { key, body: create });
    const id = s.json.id;
    const completeEarly = await call(h.acp.handler, `/checkout_sessions/${id}/complete`, { key, body: { payment_data: { handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token: "spt_1" } } } } });
    expect(completeEarly.status).toBe(405);
    expect((await call(h.acp.handler, `/checkout_sessions/${id}/cancel`, { key, body: {} })).status).toBe(200);
    const again = await call(h.acp.handler, `/checkout_sessions/${id}/cancel`, { key, body: {} });
    expect(again.status).toBe(405);
    expectSpecError(again.json);
    const upd = await call(h.acp.handler, `/checkout_sessions/${id}`, { key, body: { buyer: { email: "a@example.com" } } });
    expect(upd.status).toBe(405);
    const got = await call(h.acp.handler, `/checkout_sessions/${id}`, { key });
    expectValidSession("2026-04-17", got.json);
    expect(got.json.status).toBe("canceled");
  });

  it("past expires_at a session reads as expired and can no longer be changed", async () => {
    const s = await call(h.acp.handler, "/checkout_sessions", { key, body: create });
    h.now.value = new Date(Date.parse(s.json.expires_at) + 1000);
    const got = await call(h.acp.handler, `/checkout_sessions/${s.json.id}`, { key });
    expect(got.json.status).toBe("expired");
    expectValidSession("2026-04-17", got.json);
    expect((await call(h.acp.handler, `/checkout_sessions/${s.json.id}`, { key, body: { buyer: { email: "a@example.com" } } })).status).toBe(405);
    expect((await call(h.acp.handler, `/checkout_sessions/${s.json.id}/cancel`, { key, body: {} })).status).toBe(405);
    const old = await call(h.acp.handler, `/checkout_sessions/${s.json.id}`, { key, version: "2025-09-29" });
    expectValidSession("2025-09-29", old.json);
    h.now.value = new Date("2026-11-26T12:00:00Z");
  });

  it("a complete in progress blocks updates with 409 + Retry-After", async () => {
    const s = await call(h.acp.handler, "/checkout_sessions", { key, body: create });
    const row = await h.db.checkoutSession.findUniqueOrThrow({ where: { id: s.json.id } });
    await h.db.checkoutSession.update({ where: { id: row.id }, data: { stateJson: JSON.stringify({ ...JSON.parse(row.stateJson), status: "complete_in_progress" }), status: "complete_in_progress" } });
    const update = { key, idempotencyKey: "retry-after-409", body: { buyer: { email: "a@example.com" } } };
    const res = await call(h.acp.handler, `/checkout_sessions/${s.json.id}`, update);
    expect(res.status).toBe(409);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    // The 409 was not stored under the key: once the session is free, the same retry runs and succeeds.
    await h.db.checkoutSession.update({ where: { id: row.id }, data: { stateJson: row.stateJson, status: row.status, revision: { increment: 1 } } });
    const retried = await call(h.acp.handler, `/checkout_sessions/${s.json.id}`, update);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
  });
});

describe("discovery", () => {
  it("serves the discovery document, valid against DiscoveryResponse, cacheable", async () => {
    const res = h.acp.discovery();
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=3600");
    const body = await res.json();
    const { schemaErrors } = await import("./harness");
    expect(schemaErrors("2026-04-17", "DiscoveryResponse", body)).toEqual([]);
    expect(body.protocol.supported_versions).toEqual(["2025-09-29", "2026-04-17"]);
    expect(body.api_base_url).toBe("https://app.example.com/acp");
    expect(body.transports).toEqual(["rest", "mcp"]);
  });
});

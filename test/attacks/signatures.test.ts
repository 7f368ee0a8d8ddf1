// Issue 12, item 4: a request signature binds the request it was made for, once. The attacker here has captured
// requests the real agent (sim/agent, signing as agents are told to) sent, and re-sends their signed headers on
// other requests. Real handler, real SQLite (test/support/db), no mocks.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAcp } from "../../app/acp/compose.server";
import { createAgentClient } from "../../sim/agent/client";
import { BASE, harness } from "../acp/harness";
import { expectSpecError } from "../acp/assertions";

const secret = "sig-secret-for-attacks-0123";
let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let captured: Request[];

beforeAll(async () => {
  h = await harness();
  h.now.value = new Date(); // the agent signs with the time it is given; keep both clocks together
  ({ key } = await h.addShop({ signatureSecret: secret }));
});
afterAll(() => h.close());

/** The real agent, signing with the shop's secret; every request it sends is captured (the attacker's tap). */
function agent(offsetMs = 0) {
  captured = [];
  return createAgentClient({
    baseUrl: BASE,
    apiKey: key,
    signingSecret: secret,
    now: () => new Date(h.clock.now().getTime() + offsetMs),
    fetch: async (url, init) => {
      const request = new Request(url as string, init);
      captured.push(request.clone());
      return h.acp.handler(request);
    },
  });
}

/** A new request built from a captured one's headers, with the attacker's changes. */
async function forge(from: Request, change: { path?: string; method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(from.headers);
  for (const [name, value] of Object.entries(change.headers ?? {})) headers.set(name, value);
  const method = change.method ?? from.method;
  const body = change.body ?? (from.method === "POST" ? await from.clone().text() : undefined);
  if (method === "POST" && !headers.has("content-type")) headers.set("Content-Type", "application/json");
  const response = await h.acp.handler(new Request(change.path ? `${BASE}${change.path}` : from.url, { method, headers, body: method === "POST" ? (body ?? "") : undefined }));
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const create = { currency: "usd", capabilities: {}, line_items: [{ id: "item_123", quantity: 1 }] };

async function statusOf(id: string): Promise<string> {
  const row = await h.db.checkoutSession.findUniqueOrThrow({ where: { id } });
  return row.status;
}

describe("request signatures bind the request", () => {
  it("a signed GET's Signature and Timestamp reused on POST …/cancel → 401, the session stays open", async () => {
    const client = agent();
    const made = await client.create(create);
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    expect((await client.retrieve(id)).status).toBe(200);
    const get = captured.at(-1)!;
    expect(get.method).toBe("GET");
    const attack = await forge(get, { method: "POST", path: `/checkout_sessions/${id}/cancel`, body: "", headers: { "Idempotency-Key": "attacker-1" } });
    expect(attack.status).toBe(401);
    expectSpecError(attack.json);
    expect(attack.json.code).toBe("invalid_signature");
    expect(await statusOf(id)).not.toBe("canceled");
  });

  it("a signed update for session A replayed on session B → 401, B is unchanged", async () => {
    const client = agent();
    const a = (await client.create(create)).body.id as string;
    const b = (await client.create(create)).body.id as string;
    const update = { line_items: [{ id: "item_123", quantity: 5 }] };
    expect((await client.update(a, update)).status).toBe(200);
    const signedUpdate = captured.at(-1)!;
    const before = await h.db.checkoutSession.findUniqueOrThrow({ where: { id: b } });
    const attack = await forge(signedUpdate, { path: `/checkout_sessions/${b}` });
    expect(attack.status).toBe(401);
    expect(attack.json.code).toBe("invalid_signature");
    const after = await h.db.checkoutSession.findUniqueOrThrow({ where: { id: b } });
    expect(after.revision).toBe(before.revision);
    expect(after.stateJson).toBe(before.stateJson);
  });

  it("the same signed request sent twice → the second is 401 (replay), also under another Idempotency-Key or re-encoded", async () => {
    const client = agent();
    const id = (await client.create(create)).body.id as string;
    expect((await client.update(id, { line_items: [{ id: "item_123", quantity: 2 }] })).status).toBe(200);
    const signed = captured.at(-1)!;
    const again = await forge(signed);
    expect(again.status).toBe(401);
    expect(again.json.code).toBe("invalid_signature");
    const otherKey = await forge(signed, { headers: { "Idempotency-Key": "a-fresh-key-from-the-attacker" } });
    expect(otherKey.status).toBe(401);
    expect(otherKey.json.code).toBe("invalid_signature");
    // The same MAC written in another accepted encoding is the same signature, not a new one.
    const given = signed.headers.get("signature")!.replace(/^v2=/, "");
    const hex = Buffer.from(given, "base64url").toString("hex");
    const reencoded = await forge(signed, { headers: { Signature: `v2=${hex}` } });
    expect(reencoded.status).toBe(401);
    const revision = (await h.db.checkoutSession.findUniqueOrThrow({ where: { id } })).revision;
    expect(revision).toBe(1); // exactly one update ran
  });

  it("a used signature stays used for another app instance on the same database (a restart, a second process)", async () => {
    const client = agent();
    const id = (await client.create(create)).body.id as string;
    const signed = captured.at(-1)!;
    const other = composeAcp({ db: h.db, adminFor: async () => Promise.reject(new Error("no Shopify")), clock: h.clock, adapters: async () => ({ catalog: h.catalog, pricer: h.pricer }) });
    const response = await other.handler(new Request(signed.url, { method: "POST", headers: signed.headers, body: await signed.clone().text() }));
    expect(response.status).toBe(401);
    expect(await h.db.checkoutSession.count({ where: { id } })).toBe(1);
  });

  it("a Timestamp two minutes in the future → 401 (future skew is small, the past window is 300 s)", async () => {
    const ahead = await agent(120_000).create(create);
    expect(ahead.status).toBe(401);
    expect(ahead.body.code).toBe("invalid_signature");
    const behind = await agent(-240_000).create(create);
    expect(behind.status).toBe(201);
    const stale = await agent(-301_000).create(create);
    expect(stale.status).toBe(401);
  });

  it("a changed body, path, query, API-Version or Idempotency-Key under a captured signature → 401", async () => {
    const client = agent();
    const made = await client.create(create);
    expect(made.status).toBe(201);
    const signed = captured.at(-1)!;
    const changes: Array<{ path?: string; body?: string; headers?: Record<string, string> }> = [
      { body: JSON.stringify({ ...create, line_items: [{ id: "item_123", quantity: 9 }] }) },
      { path: "/checkout_sessions?x=1" },
      { headers: { "API-Version": "2025-09-29" } },
      { headers: { "Idempotency-Key": "another" } },
    ];
    for (const change of changes) {
      const res = await forge(signed, change);
      expect(res.status, JSON.stringify(change)).toBe(401);
      expect(res.json.code).toBe("invalid_signature");
    }
  });

  it("the old scheme (HMAC over `<Timestamp>.<body>`, replayable across paths) is refused", async () => {
    const raw = JSON.stringify(create);
    const ts = h.clock.now().toISOString();
    const old = createHmac("sha256", secret).update(`${ts}.${raw}`).digest("base64url");
    for (const signature of [old, `v1=${old}`]) {
      const response = await h.acp.handler(
        new Request(`${BASE}/checkout_sessions`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "API-Version": "2026-04-17", "Idempotency-Key": `old-${signature.length}`, "Content-Type": "application/json", Timestamp: ts, Signature: signature },
          body: raw,
        }),
      );
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe("invalid_signature");
    }
  });
});

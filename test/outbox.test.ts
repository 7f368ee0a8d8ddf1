import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { backoffMs, deliverDue, enqueue, outboxDepth, resend, DEFAULT_POLICY } from "../app/jobs/outbox.server";
import { postAgentWebhook } from "../app/jobs/agent-webhook.server";
import { signMerchantPayload, verifyMerchantSignature } from "../app/acp/merchant-signature";

// The receivers below listen on 127.0.0.1: the outbound rules' dev/test allowance (docs/decisions/0115).
process.env.OUTBOUND_ALLOW_PRIVATE = "1";
const t = freshDb();
afterAll(() => t.close());
let shopId: string;
beforeEach(async () => {
  await t.db.shop.deleteMany({});
  shopId = (await t.db.shop.create({ data: { domain: `outbox-${Date.now()}.myshopify.com` } })).id;
});

describe("Merchant-Signature", () => {
  it("signs t.body with HMAC-SHA256 and verifies within the window only", () => {
    const header = signMerchantPayload('{"a":1}', "secret", 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[a-f0-9]{64}$/);
    expect(verifyMerchantSignature(header, '{"a":1}', "secret", 1_700_000_100)).toEqual({ ok: true });
    expect(verifyMerchantSignature(header, '{"a":2}', "secret", 1_700_000_100)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyMerchantSignature(header, '{"a":1}', "other", 1_700_000_100)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyMerchantSignature(header, '{"a":1}', "secret", 1_700_000_301)).toEqual({ ok: false, reason: "stale" });
    expect(verifyMerchantSignature("v1=abc", '{"a":1}', "secret", 1_700_000_000)).toEqual({ ok: false, reason: "malformed" });
    expect(verifyMerchantSignature(null, "", "secret", 0)).toEqual({ ok: false, reason: "missing" });
  });
});

describe("outbox", () => {
  it("delivers due events once and backs off failures until they are dead, then re-sends on request", async () => {
    const policy = { ...DEFAULT_POLICY, maxAttempts: 3, baseDelayMs: 1000 };
    const event = await enqueue(t.db, { shopId, type: "order_event", aggregateId: "order-1", payload: { n: 1 } });
    let calls = 0;
    const failing = { order_event: async () => (calls++, { ok: false as const, error: "HTTP 503" }) };
    let now = new Date();
    for (let i = 0; i < 3; i++) {
      await deliverDue(t.db, failing, { now, policy });
      await deliverDue(t.db, failing, { now, policy }); // not due again before its backoff
      now = new Date(now.getTime() + 10 * 60_000);
    }
    expect(calls).toBe(3);
    const dead = await t.db.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(dead.deadAt).not.toBeNull();
    expect(dead.lastError).toBe("HTTP 503");
    expect((await outboxDepth(t.db)).dead).toBe(1);

    expect(await resend(t.db, "another-shop", event.id)).toBe(false); // scoped by shop
    expect(await resend(t.db, shopId, event.id)).toBe(true);
    const ok = { order_event: async () => ({ ok: true as const }) };
    expect(await deliverDue(t.db, ok, { now })).toEqual({ delivered: 1, failed: 0, dead: 0 });
    expect(await deliverDue(t.db, ok, { now })).toEqual({ delivered: 0, failed: 0, dead: 0 });
  });

  it("keeps events of one order in order: a later event waits for an earlier failed one", async () => {
    await enqueue(t.db, { shopId, type: "order_event", aggregateId: "order-2", payload: { n: 1 } }, new Date(Date.now() - 2000));
    await enqueue(t.db, { shopId, type: "order_event", aggregateId: "order-2", payload: { n: 2 } }, new Date(Date.now() - 1000));
    const seen: number[] = [];
    let fail = true;
    const handler = {
      order_event: async (e: { payloadJson: string }) => {
        const n = JSON.parse(e.payloadJson).n as number;
        if (fail) return { ok: false as const, error: "down" };
        seen.push(n);
        return { ok: true as const };
      },
    };
    await deliverDue(t.db, handler);
    expect(seen).toEqual([]);
    fail = false;
    await deliverDue(t.db, handler, { now: new Date(Date.now() + 3_600_000) });
    await deliverDue(t.db, handler, { now: new Date(Date.now() + 3_600_000) });
    expect(seen).toEqual([1, 2]);
  });

  it("two workers never deliver the same event twice", async () => {
    for (let i = 0; i < 10; i++) await enqueue(t.db, { shopId, type: "order_event", aggregateId: `o-${i}`, payload: { i } });
    const delivered: string[] = [];
    const handler = { order_event: async (e: { id: string }) => (delivered.push(e.id), { ok: true as const }) };
    await Promise.all([deliverDue(t.db, handler), deliverDue(t.db, handler), deliverDue(t.db, handler)]);
    expect(delivered).toHaveLength(10);
    expect(new Set(delivered).size).toBe(10);
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffMs(1, DEFAULT_POLICY, () => 0.5)).toBe(10_000);
    expect(backoffMs(3, DEFAULT_POLICY, () => 0.5)).toBe(40_000);
    expect(backoffMs(30, DEFAULT_POLICY, () => 0.5)).toBe(3_600_000);
  });
});

describe("agent webhook delivery", () => {
  it("posts a signed body the receiver can verify, and classifies failures", async () => {
    const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status).end(JSON.stringify({ received: true }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/order_events`;
    try {
      const result = await postAgentWebhook({ url, secret: "agent-secret" }, { type: "order_create", data: { id: "o1" } }, { requestId: "req_1" });
      expect(result).toEqual({ ok: true });
      const got = received[0];
      expect(verifyMerchantSignature(got.headers["merchant-signature"] as string, got.body, "agent-secret", Math.floor(Date.now() / 1000))).toEqual({ ok: true });
      expect(got.headers["request-id"]).toBe("req_1");
      status = 400;
      expect(await postAgentWebhook({ url, secret: "s" }, {}, { requestId: "r" })).toEqual({ ok: false, error: "http_4xx: The endpoint refused the request (HTTP 400).", permanent: true });
      status = 503;
      expect(await postAgentWebhook({ url, secret: "s" }, {}, { requestId: "r" })).toEqual({ ok: false, error: "http_5xx: The endpoint had a server error (HTTP 503).", permanent: false });
    } finally {
      server.close();
    }
  });
});

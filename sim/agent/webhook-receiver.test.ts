// The agent-side receiver: it accepts what the app's signer produces and refuses everything else.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signMerchantPayload } from "../../app/acp/merchant-signature";
import { checkSignature, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

const SECRET = "whsec_receiver_test_secret";
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
});
afterAll(() => receiver.stop());
beforeEach(() => receiver.reset());

const now = () => Math.floor(Date.now() / 1000);
const event = { type: "order_create", data: { type: "order", id: "ord_1", checkout_session_id: "cs_1", permalink_url: "https://shop.example/o/1", status: "created" } };

function post(raw: string, signature?: string, requestId = "req_1") {
  return fetch(receiver.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Request-Id": requestId, ...(signature ? { "Merchant-Signature": signature } : {}) },
    body: raw,
  });
}

describe("webhook receiver", () => {
  it("accepts an event signed by the app's signer, answers received:true with the request id, and records it", async () => {
    const raw = JSON.stringify(event);
    const res = await post(raw, signMerchantPayload(raw, SECRET, now()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, request_id: "req_1" });
    const got = await receiver.waitFor((e) => e.type === "order_create");
    expect(got.data.id).toBe("ord_1");
    expect(got.requestId).toBe("req_1");
  });

  it.each([
    ["missing", undefined],
    ["malformed", "v1=abc"],
    ["stale", (raw: string) => signMerchantPayload(raw, SECRET, now() - 301)],
    ["mismatch", (raw: string) => signMerchantPayload(raw, "another-secret", now())],
  ])("rejects a %s signature with 401 invalid_signature and records nothing", async (reason, sign) => {
    const raw = JSON.stringify(event);
    const header = typeof sign === "function" ? sign(raw) : sign;
    const res = await post(raw, header);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: "invalid_request", code: "invalid_signature" });
    expect(receiver.events()).toHaveLength(0);
    expect(receiver.rejected()[0].reason).toBe(reason);
  });

  it("rejects a body altered after signing", async () => {
    const raw = JSON.stringify(event);
    const header = signMerchantPayload(raw, SECRET, now());
    const res = await post(raw.replace("ord_1", "ord_2"), header);
    expect(res.status).toBe(401);
  });

  it("computes HMAC-SHA256 over t.body independently of the app", () => {
    const raw = '{"type":"order_update"}';
    const t = 1_800_000_000;
    const v1 = createHmac("sha256", SECRET).update(`${t}.${raw}`).digest("hex");
    expect(checkSignature(`t=${t},v1=${v1}`, raw, SECRET, t + 10, 300)).toEqual({ ok: true, t });
    expect(checkSignature(`t=${t},v1=${v1}`, raw, SECRET, t + 301, 300)).toEqual({ ok: false, reason: "stale" });
  });

  it("can answer 503 to the next deliveries (for retry tests) and waitFor times out clearly", async () => {
    receiver.failNext(1);
    const raw = JSON.stringify(event);
    expect((await post(raw, signMerchantPayload(raw, SECRET, now()))).status).toBe(503);
    expect((await post(raw, signMerchantPayload(raw, SECRET, now()))).status).toBe(200);
    expect(receiver.events()).toHaveLength(1);
    await expect(receiver.waitFor((e) => e.type === "never", 50)).rejects.toThrow(/no matching order event/);
  });
});

// Attack: an agent (or a buggy one) completes with a payment token that is unknown or malformed. The session must
// stay `ready_for_payment` with a `recoverable` `invalid` message on the payment, so the next complete with a valid
// token goes through (issue 12, item 10). Real SQLite, the Shopify and Stripe stand-ins over HTTP, the real SDK.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeWorld } from "../complete/world";
import { expectValidSession } from "../acp/assertions";
import type { AcpVersion } from "../../app/acp/versions";

let w: Awaited<ReturnType<typeof completeWorld>>;
beforeAll(async () => {
  w = await completeWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const total = (s: { totals: { type: string; amount: number }[] }) => s.totals.find((t) => t.type === "total")!.amount;
const createsOf = (sessionId: string) => w.stripe.ledger().requests.filter((r) => r.method === "POST" && r.path === "/v1/payment_intents" && JSON.stringify(r).includes(sessionId));

const BAD_TOKENS: [string, string][] = [
  ["unknown", "spt_1AbCdEfGhIjKlMnOpQrStUvW"],
  ["unknown, another PSP's shape", "vt_01J8Z3WXYZ9ABC123"],
  ["malformed: spaces and punctuation", "not a token!"],
  ["malformed: form-encoding injection", "spt_x&amount=1&currency=eur"],
  ["malformed: just the prefix", "spt_"],
  ["malformed: 10,000 characters", `spt_${"A".repeat(10_000)}`],
  ["malformed: unicode", "spt_ťøķęñ💳"],
];

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("a bad payment token, %s", (version) => {
  it.each(BAD_TOKENS)("%s: stays ready_for_payment with a recoverable invalid message, and a valid token then completes", async (_label, bad) => {
    const session = await w.ready(version);
    const refused = await w.complete(session.id, w.paymentBody(version, bad), { version });
    expect(refused.status, refused.text).toBe(200);
    expectValidSession(version, refused.json);
    expect(refused.json.status).toBe("ready_for_payment");
    const message = refused.json.messages.find((m: { type: string }) => m.type === "error");
    expect(message).toMatchObject({ code: "invalid", param: expect.stringMatching(/^\$\.payment_data/) });
    if (version !== "2025-09-29") expect(message.resolution).toBe("recoverable");
    expect(refused.text).not.toContain(bad.slice(0, 40)); // the token is never echoed back
    expect(w.chargesFor(session.id).filter((p) => p.status === "succeeded")).toHaveLength(0);

    const stored = await w.stored(session.id);
    expect(stored.status).toBe("ready_for_payment");

    const retry = await w.complete(session.id, w.paymentBody(version, w.token(total(session))), { version });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json.status).toBe("completed");
    expect(retry.json.messages ?? []).toEqual([]);
    expect(w.ordersFor(session.id)).toHaveLength(1);
  });
});

describe("a malformed token is refused before Stripe hears of it", () => {
  it.each(BAD_TOKENS.filter(([label]) => label.startsWith("malformed")))("%s: no PaymentIntent create is sent", async (_label, bad) => {
    const session = await w.ready();
    const refused = await w.complete(session.id, w.paymentBody("2026-04-17", bad));
    expect(refused.json.status).toBe("ready_for_payment");
    expect(createsOf(session.id)).toHaveLength(0);
  });
});

// Issue 13 item 3: every way Stripe refuses a charge, as the stand-in sends it (type/code/decline_code), and the ACP
// answer the agent gets for it (docs/decisions/0142). Nothing is charged in any row; the session stays payable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";
import { completeWorld } from "./world";

type World = Awaited<ReturnType<typeof completeWorld>>;

interface Row {
  name: string;
  /** Mints the token for the session (and may use it up first). */
  token(w: World): Promise<string> | string;
  /** What Stripe answered, as recorded by the stand-in: the token refusal code or the charge's failure/decline code. */
  stripe: { tokenCode?: string; failureCode?: string; declineCode?: string };
  acp: { status: string; code: string; content: RegExp; resolution: string; param?: string };
}

const mint = (w: World, paymentMethod: string, extra: { currency?: string; maxAmount?: number; expiresAt?: number; grantedTo?: string } = {}) =>
  w.stripe.mintGrantedToken({ paymentMethod, currency: extra.currency ?? "usd", maxAmount: extra.maxAmount ?? 100_000, expiresAt: extra.expiresAt, grantedTo: extra.grantedTo }).id;

const declined = (content: RegExp, resolution = "requires_buyer_input") => ({ status: "ready_for_payment", code: "payment_declined", content, resolution });
const GENERIC = /^The payment was declined\. Please try a different payment method\.$/;

const ROWS: Row[] = [
  { name: "expired SPT", token: (w) => mint(w, "pm_card_visa", { expiresAt: Math.floor(Date.now() / 1000) - 60 }), stripe: { tokenCode: "shared_payment_granted_token_expired" }, acp: { ...declined(/expired/), param: "$.payment_data" } },
  {
    name: "already used SPT",
    async token(w) {
      const tok = mint(w, "pm_card_visa");
      const other = createStripeGateway({ secretKey: w.stripe.apiKey, apiBase: w.stripe.url, maxNetworkRetries: 0 });
      await other.charge({ token: tok, amountMinor: 500, currency: "usd", idempotencyKey: `use-${tok}`, metadata: { checkout_session_id: "cs_elsewhere" } });
      return tok;
    },
    stripe: { tokenCode: "shared_payment_granted_token_already_used" },
    acp: { ...declined(/already been used/), param: "$.payment_data" },
  },
  { name: "over-limit SPT", token: (w) => mint(w, "pm_card_visa", { maxAmount: 100 }), stripe: { tokenCode: "shared_payment_granted_token_amount_exceeded" }, acp: { ...declined(/does not allow charging the checkout total/), param: "$.payment_data" } },
  { name: "wrong-currency SPT", token: (w) => mint(w, "pm_card_visa", { currency: "eur" }), stripe: { tokenCode: "shared_payment_granted_token_currency_mismatch" }, acp: { ...declined(/another currency/), param: "$.payment_data" } },
  {
    name: "revoked SPT",
    token: (w) => w.stripe.revokeGrantedToken(mint(w, "pm_card_visa")).id,
    stripe: { tokenCode: "shared_payment_granted_token_revoked" },
    acp: { ...declined(/revoked/), param: "$.payment_data" },
  },
  {
    name: "SPT granted to another seller",
    token: (w) => mint(w, "pm_card_visa", { grantedTo: "acct_someoneelse000000" }),
    stripe: { tokenCode: "resource_missing" },
    acp: { status: "ready_for_payment", code: "invalid", content: /not valid for this store/, resolution: "recoverable", param: "$.payment_data" },
  },
  { name: "generic decline", token: (w) => mint(w, "pm_card_chargeDeclined"), stripe: { failureCode: "card_declined", declineCode: "generic_decline" }, acp: declined(GENERIC) },
  { name: "insufficient funds", token: (w) => mint(w, "pm_card_chargeDeclinedInsufficientFunds"), stripe: { failureCode: "card_declined", declineCode: "insufficient_funds" }, acp: declined(/insufficient funds/) },
  // Stripe: do not tell the buyer a card is lost or stolen; both read as a plain decline.
  { name: "lost card", token: (w) => mint(w, "pm_card_chargeDeclinedLostCard"), stripe: { failureCode: "card_declined", declineCode: "lost_card" }, acp: declined(GENERIC) },
  { name: "stolen card", token: (w) => mint(w, "pm_card_chargeDeclinedStolenCard"), stripe: { failureCode: "card_declined", declineCode: "stolen_card" }, acp: declined(GENERIC) },
  { name: "expired card", token: (w) => mint(w, "pm_card_chargeDeclinedExpiredCard"), stripe: { failureCode: "expired_card", declineCode: "expired_card" }, acp: declined(/card has expired/) },
  { name: "incorrect CVC", token: (w) => mint(w, "pm_card_chargeDeclinedIncorrectCvc"), stripe: { failureCode: "incorrect_cvc", declineCode: "incorrect_cvc" }, acp: declined(/security code/) },
  { name: "processing error", token: (w) => mint(w, "pm_card_chargeDeclinedProcessingError"), stripe: { failureCode: "processing_error", declineCode: "processing_error" }, acp: declined(/complete again with the same payment token/, "recoverable") },
  {
    name: "authentication required (3-D Secure)",
    token: (w) => mint(w, "pm_card_threeDSecureRequired"),
    stripe: {},
    acp: { status: "authentication_required", code: "requires_3ds", content: /3-D Secure/, resolution: "requires_buyer_input", param: "$.authentication_result" },
  },
];

describe("Stripe's refusals → ACP answers", () => {
  let w: World;
  beforeAll(async () => {
    w = await completeWorld();
  });
  afterAll(() => w.stop());

  it.each(ROWS.map((r) => [r.name, r] as const))("%s", async (_name, row) => {
    const s = await w.ready();
    const token = await row.token(w);
    const res = await w.complete(s.id, w.paymentBody("2026-04-17", token));

    expect(res.status).toBe(200);
    expect(res.json.status).toBe(row.acp.status);
    const errors = (res.json.messages as Array<Record<string, unknown>>).filter((m) => m.type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: row.acp.code, resolution: row.acp.resolution, ...(row.acp.param ? { param: row.acp.param } : {}) });
    expect(String(errors[0].content)).toMatch(row.acp.content);
    expect(JSON.stringify(res.json)).not.toContain(token); // the token is never echoed

    // What Stripe really said, and that nothing was charged for this session.
    const ledger = w.stripe.ledger();
    if (row.stripe.tokenCode) expect(ledger.tokenUses.filter((u) => u.tokenId === token && u.result === "rejected").map((u) => u.code)).toEqual([row.stripe.tokenCode]);
    const intents = w.chargesFor(s.id);
    if (row.stripe.failureCode) {
      const charges = ledger.charges.filter((c) => intents.some((p) => p.id === c.paymentIntent));
      expect(charges.map((c) => [c.status, c.failureCode])).toEqual([["failed", row.stripe.failureCode]]);
      expect(ledger.tokenUses.find((u) => u.tokenId === token)?.code).toBe(row.stripe.declineCode);
    }
    expect(intents.filter((p) => p.status === "succeeded")).toHaveLength(0);
    expect(w.ordersFor(s.id)).toHaveLength(0);
  });

  it("after any of them, a good token completes the same session (one charge)", async () => {
    const s = await w.ready();
    const declinedOnce = await w.complete(s.id, w.paymentBody("2026-04-17", mint(w, "pm_card_chargeDeclinedInsufficientFunds")));
    expect(declinedOnce.json.status).toBe("ready_for_payment");
    const done = await w.complete(s.id, w.paymentBody("2026-04-17", mint(w, "pm_card_visa")));
    expect(done.json.status).toBe("completed");
    expect(w.chargesFor(s.id).filter((p) => p.status === "succeeded")).toHaveLength(1);
  });
});

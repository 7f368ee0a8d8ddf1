// Amount equality end to end (issue 13 item 4): for every completed checkout, the Stripe charge = the ACP total = the
// Shopify order's total (and its transaction), over a matrix of shops — USD with tax on top, GBP with VAT in the
// prices, JPY (no minor unit) with tax in the prices, BHD (three decimals) with VAT on top — and carts: one line with
// shipping, several lines, a percentage code, a fixed code, free shipping on a chosen express rate, a gift card beside a
// shipped line, a gift card alone. Everything runs over the stand-ins through the real adapters (completeWorld).
// Stripe's rule for three-decimal currencies (docs.stripe.com/currencies#three-decimal: the last digit must be 0) is
// asserted as Stripe states it: such a total is never charged rounded. The agent learns it when the checkout is quoted
// (create and update answer not_ready_for_payment with an `unsupported` error on $.totals naming the rule and the
// continue_url hand-off) and complete refuses without charging — no charge, no order (docs/decisions/0143, amended).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionalShopSeed, type ShopSeed } from "../../sim/shopify/index";
import { orderTotals } from "../../sim/shopify/domain/orders";
import { completeWorld, address as usAddress } from "./world";
import { expectSpecError, expectValidSession } from "../acp/assertions";
import { call } from "../acp/harness";

type Line = [index: number | "gift", quantity: number];
interface Case {
  name: string;
  lines: Line[];
  codes?: (fixedCode: string) => string[];
  express?: boolean;
}
interface ShopCase {
  name: string;
  seed?: ShopSeed;
  address: typeof usAddress;
  fixedCode: string;
  taxesIncluded: boolean;
}

const SHOPS: ShopCase[] = [
  { name: "USD, tax added", address: usAddress, fixedCode: "SAVE5", taxesIncluded: false },
  { name: "GBP, VAT in prices", seed: regionalShopSeed("GB"), address: { name: "Ann Lee", line_one: "10 Downing St", city: "London", state: "ENG", country: "GB", postal_code: "SW1A 2AA" }, fixedCode: "SAVE5", taxesIncluded: true },
  { name: "JPY (zero-decimal), tax in prices", seed: regionalShopSeed("JP"), address: { name: "Aiko Sato", line_one: "1-1 Chiyoda", city: "Tokyo", state: "JP-13", country: "JP", postal_code: "100-0001" }, fixedCode: "SAVE500", taxesIncluded: true },
  { name: "BHD (three-decimal), VAT added", seed: regionalShopSeed("BH"), address: { name: "Sara Ali", line_one: "Road 1701", city: "Manama", state: "13", country: "BH", postal_code: "317" }, fixedCode: "SAVE2", taxesIncluded: false },
];

const CASES: Case[] = [
  { name: "one line with shipping", lines: [[0, 1]] },
  { name: "several lines", lines: [[0, 2], [1, 1], [2, 3]] },
  { name: "a percentage code over several lines", lines: [[1, 2], [3, 1]], codes: () => ["WELCOME10"] },
  { name: "a fixed-amount code", lines: [[2, 6]], codes: (fixed) => [fixed] },
  { name: "free shipping on the express rate", lines: [[4, 1]], codes: () => ["FREESHIP"], express: true },
  { name: "a gift card beside a shipped line", lines: [[5, 2], ["gift", 1]] },
  { name: "a gift card alone (no shipping)", lines: [["gift", 1]] },
];

/** Stripe: BHD, JOD, KWD, OMR and TND amounts are in thousandths and must end in 0. */
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);
const stripeCanCharge = (total: number, currency: string) => !THREE_DECIMAL.has(currency) || total % 10 === 0;
const amount = (totals: { type: string; amount: number }[], type: string) => totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);

describe.each(SHOPS)("amounts agree: $name", (shopCase) => {
  let w: Awaited<ReturnType<typeof completeWorld>>;
  let giftCard: string;
  const outcomes: { name: string; total: number; charged: boolean }[] = [];
  beforeAll(async () => {
    w = await completeWorld({ seed: shopCase.seed, address: shopCase.address });
    const p = [...w.shopify.shop(w.SHOP).products.values()].find((x) => x.isGiftCard)!;
    giftCard = `gid://shopify/ProductVariant/${p.variants[1].id}`;
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });

  it.each(CASES)("$name", async (c) => {
    const lineItems = c.lines.map(([i, quantity]) => ({ id: i === "gift" ? giftCard : w.variantGid(i), quantity }));
    const codes = c.codes?.(shopCase.fixedCode);
    const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };
    const body = { currency: w.currency, capabilities: {}, line_items: lineItems, buyer, fulfillment_details: { name: shopCase.address.name, email: buyer.email, address: shopCase.address }, ...(codes ? { discounts: { codes } } : {}) };
    const created = await call(w.h.acp.handler, "/checkout_sessions", { key: w.key, body });
    expect(created.status, created.text).toBe(201);
    expectValidSession("2026-04-17", created.json);
    // Every case is quoted again by an update: the express rate chosen, or the buyer sent again.
    const update = c.express
      ? { selected_fulfillment_options: [{ type: "shipping", option_id: created.json.fulfillment_options.find((o: { title: string }) => o.title === "Express")?.id, item_ids: lineItems.map((l) => l.id) }] }
      : { buyer };
    if (c.express) expect(update.selected_fulfillment_options?.[0].option_id, "the shop offers an express rate").toBeDefined();
    const res = await call(w.h.acp.handler, `/checkout_sessions/${created.json.id}`, { key: w.key, body: update });
    expect(res.status, res.text).toBe(200);
    if (c.express) expect(amount(res.json.totals, "fulfillment"), "FREESHIP zeroes the express rate").toBe(0);
    const session = res.json;
    expectValidSession("2026-04-17", session);
    expect(session.messages.filter((m: { code?: string }) => m.code?.startsWith("discount_code")), "every code applied").toEqual([]);
    if (codes && !c.express) expect(amount(session.totals, "items_discount") + amount(session.totals, "discount")).toBeGreaterThan(0);
    const total = amount(session.totals, "total");
    const tax = amount(session.totals, "tax");

    if (!stripeCanCharge(total, w.currency)) {
      // Stripe would refuse the amount (or the app would have to round it): the session is not payable, the agent hears
      // why and where the buyer can finish; complete refuses; nothing is charged, no order.
      for (const quoted of c.express ? [session] : [created.json, session]) {
        expect(quoted.status, JSON.stringify(quoted.messages)).toBe("not_ready_for_payment");
        const errors = quoted.messages.filter((m: { type: string }) => m.type === "error");
        expect(errors, "the total is the only thing blocking payment").toEqual([expect.objectContaining({ code: "unsupported", param: "$.totals", resolution: "requires_buyer_input" })]);
        expect(errors[0].content).toMatch(new RegExp(`${w.currency.toUpperCase()} only in multiples of 0\\.010`));
        expect(errors[0].content).toContain(quoted.continue_url);
        const handoff = new URL(quoted.continue_url); // Shopify's own checkout: a cart permalink of this session
        expect(handoff.pathname).toMatch(/^\/cart\/\d+:\d+/);
        expect(handoff.searchParams.get("attributes[acp_session]")).toBe(quoted.id);
      }
      outcomes.push({ name: c.name, total, charged: false });
      const done = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total)));
      expect(done.status, done.text).toBe(405);
      expectSpecError(done.json);
      expect(w.chargesFor(session.id)).toEqual([]);
      expect(w.ordersFor(session.id)).toEqual([]);
      expect((await w.stored(session.id)).status).toBe("not_ready_for_payment");
      return;
    }
    expect(session.status, JSON.stringify(session.messages)).toBe("ready_for_payment");
    const done = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total)));
    const charges = w.chargesFor(session.id);
    const orders = w.ordersFor(session.id);
    outcomes.push({ name: c.name, total, charged: charges.length > 0 });
    expect(done.status, done.text).toBe(200);
    expect(done.json.status).toBe("completed");
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: "succeeded", currency: w.currency, amount: total });
    expect(orders).toHaveLength(1);
    const order = orders[0];
    const t = orderTotals(order);
    expect(t.total, "Shopify order total = ACP total").toBe(total);
    expect(t.tax, "Shopify order tax = ACP tax").toBe(tax);
    expect(order.currency.toLowerCase()).toBe(w.currency);
    expect(order.taxesIncluded).toBe(shopCase.taxesIncluded);
    expect(order.transactions.map((x) => x.amount)).toEqual([total]);
    expect(t.outstanding, "the order is fully paid").toBe(0);
  });

  it("the matrix charged something in this shop (and refused only what Stripe cannot take)", () => {
    expect(outcomes.filter((o) => o.charged).length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.charged).map((o) => o.name)).toEqual(outcomes.filter((o) => !stripeCanCharge(o.total, w.currency)).map((o) => o.name));
    if (THREE_DECIMAL.has(w.currency)) console.info(`three-decimal outcomes (${w.currency}):`, outcomes.map((o) => `${o.name}: ${o.total} ${o.charged ? "charged" : "refused"}`).join("; "));
  });
});

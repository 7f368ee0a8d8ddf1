// Three-decimal totals Stripe cannot take (docs/decisions/0143, amended): Stripe charges BHD, JOD, KWD, OMR and TND
// only in thousandths ending in 0 (docs.stripe.com/currencies). The agent learns it when the checkout is quoted, in
// both ACP versions: a session with such a total is not_ready_for_payment with an error on $.totals that names the
// rule and hands the buyer off to Shopify's own checkout (continue_url); changing the cart to a total Stripe can take
// makes it ready and it completes; complete never charges such a total. A BHD shop over the stand-ins, real adapters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionalShopSeed } from "../../sim/shopify/index";
import { completeWorld } from "../complete/world";
import type { AcpVersion } from "../../app/acp/versions";
import { expectSpecError, expectValidSession } from "./assertions";
import { call } from "./harness";

const address = { name: "Sara Ali", line_one: "Road 1701", city: "Manama", state: "13", country: "BH", postal_code: "317" };
const buyer = { first_name: "Sara", last_name: "Ali", email: "sara@example.com" };
/** The test's own statement of Stripe's rule, independent of the app's. */
const stripeTakes = (thousandths: number) => thousandths % 10 === 0;
const total = (s: { totals: { type: string; amount: number }[] }) => s.totals.find((t) => t.type === "total")!.amount;

type Cart = { item: string; quantity: number };
type WireSession = { id: string; status: string; totals: { type: string; amount: number }[]; messages: { type: string; code?: string; param?: string; content: string }[]; continue_url?: string };
const VERSIONS: AcpVersion[] = ["2025-09-29", "2026-04-17"];

let w: Awaited<ReturnType<typeof completeWorld>>;
/** A cart Stripe cannot take and one it can, found by quoting (not hard-coded: the totals are the stand-in's). */
let unpayable: Cart;
let payable: Cart;

function createBody(version: AcpVersion, cart: Cart) {
  return version === "2025-09-29"
    ? { items: [{ id: cart.item, quantity: cart.quantity }], buyer, fulfillment_address: address }
    : { currency: "bhd", capabilities: {}, line_items: [{ id: cart.item, quantity: cart.quantity }], buyer, fulfillment_details: { name: address.name, email: buyer.email, address } };
}
const linesBody = (version: AcpVersion, cart: Cart) => (version === "2025-09-29" ? { items: [{ id: cart.item, quantity: cart.quantity }] } : { line_items: [{ id: cart.item, quantity: cart.quantity }] });

async function create(version: AcpVersion, cart: Cart) {
  const res = await call(w.h.acp.handler, "/checkout_sessions", { key: w.key, version, body: createBody(version, cart) });
  expect(res.status, res.text).toBe(201);
  expectValidSession(version, res.json);
  return res.json;
}
async function update(version: AcpVersion, id: string, body: unknown) {
  const res = await call(w.h.acp.handler, `/checkout_sessions/${id}`, { key: w.key, version, body });
  expect(res.status, res.text).toBe(200);
  expectValidSession(version, res.json);
  return res.json;
}

/** The session says why it cannot be paid and where the buyer can finish, in the version's own terms. */
function expectRefusedTotal(version: AcpVersion, session: WireSession) {
  expect(session.status, JSON.stringify(session.messages)).toBe("not_ready_for_payment");
  expect(stripeTakes(total(session))).toBe(false);
  const errors = session.messages.filter((m) => m.type === "error");
  // 2026-04-17 has `unsupported`; 2025-09-29's six codes do not, so it reads `invalid` there.
  expect(errors, "the total is the only thing blocking payment").toEqual([expect.objectContaining({ code: version === "2025-09-29" ? "invalid" : "unsupported", param: "$.totals" })]);
  const [error] = errors;
  expect(error.content).toMatch(/BHD only in multiples of 0\.010/);
  expect(error.content).toContain(`${(total(session) / 1000).toFixed(3)} BHD`);
  const url = /https:\/\/\S+\/cart\/\S+/.exec(error.content)?.[0];
  expect(url, "the message carries the hand-off URL").toBeDefined();
  expect(new URL(url!).searchParams.get("attributes[acp_session]")).toBe(session.id);
  if (version === "2026-04-17") expect(session.continue_url).toBe(url);
}

beforeAll(async () => {
  w = await completeWorld({ seed: regionalShopSeed("BH"), address });
  // Shipped items (shipping and VAT on top) and the gift card's denominations (no shipping), a few quantities each.
  const giftCard = [...w.shopify.shop(w.SHOP).products.values()].find((p) => p.isGiftCard)!;
  const items = [...[0, 1, 2, 3, 4, 5].map((i) => w.variantGid(i)), ...giftCard.variants.map((v) => `gid://shopify/ProductVariant/${v.id}`)];
  for (const item of items) {
    for (let quantity = 1; quantity <= 3 && !(unpayable && payable); quantity++) {
      const cart = { item, quantity };
      const res = await call(w.h.acp.handler, "/checkout_sessions", { key: w.key, body: createBody("2026-04-17", cart) });
      if (res.status !== 201) continue;
      if (stripeTakes(total(res.json))) payable ??= cart;
      else unpayable ??= cart;
    }
  }
  if (!unpayable || !payable) throw new Error("the BHD catalog gave no cart on one side of Stripe's rule");
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

describe.each(VERSIONS)("a BHD total Stripe cannot take, ACP %s", (version) => {
  it("is not ready at create and at update, says why with the hand-off, and complete charges nothing", async () => {
    const created = await create(version, unpayable);
    expectRefusedTotal(version, created);
    const updated = await update(version, created.id, { buyer });
    expectRefusedTotal(version, updated);

    const done = await w.complete(created.id, w.paymentBody(version, w.token(total(updated))), { version });
    expect(done.status, done.text).toBe(405);
    expectSpecError(done.json, version);
    expect(w.chargesFor(created.id)).toEqual([]);
    expect(w.ordersFor(created.id)).toEqual([]);
  });

  it("becomes ready when the cart changes to a total Stripe can take, and completes with that charge", async () => {
    const created = await create(version, unpayable);
    expectRefusedTotal(version, created);
    const updated = await update(version, created.id, linesBody(version, payable));
    expect(updated.status, JSON.stringify(updated.messages)).toBe("ready_for_payment");
    expect(updated.messages.filter((m: { type: string }) => m.type === "error")).toEqual([]);
    const amount = total(updated);
    expect(stripeTakes(amount)).toBe(true);

    const done = await w.complete(created.id, w.paymentBody(version, w.token(amount)), { version });
    expect(done.status, done.text).toBe(200);
    expect(done.json.status).toBe("completed");
    expect(w.chargesFor(created.id)).toEqual([expect.objectContaining({ status: "succeeded", currency: "bhd", amount })]);
    expect(w.ordersFor(created.id)).toHaveLength(1);
  });

  it("going the other way (a payable cart changed to one Stripe cannot take) is not ready any more", async () => {
    const created = await create(version, payable);
    expect(created.status).toBe("ready_for_payment");
    expectRefusedTotal(version, await update(version, created.id, linesBody(version, unpayable)));
  });
});

describe("a session stored ready with such a total (quoted before this rule)", () => {
  it("is re-quoted at complete: nothing charged, the session answers not ready with the reason", async () => {
    const created = await create("2026-04-17", unpayable);
    const stored = await w.stored(created.id);
    await w.h.acp.sessions.update({ ...stored, status: "ready_for_payment", messages: [], revision: stored.revision + 1 }, stored.revision);

    const done = await w.complete(created.id, w.paymentBody("2026-04-17", w.token(total(created))));
    expect(done.status, done.text).toBe(200);
    expectValidSession("2026-04-17", done.json);
    expectRefusedTotal("2026-04-17", done.json);
    expect(w.chargesFor(created.id)).toEqual([]);
    expect(w.ordersFor(created.id)).toEqual([]);
  });
});

describe("a BHD shop in hand-off mode", () => {
  it("is not held to Stripe's rule: the buyer pays in Shopify's checkout anyway", async () => {
    await w.h.db.shop.update({ where: { id: w.shop.id }, data: { checkoutMode: "handoff" } });
    try {
      const created = await create("2026-04-17", unpayable);
      expect(created.status, JSON.stringify(created.messages)).toBe("ready_for_payment");
      expect(created.messages.filter((m: { param?: string }) => m.param === "$.totals")).toEqual([]);
    } finally {
      await w.h.db.shop.update({ where: { id: w.shop.id }, data: { checkoutMode: "agent_payment" } });
    }
  });
});

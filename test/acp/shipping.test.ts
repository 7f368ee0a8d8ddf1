// Shipping as draftOrderCalculate answers it (docs/decisions/0151), through the real adapters over the stand-ins:
// a cart the store does not ship (a gift card) needs no address and no option and completes without shipping; a cart
// that needs shipping but gets no rate for the address (no zone covers it) is not ready_for_payment, with an error
// naming the address; a cart with a shipped item brings the rates even beside a gift card.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeWorld } from "../complete/world";
import { expectValidSession } from "./assertions";
import { call } from "./harness";
import type { AcpVersion } from "../../app/acp/versions";

let w: Awaited<ReturnType<typeof completeWorld>>;
let giftCard: string;
beforeAll(async () => {
  w = await completeWorld();
  const p = [...w.shopify.shop(w.SHOP).products.values()].find((x) => x.isGiftCard)!;
  giftCard = `gid://shopify/ProductVariant/${p.variants.find((v) => v.title === "$50")!.id}`;
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const amount = (totals: { type: string; amount: number }[], type: string) => totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);
const paris = { name: "Ann Lee", line_one: "1 Rue de Rivoli", city: "Paris", state: "IDF", country: "FR", postal_code: "75001" };
const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

function create(lineItems: { id: string; quantity: number }[], extra: Record<string, unknown> = {}, version: AcpVersion = "2026-04-17") {
  const body = version === "2025-09-29" ? { items: lineItems, buyer, ...extra } : { currency: "usd", capabilities: {}, line_items: lineItems, buyer, ...extra };
  return call(w.h.acp.handler, "/checkout_sessions", { key: w.key, version, body });
}

describe("a cart the store does not ship", () => {
  it("a gift card alone: ready_for_payment without an address or option, and completes with no shipping line", async () => {
    const res = await create([{ id: giftCard, quantity: 1 }]);
    expect(res.status, res.text).toBe(201);
    expectValidSession("2026-04-17", res.json);
    expect(res.json.status).toBe("ready_for_payment");
    expect(res.json.fulfillment_options).toEqual([]);
    expect(amount(res.json.totals, "total")).toBe(5000);
    const done = await w.complete(res.json.id, w.paymentBody("2026-04-17", w.token(5000)));
    expect(done.status, done.text).toBe(200);
    expect(done.json.status).toBe("completed");
    const [order] = w.ordersFor(res.json.id);
    expect(order.shippingLines).toEqual([]);
    expect(w.chargesFor(res.json.id).map((c) => c.amount)).toEqual([5000]);
  });

  it("a gift card with an address anywhere: no rate needed, so no region_restricted error", async () => {
    const res = await create([{ id: giftCard, quantity: 2 }], { fulfillment_details: { name: paris.name, email: buyer.email, address: paris } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.status).toBe("ready_for_payment");
    expect(res.json.messages.filter((m: { type: string }) => m.type === "error")).toEqual([]);
  });
});

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("a cart that needs shipping, %s", (version) => {
  const addressParam = version === "2025-09-29" ? "$.fulfillment_address" : "$.fulfillment_details.address";
  const code = version === "2025-09-29" ? "invalid" : "region_restricted"; // 2025-09-29 has no region_restricted
  const withAddress = (a: typeof paris) => (version === "2025-09-29" ? { fulfillment_address: a } : { fulfillment_details: { name: a.name, email: buyer.email, address: a } });

  it("no rate for the address: not ready_for_payment, an error naming the address, and complete refuses to charge", async () => {
    const res = await create([{ id: w.variantGid(0), quantity: 1 }], withAddress(paris), version);
    expect(res.status, res.text).toBe(201);
    expectValidSession(version, res.json);
    expect(res.json.status).toBe("not_ready_for_payment");
    expect(res.json.fulfillment_options).toEqual([]);
    expect(res.json.messages).toContainEqual(expect.objectContaining({ type: "error", code, param: addressParam, content: expect.stringContaining("FR") }));
    const done = await w.complete(res.json.id, w.paymentBody(version, w.token(100_000)), { version });
    expect(done.status).not.toBe(200);
    expect(w.chargesFor(res.json.id)).toEqual([]);
  });

  it("beside a gift card, the shipped item still needs a rate", async () => {
    const res = await create([{ id: giftCard, quantity: 1 }, { id: w.variantGid(1), quantity: 1 }], withAddress(paris), version);
    expect(res.json.status).toBe("not_ready_for_payment");
    expect(res.json.messages).toContainEqual(expect.objectContaining({ code, param: addressParam }));
  });

  it("a US address: the store's rates, the cheapest preselected, ready", async () => {
    const res = await create([{ id: giftCard, quantity: 1 }, { id: w.variantGid(1), quantity: 1 }], withAddress(w.address), version);
    expect(res.json.status).toBe("ready_for_payment");
    expect(res.json.fulfillment_options.map((o: { title: string }) => o.title)).toEqual(["Standard", "Express"]);
  });
});

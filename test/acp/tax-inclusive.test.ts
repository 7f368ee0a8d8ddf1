// A tax-inclusive shop (Shop.taxesIncluded, UK: 20% VAT inside prices and shipping rates), end to end over the
// Shopify and Stripe stand-ins (docs/decisions/0150): the session shows Shopify's tax as the part of the total that is
// tax (lines and shipping net of it, so the ACP arithmetic holds), the total is Shopify's total (not the tax again on
// top), the charge is that total, and the order is created with `taxesIncluded: true` and the tax lines Shopify computed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regionalShopSeed } from "../../sim/shopify/index";
import { orderTotals } from "../../sim/shopify/domain/orders";
import { completeWorld } from "../complete/world";
import { expectValidSession } from "./assertions";
import { call } from "./harness";
import type { AcpVersion } from "../../app/acp/versions";

const ukAddress = { name: "Ann Lee", line_one: "10 Downing St", city: "London", state: "ENG", country: "GB", postal_code: "SW1A 2AA" };
let w: Awaited<ReturnType<typeof completeWorld>>;
beforeAll(async () => {
  w = await completeWorld({ seed: regionalShopSeed("GB"), address: ukAddress });
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const amount = (totals: { type: string; amount: number }[], type: string) => totals.filter((t) => t.type === type).reduce((a, t) => a + t.amount, 0);
const vat = (gross: number) => Math.round((gross * 0.2) / 1.2);
const priceOf = (gid: string) => w.shopify.variant(w.SHOP, gid)!.price;

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("a tax-inclusive shop, %s", (version) => {
  it("totals: Shopify's total and Shopify's tax, lines and shipping net of the tax they hold", async () => {
    const item = w.variantGid(0);
    const session = await w.ready(version, 2, item);
    expectValidSession(version, session);
    const goods = priceOf(item) * 2;
    const option = version === "2025-09-29" ? session.fulfillment_options.find((o: any) => o.id === session.fulfillment_option_id) : session.fulfillment_options.find((o: any) => o.id === session.selected_fulfillment_options[0].option_id);
    const shipping = version === "2025-09-29" ? option.total : amount(option.totals, "total");
    expect(amount(session.totals, "total")).toBe(goods + shipping);
    expect(amount(session.totals, "tax")).toBe(vat(goods) + vat(shipping));
    expect(amount(session.totals, "fulfillment")).toBe(shipping - vat(shipping));
    const line = session.line_items[0];
    const lineTotal = version === "2025-09-29" ? line.total : amount(line.totals, "total");
    const lineTax = version === "2025-09-29" ? line.tax : amount(line.totals, "tax");
    expect(lineTotal).toBe(goods);
    expect(lineTax).toBe(vat(goods));
    if (version !== "2025-09-29") expect(line.unit_amount).toBe(priceOf(item)); // the shelf price, as the store shows it
    expect(session.messages).toContainEqual(expect.objectContaining({ type: "info", content: expect.stringMatching(/include tax/) }));
  });

  it("complete: the charge is the total, and the order is tax-inclusive with Shopify's tax lines", async () => {
    const session = await w.ready(version, 1, w.variantGid(1));
    const total = amount(session.totals, "total");
    const res = await w.complete(session.id, w.paymentBody(version, w.token(total)), { version });
    expect(res.status, res.text).toBe(200);
    const [charge] = w.chargesFor(session.id);
    expect(charge).toMatchObject({ amount: total, currency: "gbp", status: "succeeded" });
    const [order] = w.ordersFor(session.id);
    expect(order.taxesIncluded).toBe(true);
    const t = orderTotals(order);
    expect(t.total).toBe(total);
    expect(t.tax).toBe(amount(session.totals, "tax"));
    expect(order.lineItems[0].taxLines).toEqual([expect.objectContaining({ rate: 0.2 })]);
    expect(order.transactions[0].amount).toBe(t.total);
  });
});

describe("discounts in a tax-inclusive shop", () => {
  it("the tax is on the discounted price, and the total is the discounted price plus shipping", async () => {
    const item = w.variantGid(2);
    const body = { currency: "gbp", capabilities: {}, line_items: [{ id: item, quantity: 3 }], buyer: { email: "ann@example.com" }, fulfillment_details: { name: "Ann Lee", email: "ann@example.com", address: ukAddress }, discounts: { codes: ["WELCOME10"] } };
    const res = await call(w.h.acp.handler, "/checkout_sessions", { key: w.key, body });
    expect(res.status, res.text).toBe(201);
    expectValidSession("2026-04-17", res.json);
    const gross = priceOf(item) * 3;
    const discount = Math.round(gross * 0.1);
    const shipping = amount(res.json.fulfillment_options.find((o: any) => o.id === res.json.selected_fulfillment_options[0].option_id).totals, "total");
    expect(amount(res.json.totals, "items_discount") + amount(res.json.totals, "discount")).toBe(discount);
    expect(amount(res.json.totals, "total")).toBe(gross - discount + shipping);
    expect(amount(res.json.totals, "tax")).toBe(vat(gross - discount) + vat(shipping));
  });
});

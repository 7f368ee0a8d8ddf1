// End to end against the Shopify simulator (sim/shopify) through the real adapters: nodes(ids:) for the
// catalog, draftOrderCalculate for pricing. Every official example request, both versions, Admin calls counted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import examples from "../../spec/acp/2026-04-17/examples/examples.agentic_checkout.json";
import multi from "../../spec/acp/2026-04-17/examples/examples.multi_item_checkout.json";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify/index";
import { createAdminClient, type AdminClient } from "../../app/shopify/admin-client";
import { call, harness } from "./harness";
import { expectSpecError, expectValidSession } from "./assertions";

let sim: ShopifySim;
let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let admin: AdminClient;
let socks: string; // in stock, $12.00
let tee: string; // in stock, $28.00
let soldOut: string; // DENY, 0 in stock

beforeAll(async () => {
  sim = await startShopifySim();
  admin = createAdminClient({ shop: DEMO_SHOP_DOMAIN, accessToken: sim.accessToken(DEMO_SHOP_DOMAIN), urlTemplate: sim.adminUrlTemplate });
  h = await harness({ adapters: undefined, adminFor: async () => admin });
  const { shop } = await h.addShop({ domain: DEMO_SHOP_DOMAIN });
  await h.db.shop.update({ where: { id: shop.id }, data: { selectionRule: "all" } });
  ({ key } = await h.db.agentApiKey.findFirstOrThrow({ where: { shopId: shop.id } }).then(async () => h.acp.keys.create(shop.id, "e2e")));
  const state = sim.shop(DEMO_SHOP_DOMAIN);
  const byTitle = (title: string) => [...state.products.values()].find((p) => p.title === title)!;
  const gid = (id: number) => `gid://shopify/ProductVariant/${id}`;
  socks = gid(byTitle("Liner Socks").variants[0].id);
  tee = gid(byTitle("Organic Cotton Logo Tee").variants[0].id);
  soldOut = gid(byTitle("Camp Lantern").variants[0].id);
});
afterAll(async () => {
  await h?.close();
  await sim?.stop();
});

/** The official example with its placeholder item ids swapped for real demo-shop variants. */
function withItems<T>(example: T): T {
  return JSON.parse(JSON.stringify(example).replaceAll('"item_123"', JSON.stringify(tee)).replaceAll('"item_456"', JSON.stringify(socks)));
}

async function counted<T>(run: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = admin.stats.calls;
  const result = await run();
  return { result, calls: admin.stats.calls - before };
}

const V = "2026-04-17";
const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };

describe("against the Shopify simulator", () => {
  it("official create/update/retrieve/cancel examples, priced by Shopify; Admin calls per operation", async () => {
    const created = await counted(() => call(h.acp.handler, "/checkout_sessions", { key, body: withItems(examples.create_checkout_session_request) }));
    expect(created.result.status).toBe(201);
    expectValidSession(V, created.result.json);
    const s = created.result.json;
    expect(s.line_items[0].unit_amount).toBe(2800);
    expect(s.status).toBe("ready_for_payment"); // CA address, Standard preselected, email in fulfillment_details
    expect(s.totals.find((t: any) => t.type === "tax").amount).toBeGreaterThan(0);
    expect(s.continue_url).toContain(`/cart/${tee.split("/").pop()}:1`);

    const update = await counted(() => call(h.acp.handler, `/checkout_sessions/${s.id}`, { key, body: { selected_fulfillment_options: [{ type: "shipping", option_id: s.fulfillment_options.find((o: any) => o.title === "Express").id, item_ids: [tee] }] } }));
    expectValidSession(V, update.result.json);
    expect(update.result.json.totals.find((t: any) => t.type === "fulfillment").amount).toBe(1500);

    const example = await call(h.acp.handler, `/checkout_sessions/${s.id}`, { key, body: withItems(examples.update_checkout_session_request) });
    expect(example.status, example.text).toBe(200);
    expectValidSession(V, example.json); // an option id that is not the store's → message, 2xx
    expect(example.json.messages[0].code).toBe("invalid");

    const got = await counted(() => call(h.acp.handler, `/checkout_sessions/${s.id}`, { key }));
    expectValidSession(V, got.result.json);
    const canceled = await call(h.acp.handler, `/checkout_sessions/${s.id}/cancel`, { key, body: examples.cancel_checkout_session_request });
    expectValidSession(V, canceled.json);
    expect(canceled.json.status).toBe("canceled");

    const noAddress = await counted(() => call(h.acp.handler, "/checkout_sessions", { key, body: withItems(examples.create_checkout_session_request_with_first_touch_attribution) }));
    expectValidSession(V, noAddress.result.json);
    const addAddress = await counted(() => call(h.acp.handler, `/checkout_sessions/${noAddress.result.json.id}`, { key, body: { fulfillment_details: { email: "ann@example.com", address } } }));
    expectValidSession(V, addAddress.result.json);
    expect(addAddress.result.json.status).toBe("ready_for_payment");
    const quantity = await counted(() => call(h.acp.handler, `/checkout_sessions/${noAddress.result.json.id}`, { key, body: { line_items: [{ id: tee, quantity: 3 }] } }));
    expectValidSession(V, quantity.result.json);
    const multiItem = await call(h.acp.handler, "/checkout_sessions", { key, body: withItems(multi.create_multi_item_checkout_request) });
    expectValidSession(V, multiItem.json);
    expect(multiItem.json.line_items).toHaveLength(2);

    const figures = { createWithAddress: created.calls, createWithoutAddress: noAddress.calls, updateOption: update.calls, updateFirstAddress: addAddress.calls, updateLines: quantity.calls, retrieve: got.calls };
    console.log(`admin calls per operation: ${JSON.stringify(figures)}`);
    expect(figures.retrieve).toBe(0);
    expect(figures.updateOption).toBe(1);
    expect(figures.createWithoutAddress).toBeLessThanOrEqual(2);
  });

  it("discount codes from Shopify: applied and rejected; out of stock and unknown variants", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: tee, quantity: 2 }, { id: soldOut }, { id: "gid://shopify/ProductVariant/999999999" }], discounts: { codes: ["WELCOME10", "EXPIRED20"] }, fulfillment_details: { email: "a@example.com", address } } });
    expect(res.status).toBe(201);
    expectValidSession(V, res.json);
    expect(res.json.discounts.applied.map((d: any) => d.code)).toEqual(["WELCOME10"]);
    expect(res.json.discounts.rejected.map((d: any) => d.code)).toEqual(["EXPIRED20"]);
    const codes = res.json.messages.map((m: any) => m.code);
    expect(codes).toEqual(expect.arrayContaining(["out_of_stock", "not_found", "discount_code_invalid"]));
    expect(res.json.status).toBe("not_ready_for_payment");
  });

  it("an address the store does not ship to → region_restricted", async () => {
    const res = await call(h.acp.handler, "/checkout_sessions", { key, body: { currency: "usd", capabilities: {}, line_items: [{ id: socks }], fulfillment_details: { email: "a@example.com", address: { ...address, country: "DE", state: "BE", postal_code: "10115" } } } });
    expectValidSession(V, res.json);
    expect(res.json.messages).toContainEqual(expect.objectContaining({ code: "region_restricted" }));
  });

  it("the 2025-09-29 flow: create → address → option → retrieve → cancel", async () => {
    const v = "2025-09-29" as const;
    const created = await call(h.acp.handler, "/checkout_sessions", { key, version: v, body: { items: [{ id: socks, quantity: 2 }], buyer: { first_name: "Ann", last_name: "Lee", email: "ann@example.com" } } });
    expectValidSession(v, created.json);
    const addressed = await call(h.acp.handler, `/checkout_sessions/${created.json.id}`, { key, version: v, body: { fulfillment_address: address } });
    expectValidSession(v, addressed.json);
    expect(addressed.json.status).toBe("ready_for_payment");
    const opt = await call(h.acp.handler, `/checkout_sessions/${created.json.id}`, { key, version: v, body: { fulfillment_option_id: addressed.json.fulfillment_options[1].id } });
    expectValidSession(v, opt.json);
    expectValidSession(v, (await call(h.acp.handler, `/checkout_sessions/${created.json.id}`, { key, version: v })).json);
    const canceled = await call(h.acp.handler, `/checkout_sessions/${created.json.id}/cancel`, { key, version: v, body: {} });
    expectValidSession(v, canceled.json);
    const again = await call(h.acp.handler, `/checkout_sessions/${created.json.id}/cancel`, { key, version: v, body: {} });
    expect(again.status).toBe(405);
    expectSpecError(again.json, v);
  });
});

// The /_sim control API (used by demos and other tools over HTTP).
import { describe, expect, it } from "vitest";
import { SHOP, client, useSim, variantGid } from "./helpers.js";

const { sim } = useSim();

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim().url}/_sim${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe("/_sim control API", () => {
  it("lists shops and adds one", async () => {
    const list = await call("GET", "/shops");
    expect(list.body[0]).toMatchObject({ domain: SHOP, products: 51, variants: 149, orders: 0 });
    const added = await call("POST", "/shops", { demo: true, domain: "second.myshopify.com", accessToken: "shpat_second" });
    expect(added.body).toMatchObject({ domain: "second.myshopify.com", accessToken: "shpat_second" });
    const gql = client(sim(), "second.myshopify.com", "shpat_second");
    expect((await gql("{ shop { myshopifyDomain } }")).body.data.shop.myshopifyDomain).toBe("second.myshopify.com");
  });

  it("merchant actions: price, inventory, product create/update/delete, order fulfil/refund/cancel, reset", async () => {
    const v = variantGid(sim(), "spork");
    const id = v.split("/").pop();
    expect((await call("POST", `/shops/${SHOP}/variants/${id}/price`, { price: "6.00" })).status).toBe(200);
    expect((await call("POST", `/shops/${SHOP}/variants/${v}/inventory`, { available: 7 })).status).toBe(200);
    expect(sim().variant(SHOP, v)!.price).toBe(600);
    expect(sim().inventory(SHOP, v, sim().shop().locations[0].id)).toBe(7);

    const created = await call("POST", `/shops/${SHOP}/products`, { title: "Camp Chair", price: "59.00", stock: 4, vendor: "Campfire Goods" });
    expect(created.body).toMatchObject({ title: "Camp Chair", handle: "camp-chair", variants: [{ price: "59.00", inventory_quantity: 4 }] });
    const upd = await call("PATCH", `/shops/${SHOP}/products/${created.body.id}`, { status: "DRAFT" });
    expect(upd.body.status).toBe("draft");
    expect((await call("DELETE", `/shops/${SHOP}/products/${created.body.admin_graphql_api_id}`)).body).toEqual({ ok: true });
    expect((await call("GET", `/shops/${SHOP}/products/${created.body.id}`)).status).toBe(400);

    const order = sim().createOrder(SHOP, { lineItems: [{ variantId: v, quantity: 2 }], transactions: [{ amountSet: { shopMoney: { amount: "12.00", currencyCode: "USD" } } }] });
    const fulfilled = await call("POST", `/shops/${SHOP}/orders/${order.id}/fulfill`, { trackingCompany: "UPS", trackingNumber: "1Z" });
    expect(fulfilled.body.fulfillment_status).toBe("fulfilled");
    const refunded = await call("POST", `/shops/${SHOP}/orders/${order.id}/refund`, { amount: "2.00", note: "n" });
    expect(refunded.body.financial_status).toBe("partially_refunded");
    const order2 = sim().createOrder(SHOP, { lineItems: [{ variantId: v, quantity: 1 }] });
    const cancelled = await call("POST", `/shops/${SHOP}/orders/gid://shopify/Order/${order2.id}/cancel`, { reason: "CUSTOMER" });
    expect(cancelled.body.cancel_reason).toBe("customer");
    expect((await call("GET", `/shops/${SHOP}/orders`)).body).toHaveLength(2);

    await call("POST", "/throttle", { shop: SHOP, maximumAvailable: 50, restoreRate: 5 });
    expect((await client(sim())("{ shop { name } }")).body.extensions.cost.throttleStatus.maximumAvailable).toBe(50);

    expect((await call("POST", "/reset")).body).toEqual({ ok: true });
    expect(sim().orders()).toHaveLength(0);
    expect(sim().variant(SHOP, v)!.price).toBe(450);
    expect(sim().listShops().map((s) => s.domain)).toEqual([SHOP]);
  });
});

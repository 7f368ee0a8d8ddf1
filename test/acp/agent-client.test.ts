// The agent client (sim/agent) over real HTTP against the app's handler and the Shopify simulator:
// create → update (address) → update (option) → retrieve → cancel, for each supported version.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startShopifySim, DEMO_SHOP_DOMAIN, type ShopifySim } from "../../sim/shopify/index";
import { createAdminClient } from "../../app/shopify/admin-client";
import { createAgentClient, shapes, type AcpVersion } from "../../sim/agent/client";
import { harness } from "./harness";
import { expectValidSession } from "./assertions";

let sim: ShopifySim;
let h: Awaited<ReturnType<typeof harness>>;
let server: Server;
let baseUrl: string;
let key: string;
let itemId: string;

/** Wraps the web-standard handler in node:http, as a deployed server would. */
function serve(handler: (r: Request) => Promise<Response>): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  sim = await startShopifySim();
  const admin = createAdminClient({ shop: DEMO_SHOP_DOMAIN, accessToken: sim.accessToken(DEMO_SHOP_DOMAIN), urlTemplate: sim.adminUrlTemplate });
  h = await harness({ adapters: undefined, adminFor: async () => admin });
  const { shop } = await h.addShop({ domain: DEMO_SHOP_DOMAIN, signatureSecret: "agent-signing-secret" });
  await h.db.shop.update({ where: { id: shop.id }, data: { selectionRule: "all" } });
  ({ key } = await h.acp.keys.create(shop.id, "agent"));
  h.now.value = new Date(); // signatures are checked against the server clock
  const state = sim.shop(DEMO_SHOP_DOMAIN);
  itemId = `gid://shopify/ProductVariant/${[...state.products.values()].find((p) => p.title === "Hiking Socks 3-Pack")!.variants[0].id}`;
  server = await serve(h.acp.handler);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acp`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await h?.close();
  await sim?.stop();
});

for (const version of ["2026-04-17", "2025-09-29"] as AcpVersion[]) {
  it(`agent flow over HTTP, ${version}, signed`, async () => {
    const agent = createAgentClient({ baseUrl, apiKey: key, version, signingSecret: "agent-signing-secret" });
    const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };
    const created = await agent.create(shapes.create(version, [{ id: itemId, quantity: 2 }], buyer));
    expect(created.status).toBe(201);
    expect(created.headers.get("request-id")).toBe(created.requestId);
    expectValidSession(version, created.body);
    const id = created.body.id as string;
    const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
    const addressed = await agent.update(id, shapes.address(version, address, buyer.email));
    expectValidSession(version, addressed.body);
    expect(addressed.body.status).toBe("ready_for_payment");
    const options = addressed.body.fulfillment_options as { id: string }[];
    const chosen = await agent.update(id, shapes.option(version, options[options.length - 1].id, [itemId]));
    expectValidSession(version, chosen.body);
    expectValidSession(version, (await agent.retrieve(id)).body);
    const completed = await agent.complete(id, shapes.complete(version, "spt_test"));
    expect(completed.status).toBe(200); // no Stripe key in this shop: the hand-off answer
    expectValidSession(version, completed.body);
    expect(completed.body.status).toBe(version === "2025-09-29" ? "not_ready_for_payment" : "requires_escalation");
    const canceled = await agent.cancel(id);
    expectValidSession(version, canceled.body);
    expect(canceled.body.status).toBe("canceled");
    const unsigned = await createAgentClient({ baseUrl, apiKey: key, version }).retrieve(id);
    expect(unsigned.status).toBe(401);
  });
}

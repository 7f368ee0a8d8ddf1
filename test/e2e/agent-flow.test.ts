// The agent client drives the demo the way ChatGPT does, for each supported ACP version:
// create → update (address) → update (shipping option) → retrieve → cancel. Every response validates against
// the official schema of its version, and its totals obey the spec's arithmetic.
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { createAgentClient, shapes, type AcpVersion } from "../../sim/agent/client";
import { freePort } from "../support/ports";
import { expectValidSession } from "../acp/assertions";

let stack: DemoStack;
let itemId: string;

beforeAll(async () => {
  stack = await startDemoStack({ port: await freePort(), build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), "demo-agent-")) });
  // An item from the published feed, as an agent would pick it: an active, stocked variant.
  const shop = stack.shopify.shop(stack.urls.shop);
  const variant = [...shop.products.values()]
    .filter((p) => p.status === "ACTIVE")
    .flatMap((p) => p.variants)
    .find((v) => stack.shopify.inventory(stack.urls.shop, v.id) > 10);
  itemId = `gid://shopify/ProductVariant/${variant!.id}`;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

describe.each(["2026-04-17", "2025-09-29"] as AcpVersion[])("ACP %s against the demo", (version) => {
  it("runs create → address → shipping option → retrieve → cancel with valid responses", async () => {
    const agent = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey, version });
    const adminCalls = () => stack.shopify.calls.filter((c) => c.shop === stack.urls.shop).length;

    let before = adminCalls();
    const created = await agent.create(shapes.create(version, [{ id: itemId, quantity: 2 }], buyer));
    expect(created.status).toBe(201);
    expectValidSession(version, created.body);
    expect(created.body.status).toBe("not_ready_for_payment");
    expect(adminCalls() - before).toBe(1); // priced live; the item came from the synced catalog
    const id = String(created.body.id);

    const addressed = await agent.update(id, shapes.address(version, address, buyer.email));
    expect(addressed.status).toBe(200);
    expectValidSession(version, addressed.body);
    const options = addressed.body.fulfillment_options as Array<{ id: string }>;
    expect(options.length).toBeGreaterThan(1);
    expect(addressed.body.status).toBe("ready_for_payment"); // the store's cheapest option is preselected

    before = adminCalls();
    const chosen = options[options.length - 1].id;
    const optioned = await agent.update(id, shapes.option(version, chosen, [itemId]));
    expect(optioned.status).toBe(200);
    expectValidSession(version, optioned.body);
    const selected = version === "2025-09-29" ? optioned.body.fulfillment_option_id : (optioned.body.selected_fulfillment_options as Array<{ option_id: string }>)[0].option_id;
    expect(selected).toBe(chosen);
    expect(adminCalls() - before).toBe(1);

    const retrieved = await agent.retrieve(id);
    expect(retrieved.status).toBe(200);
    expectValidSession(version, retrieved.body);
    expect(retrieved.body.totals).toEqual(optioned.body.totals);

    const canceled = await agent.cancel(id, version === "2025-09-29" ? {} : { intent_trace: { reason_code: "shipping_cost", trace_summary: "Shipping too expensive" } });
    expect(canceled.status).toBe(200);
    expectValidSession(version, canceled.body);
    expect(canceled.body.status).toBe("canceled");
    expect((await agent.cancel(id)).status).toBe(405);
  });
});

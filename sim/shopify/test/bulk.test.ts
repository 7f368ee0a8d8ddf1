// bulkOperationRunQuery end to end: validation, async completion, JSONL with __parentId, served URL,
// node()/bulkOperation()/currentBulkOperation polling and the bulk_operations/finish webhook.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ShopifySim } from "../index.js";
import { client, SHOP, startSim } from "./helpers.js";

let sim: ShopifySim;
let gql: ReturnType<typeof client>;
let receiver: Server;
const hooks: Array<{ topic: string; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      hooks.push({ topic: String(req.headers["x-shopify-topic"]), body: JSON.parse(raw) });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const uri = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  sim = await startSim({ webhooks: { secret: "s", subscriptions: [{ topic: "bulk_operations/finish", uri }] } });
  gql = client(sim);
});
afterAll(async () => {
  await sim.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const RUN = `mutation Bulk($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query Poll($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt } } }`;

describe("bulk operations", () => {
  it("rejects queries without connections or nested too deep", async () => {
    const none = await gql(RUN, { q: "{ shop { name } }" });
    expect(none.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID", message: "Bulk queries must contain at least one connection." });
    const deep = await gql(RUN, { q: "{ products { edges { node { collections { edges { node { products { edges { node { id } } } } } } } } } }" });
    expect(deep.body.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/nesting depth/);
    const bad = await gql(RUN, { q: "{ products { edges { node { titel } } } }" });
    expect(bad.body.data.bulkOperationRunQuery.userErrors[0].message).toBe("Invalid bulk query: Field 'titel' doesn't exist on type 'Product'");
  });

  it("runs products + variants to JSONL with __parentId and serves the file", async () => {
    const q = `{ products(query: "status:active") { edges { node { id title variants { edges { node { id sku price inventoryItem { id } } } } } } } }`;
    const started = await gql(RUN, { q });
    const op = started.body.data.bulkOperationRunQuery.bulkOperation;
    expect(op.status).toBe("CREATED");
    expect(op.id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    const busy = await gql(RUN, { q });
    expect(busy.body.data.bulkOperationRunQuery.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");

    await sim.waitForBulkOperations();
    const polled = (await gql(POLL, { id: op.id })).body.data.node;
    const active = [...sim.shop().products.values()].filter((p) => p.status === "ACTIVE");
    const variants = active.reduce((a, p) => a + p.variants.length, 0);
    expect(polled).toMatchObject({ id: op.id, status: "COMPLETED", errorCode: null, rootObjectCount: String(active.length), objectCount: String(active.length + variants), partialDataUrl: null });
    expect(polled.completedAt).toBeTruthy();
    expect(Number(polled.fileSize)).toBeGreaterThan(0);
    expect(polled.url).toMatch(new RegExp(`^${sim.url}/_files/bulk/[0-9a-f]+\\.jsonl$`));

    const res = await fetch(polled.url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(Number(polled.fileSize));
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(active.length + variants);
    const first = active[0];
    expect(lines[0]).toEqual({ id: `gid://shopify/Product/${first.id}`, title: first.title });
    expect(lines[1]).toEqual({ id: `gid://shopify/ProductVariant/${first.variants[0].id}`, sku: first.variants[0].sku, price: "129.00", inventoryItem: { id: `gid://shopify/InventoryItem/${first.variants[0].inventoryItem.id}` }, __parentId: `gid://shopify/Product/${first.id}` });
    const parents = new Set(lines.filter((l) => !l.__parentId).map((l) => l.id));
    expect(lines.filter((l) => l.__parentId).every((l) => parents.has(l.__parentId))).toBe(true);

    const again = await gql(`query B($id: ID!) { bulkOperation(id: $id) { status } currentBulkOperation { id status } }`, { id: op.id });
    expect(again.body.data).toEqual({ bulkOperation: { status: "COMPLETED" }, currentBulkOperation: { id: op.id, status: "COMPLETED" } });

    await sim.waitForWebhookDeliveries();
    expect(hooks.find((h) => h.topic === "bulk_operations/finish")!.body).toMatchObject({ admin_graphql_api_id: op.id, status: "completed", error_code: null, type: "query" });
  });

  it("fails loudly (FAILED) when the bulk query uses an unimplemented field", async () => {
    const started = await gql(RUN, { q: "{ products { edges { node { id resourcePublicationsCount { count } } } } }" });
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
    await sim.waitForBulkOperations();
    const polled = (await gql(POLL, { id })).body.data.node;
    expect(polled).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
  });

  it("flattens nodes-style connections too", async () => {
    const started = await gql(RUN, { q: "{ collections { nodes { id handle products { nodes { id } } } } }" });
    await sim.waitForBulkOperations();
    const polled = (await gql(POLL, { id: started.body.data.bulkOperationRunQuery.bulkOperation.id })).body.data.node;
    const lines = (await (await fetch(polled.url)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ handle: "rain-gear" });
    expect(lines[1].__parentId).toBe(lines[0].id);
    expect(lines.filter((l) => !l.__parentId)).toHaveLength(sim.shop(SHOP).collections.size);
  });
});

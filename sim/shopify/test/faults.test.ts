// Fault injection: 5xx, latency, THROTTLED, timeouts, "run but drop the response" for orderCreate, dropped and
// duplicated webhooks, scoping by operation, the /_sim/faults control endpoint, and determinism by seed.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ShopifySim } from "../index.js";
import { FaultInjector } from "../faults.js";
import { client, SHOP, startSim, variantGid } from "./helpers.js";

const SHOP_QUERY = "query ShopName { shop { name } }";
const ORDER_CREATE = `mutation AgentOrderCreate($order: OrderCreateOrderInput!) { orderCreate(order: $order) { order { id sourceIdentifier } userErrors { field message } } }`;

let sim: ShopifySim;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ topic: string; webhookId: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push({ topic: String(req.headers["x-shopify-topic"]), webhookId: String(req.headers["x-shopify-webhook-id"]) });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
  sim = await startSim({ webhooks: { secret: "s", subscriptions: [{ topic: "orders/create", uri: receiverUrl }] } });
});
afterAll(async () => {
  await sim?.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});
afterEach(async () => {
  sim.setFaults(null);
  await sim.waitForWebhookDeliveries();
  received.length = 0;
});

const orderInput = (sourceIdentifier: string) => ({
  order: { currency: "USD", lineItems: [{ variantId: variantGid(sim, "titanium-mug-450ml"), quantity: 1 }], sourceIdentifier, financialStatus: "PAID" },
});
const ordersFor = (sourceIdentifier: string) => sim.orders(SHOP).filter((o) => o.sourceIdentifier === sourceIdentifier);

describe("request faults", () => {
  it("errorNext answers the chosen 5xx status and runs nothing", async () => {
    sim.setFaults({ rules: [{ errorNext: 3, errorStatuses: [502] }] });
    const gql = client(sim);
    const before = sim.calls.length;
    for (let i = 0; i < 3; i++) expect((await gql(SHOP_QUERY)).status).toBe(502);
    expect(sim.calls.length).toBe(before); // nothing executed
    const ok = await gql(SHOP_QUERY);
    expect(ok.status).toBe(200);
    expect(ok.body.data.shop.name).toBeTruthy();
    expect(sim.faultCounts().errors).toBeGreaterThanOrEqual(3);
  });

  it("errorRate hits roughly that share of requests, from 500/502/503", async () => {
    sim.setFaults({ seed: 7, rules: [{ errorRate: 0.3 }] });
    const gql = client(sim);
    const statuses = await Promise.all(Array.from({ length: 200 }, () => gql(SHOP_QUERY).then((r) => r.status)));
    const failed = statuses.filter((s) => s !== 200);
    expect(failed.length).toBeGreaterThan(30);
    expect(failed.length).toBeLessThan(90);
    expect(new Set(failed)).toEqual(new Set([500, 502, 503]));
  });

  it("the same seed gives the same decisions", () => {
    const a = new FaultInjector();
    const b = new FaultInjector();
    a.set({ seed: 42, rules: [{ errorRate: 0.5, throttleRate: 0.2 }] });
    b.set({ seed: 42, rules: [{ errorRate: 0.5, throttleRate: 0.2 }] });
    const seq = (f: FaultInjector) => Array.from({ length: 50 }, () => f.forRequest(SHOP_QUERY).kind).join(",");
    expect(seq(a)).toBe(seq(b));
    expect(seq(a)).toMatch(/error/);
  });

  it("latency delays the answer (the added ms are what the rule says)", async () => {
    sim.setFaults({ rules: [{ latencyMs: 120 }] });
    const fault = sim.faults.forRequest(SHOP_QUERY);
    expect(fault).toEqual({ kind: "none", latencyMs: 120 });
    const res = await client(sim)(SHOP_QUERY);
    expect(res.status).toBe(200);
    expect(sim.faultCounts().latency).toBeGreaterThanOrEqual(2);
  });

  it("throttleNext answers Shopify's THROTTLED shape with an empty bucket, then runs again", async () => {
    sim.setFaults({ rules: [{ throttleNext: 2 }] });
    const gql = client(sim);
    for (let i = 0; i < 2; i++) {
      const res = await gql(SHOP_QUERY);
      expect(res.status).toBe(200);
      expect(res.body.errors[0].extensions.code).toBe("THROTTLED");
      expect(res.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
      expect(res.body.data).toBeUndefined();
    }
    expect((await gql(SHOP_QUERY)).body.data.shop).toBeTruthy();
  });

  it("timeoutNext holds the connection until the client gives up, and nothing runs", async () => {
    sim.setFaults({ rules: [{ timeoutNext: 1, holdMs: 60_000 }] });
    const before = sim.calls.length;
    const error = await fetch(sim.graphqlUrl(SHOP), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": sim.accessToken(SHOP) },
      body: JSON.stringify({ query: SHOP_QUERY }),
      signal: AbortSignal.timeout(200),
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.name).toBe("TimeoutError");
    expect(sim.calls.length).toBe(before);
    expect(sim.faultCounts().timeouts).toBeGreaterThanOrEqual(1);
  });

  it("a timeout whose hold ends first cuts the connection (the client sees a network error)", async () => {
    sim.setFaults({ rules: [{ timeoutNext: 1, holdMs: 50 }] });
    await expect(client(sim)(SHOP_QUERY)).rejects.toThrow();
  });

  it("dropResponseNext on orderCreate: the order exists, the caller gets no answer", async () => {
    sim.setFaults({ rules: [{ operations: ["orderCreate"], dropResponseNext: 1 }] });
    const gql = client(sim);
    await expect(gql(ORDER_CREATE, orderInput("drop-1"))).rejects.toThrow();
    expect(ordersFor("drop-1")).toHaveLength(1);
    // Scoped: queries are untouched, and the next orderCreate answers.
    expect((await gql(SHOP_QUERY)).status).toBe(200);
    const second = await gql(ORDER_CREATE, orderInput("drop-2"));
    expect(second.body.data.orderCreate.order.sourceIdentifier).toBe("drop-2");
    expect(sim.faultCounts().droppedResponses).toBeGreaterThanOrEqual(1);
  });

  it("rules are scoped by operation name or root field; unscoped rules hit everything", async () => {
    sim.setFaults({ rules: [{ operations: ["AgentOrderCreate"], errorRate: 1 }] });
    const gql = client(sim);
    expect((await gql(SHOP_QUERY)).status).toBe(200);
    expect((await gql(ORDER_CREATE, orderInput("scoped-1"))).status).toBeGreaterThanOrEqual(500);
    expect(ordersFor("scoped-1")).toHaveLength(0);
    sim.setFaults({ rules: [{ operations: ["shop"], errorRate: 1 }] });
    expect((await gql(SHOP_QUERY)).status).toBeGreaterThanOrEqual(500);
    expect((await gql(ORDER_CREATE, orderInput("scoped-2"))).status).toBe(200);
  });
});

describe("webhook faults", () => {
  it("dropNext: the webhook is never sent and the delivery says why", async () => {
    sim.setFaults({ webhooks: { dropNext: 1 } });
    await client(sim)(ORDER_CREATE, orderInput("wh-drop"));
    await sim.waitForWebhookDeliveries();
    expect(received.filter((r) => r.topic === "orders/create")).toHaveLength(0);
    const d = sim.webhookDeliveries.filter((x) => (x.payload as { source_identifier?: string }).source_identifier === "wh-drop");
    expect(d).toHaveLength(1);
    expect(d[0].ok).toBe(false);
    expect(d[0].error).toBe("dropped by fault injection");
  });

  it("duplicateNext: the same webhook (same id) arrives twice", async () => {
    sim.setFaults({ webhooks: { duplicateNext: 1 } });
    await client(sim)(ORDER_CREATE, orderInput("wh-dup"));
    await sim.waitForWebhookDeliveries();
    const got = received.filter((r) => r.topic === "orders/create");
    expect(got).toHaveLength(2);
    expect(got[0].webhookId).toBe(got[1].webhookId);
  });

  it("topics scope webhook faults", async () => {
    sim.setFaults({ webhooks: { topics: ["products/update"], dropRate: 1 } });
    await client(sim)(ORDER_CREATE, orderInput("wh-scope"));
    await sim.waitForWebhookDeliveries();
    expect(received.filter((r) => r.topic === "orders/create")).toHaveLength(1);
  });
});

describe("control endpoint", () => {
  it("PUT /_sim/faults sets, GET reads config and counts, DELETE turns faults off", async () => {
    const put = await fetch(`${sim.url}/_sim/faults`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules: [{ errorNext: 1, errorStatuses: [503] }] }) });
    expect(put.status).toBe(200);
    expect((await client(sim)(SHOP_QUERY)).status).toBe(503);
    const got = (await (await fetch(`${sim.url}/_sim/faults`)).json()) as { faults: { rules: unknown[] }; counts: { errors: number } };
    expect(got.faults.rules).toHaveLength(1);
    expect(got.counts.errors).toBeGreaterThanOrEqual(1);
    await fetch(`${sim.url}/_sim/faults`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules: [{ errorRate: 1 }] }) });
    expect((await client(sim)(SHOP_QUERY)).status).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" })).status).toBe(200);
    expect((await client(sim)(SHOP_QUERY)).status).toBe(200);
  });
});

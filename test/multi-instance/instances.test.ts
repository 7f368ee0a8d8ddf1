// App processes (the production build) on one PostgreSQL database, against the stand-ins: what must hold when a
// load balancer spreads agents over instances. Requests go to instances A and B; C is there so that, when A dies
// mid-complete, two survivors race to recover it. Skipped, with the reason printed, when PostgreSQL is absent.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient, shapes } from "../../sim/agent/client";
import { createAgentKeyRepository } from "../../app/db/agent-keys.server";
import { enqueue } from "../../app/jobs/outbox.server";
import { ORDER_EVENT } from "../../app/orders/order-events.server";
import { encryptSecret } from "../../app/security/secrets.server";
import { shopSecret } from "../../app/security/encrypted-columns.server";
import { postgresAbsent, scratchDatabase } from "./postgres";
import { CLUSTER_SHOP, startCluster, type Cluster } from "./cluster";

const absent = await postgresAbsent();
if (absent) console.warn(absent);

const V = "2026-04-17";
const ADDRESS = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const BUYER = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };
/** Per agent key: a burst of 60, then 1 a second (each scenario uses its own key). */
const KEY_LIMIT = { capacity: 60, refillPerSecond: 1 };

describe.skipIf(absent !== null)("instances on one PostgreSQL database", () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let c: Cluster;
  let receiver: Server;
  const received: Array<{ id: string; body: Record<string, unknown> }> = [];

  beforeAll(async () => {
    database = await scratchDatabase();
    receiver = createServer((req, res) => {
      let raw = "";
      req.on("data", (d: Buffer) => (raw += d));
      req.on("end", () => {
        received.push({ id: String(req.headers["request-id"]), body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    c = await startCluster({
      databaseUrl: database.url,
      instances: 3,
      env: {
        ACP_RATE_LIMIT: `${KEY_LIMIT.capacity}/${KEY_LIMIT.refillPerSecond}`,
        ACP_SHOP_RATE_LIMIT: "100000/100000",
        // A completion's lock is trusted 4 s (then recovery on any instance may take it over), recovery runs every second.
        COMPLETION_LOCK_MS: "4000",
        CHECKOUT_RECOVERY_INTERVAL_MS: "1000",
      },
    });
    await c.db.shop.update({
      where: { id: c.shopId },
      data: {
        orderWebhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
        orderWebhookSecretEnc: encryptSecret("whsec_multi_instance_test", shopSecret("orderWebhookSecretEnc", c.shopId)),
      },
    });
  }, 180_000);

  afterAll(async () => {
    await c?.stop();
    await new Promise((r) => receiver?.close(r));
    await database?.drop();
  });

  async function agentOn(instance: number, name: string) {
    const { key } = await createAgentKeyRepository(c.db).create(c.shopId, name);
    return { key, client: (i = instance) => createAgentClient({ baseUrl: `${c.instances[i].url}/acp`, apiKey: key, version: V }) };
  }

  function sellable(): string {
    const variant = [...c.shopify.shop(CLUSTER_SHOP).products.values()]
      .filter((p) => p.status === "ACTIVE")
      .flatMap((p) => p.variants)
      .find((v) => v.price >= 1000 && c.shopify.inventory(CLUSTER_SHOP, v.id) >= 50);
    if (!variant) throw new Error("no sellable variant");
    return `gid://shopify/ProductVariant/${variant.id}`;
  }

  async function readySession(client: ReturnType<typeof createAgentClient>) {
    const res = await client.create({ ...shapes.create(V, [{ id: sellable(), quantity: 1 }], BUYER), fulfillment_details: { name: ADDRESS.name, email: BUYER.email, address: ADDRESS } });
    expect(res.status, `${JSON.stringify(res.body)}\n${c.instances.map((x) => x.output().slice(-3000)).join("\n---\n")}`).toBe(201);
    expect(res.body.status).toBe("ready_for_payment");
    const total = (res.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
    return { id: String(res.body.id), token: c.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: total }).id };
  }

  const chargesFor = (id: string) => c.stripe.ledger().paymentIntents.filter((p) => p.metadata.checkout_session_id === id && p.status === "succeeded");
  const ordersFor = (id: string) => c.shopify.orders(CLUSTER_SHOP).filter((o) => o.sourceIdentifier === id);
  const statusOf = async (id: string) => (await c.db.checkoutSession.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

  it("fifty concurrent completes of one session, spread over both instances: one charge, one order", async () => {
    const agent = await agentOn(0, "concurrent completes");
    const session = await readySession(agent.client());
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => agent.client(i % 2).complete(session.id, shapes.complete(V, session.token))));
    const byStatus = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    // No 5xx; the losers are told the session is being completed (409) or see it completed.
    expect(answers.filter((a) => a.status >= 500), JSON.stringify(byStatus)).toEqual([]);
    expect(answers.filter((a) => a.status === 200 && a.body.status === "completed").length).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toMatch(/^(checkout_in_progress|idempotency_in_flight)$/);
    expect(chargesFor(session.id)).toHaveLength(1);
    expect(ordersFor(session.id)).toHaveLength(1);
    expect(await statusOf(session.id)).toBe("completed");
    expect(await c.db.agentOrder.count({ where: { checkoutSessionId: session.id } })).toBe(1);
  }, 120_000);

  it("the per-key rate limit is one budget across instances: accepted requests stay within it", async () => {
    const agent = await agentOn(0, "rate limited");
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => agent.client(i % 2).retrieve("cs_does_not_exist")));
    const elapsedS = (Date.now() - started) / 1000;
    const accepted = answers.filter((a) => a.status !== 429);
    const refusedOn = new Set(answers.map((a, i) => (a.status === 429 ? i % 2 : -1)).filter((x) => x >= 0));
    // The burst, plus what the steady rate refilled while the requests ran (one window more for its edge).
    expect(accepted.length).toBeLessThanOrEqual(KEY_LIMIT.capacity + Math.ceil(elapsedS + 1) * KEY_LIMIT.refillPerSecond);
    expect(accepted.length).toBeGreaterThanOrEqual(KEY_LIMIT.capacity - 2); // two memory budgets would accept 2 × 60
    expect(accepted.every((a) => a.status === 404)).toBe(true);
    expect([...refusedOn].sort()).toEqual([0, 1]); // both instances refuse once the shared budget is spent
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.body.type).toBeDefined();
  }, 60_000);

  it("every order event is delivered exactly once, in order per order, with three instances' workers running", async () => {
    // Real events from completes on both instances, and a backlog of 300 events over 30 orders written at once.
    const agent = await agentOn(0, "order events");
    const sessions = await Promise.all([0, 1, 0, 1].map(async (i) => ({ i, ...(await readySession(agent.client(i))) })));
    for (const s of sessions) expect((await agent.client(s.i).complete(s.id, shapes.complete(V, s.token))).body.status).toBe("completed");
    const base = Date.now();
    for (let n = 0; n < 300; n++) {
      await enqueue(c.db, { shopId: c.shopId, type: ORDER_EVENT, aggregateId: `bulk-order-${n % 30}`, payload: { body: { type: "test.event", order: n % 30, seq: Math.floor(n / 30) } } }, new Date(base + n));
    }
    const deadline = Date.now() + 60_000;
    let pending = Infinity;
    while (Date.now() < deadline && pending > 0) {
      await new Promise((r) => setTimeout(r, 250));
      pending = await c.db.outboxEvent.count({ where: { type: ORDER_EVENT, deliveredAt: null, deadAt: null } });
    }
    expect(pending).toBe(0);
    const events = await c.db.outboxEvent.findMany({ where: { type: ORDER_EVENT }, select: { id: true, deadAt: true, attempts: true } });
    expect(events.length).toBeGreaterThanOrEqual(304);
    expect(events.filter((e) => e.deadAt)).toEqual([]);
    const ids = received.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length); // nothing delivered twice
    expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id))); // nothing lost
    for (let order = 0; order < 30; order++) {
      const seqs = received.filter((r) => r.body.type === "test.event" && r.body.order === order).map((r) => r.body.seq);
      expect(seqs).toEqual([...Array(10).keys()]);
    }
  }, 120_000);

  it("a price change A received and an opt-out made through A reach B at once: the feed and the checkout B serves", async () => {
    const agent = await agentOn(1, "catalog changes");
    const item = sellable();
    const variantId = item.split("/").pop()!;
    const productId = c.shopify.variant(CLUSTER_SHOP, variantId)!.productId;
    // Shopify tells A (its webhooks go there); B's next feed read has the new price.
    c.shopify.setVariantPrice(CLUSTER_SHOP, variantId, "987.65");
    await c.shopify.waitForWebhookDeliveries();
    const deadline = Date.now() + 10_000;
    const feedLine = async () => {
      const res = await fetch(`${c.instances[1].url}${c.feedUrl}`);
      const text = new TextDecoder().decode(gunzipSync(Buffer.from(await res.arrayBuffer())));
      return text.split("\n").find((l) => l.includes(`"${item}"`) || l.includes(`/${variantId}"`)) ?? "";
    };
    let line = await feedLine();
    while (Date.now() < deadline && !line.includes("987.65")) line = (await new Promise((r) => setTimeout(r, 200)), await feedLine());
    expect(line).toContain("987.65");
    // The merchant excludes the product (the admin writes its choice); B refuses to sell it on the next request.
    await c.db.productSelection.upsert({
      where: { shopId_productId: { shopId: c.shopId, productId: `gid://shopify/Product/${productId}` } },
      create: { shopId: c.shopId, productId: `gid://shopify/Product/${productId}`, included: false },
      update: { included: false },
    });
    const res = await agent.client(1).create({ ...shapes.create(V, [{ id: item, quantity: 1 }], BUYER), fulfillment_details: { name: ADDRESS.name, email: BUYER.email, address: ADDRESS } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ type: "invalid_request", code: "invalid_item_id", param: "$.line_items[0].id" });
    await c.db.productSelection.deleteMany({ where: { shopId: c.shopId } });
  }, 60_000);

  it("instance A killed (SIGKILL) inside a complete: B and C both run recovery, one of them finishes it; one charge, one order", async () => {
    const agent = await agentOn(0, "killed mid-complete");
    const session = await readySession(agent.client(0));
    // orderCreate waits 20 s at Shopify: A has charged and is waiting for the order when it dies.
    c.shopify.setFaults({ rules: [{ operations: ["orderCreate"], latencyMs: 20_000 }] });
    try {
      const inFlight = agent.client(0).complete(session.id, shapes.complete(V, session.token)).catch(() => null);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && chargesFor(session.id).length === 0) await new Promise((r) => setTimeout(r, 50));
      expect(chargesFor(session.id)).toHaveLength(1);
      await c.instances[0].kill();
      await inFlight;
      expect(await statusOf(session.id)).toBe("complete_in_progress");
    } finally {
      c.shopify.setFaults(null);
    }
    // B's and C's recovery passes (every second each) race for the session once A's lock lapses (4 s); the
    // revision-checked takeover lets one carry it on from its durable step.
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && (await statusOf(session.id)) === "complete_in_progress") await new Promise((r) => setTimeout(r, 250));
    expect(await statusOf(session.id)).toBe("completed");
    expect(chargesFor(session.id)).toHaveLength(1);
    expect(ordersFor(session.id)).toHaveLength(1);
    expect(c.instances[1].alive() && c.instances[2].alive()).toBe(true);
    // B answers the agent with the completed session.
    const retrieved = await agent.client(1).retrieve(session.id);
    expect(retrieved.body.status).toBe("completed");
    expect(await c.db.checkoutSession.count({ where: { status: "complete_in_progress" } })).toBe(0);
  }, 120_000);
});

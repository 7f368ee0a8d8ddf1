// Issue 12, item 8: "the database must not grow without bound under agent traffic". The attacker here is just
// traffic — agents opening sessions with buyer details forever, Shopify retrying webhooks, a push endpoint failing
// every hour. Real SQLite, real ACP handler, real retention job; the clock is injected.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import examples from "../../spec/acp/2026-04-17/examples/examples.agentic_checkout.json";
import { freshDb } from "../support/db";
import { call, harness } from "../acp/harness";
import { createRetention, DEFAULT_RETENTION, retentionPolicyFromEnv } from "../../app/jobs/retention.server";
import { agentOrderDetail } from "../../app/admin/orders.server";
import { rawSql } from "../../app/db/sql.server";

const DAY = 86_400_000;
const NOW = new Date("2026-12-01T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

/** A session state with buyer data, as the checkout service stores it. */
function state(id: string, shopId: string, i: number) {
  return JSON.stringify({
    id,
    shopId,
    apiVersion: "2026-04-17",
    status: "canceled",
    currency: "usd",
    requestedLines: [{ itemId: "item_123", quantity: 1 }],
    lines: [{ id: "line_1", itemId: "item_123", name: "Trail Mug", quantity: 1, unitAmount: 1500, total: 1500 }],
    buyer: { firstName: "Ada", lastName: `Buyer${i}`, email: `buyer${i}@example.com`, phoneNumber: "+15551234567" },
    fulfillmentDetails: { name: `Ada Buyer${i}`, email: `buyer${i}@example.com`, address: { name: `Ada Buyer${i}`, lineOne: `${i} Main Street`, city: "Springfield", state: "IL", country: "US", postalCode: "62704" } },
    fulfillmentOptions: [{ id: "ship_standard", title: "Standard", amount: 500 }],
    totals: { subtotal: 1500, discount: 0, fulfillment: 500, tax: 150, total: 2150 },
    messages: [{ type: "info", content: "Ships in 2 days" }],
    links: [],
    discountCodes: [],
    appliedDiscounts: [],
    rejectedDiscounts: [],
    interventionsSupported: [],
    continueUrl: `https://shop.example/cart/123:1?checkout[email]=buyer${i}%40example.com`,
    createdAt: "",
    updatedAt: "",
    expiresAt: "",
    revision: 1,
  });
}

describe("a backlog of old rows", () => {
  const t = freshDb();
  const shopId = "shop_retention";
  afterAll(() => t.close());

  // Seeding SQL for SQLite and PostgreSQL alike: `?` numbered per database, the row number cast to text.
  const exec = (sql: string, ...args: unknown[]) => rawSql(t.db).execute(sql, ...args);
  const seq = (n: number) => `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`;
  async function seedSessions(prefix: string, n: number, createdAt: Date) {
    // One statement per block; the state text is built in SQL from a template with the row number in it.
    const template = state("__ID__", shopId, 0).replaceAll("Buyer0", "Buyer__I__").replaceAll("buyer0", "buyer__I__").replaceAll('"0 Main', '"__I__ Main');
    await exec(
      `${seq(n)} INSERT INTO "CheckoutSession" ("id", "shopId", "apiVersion", "status", "currency", "stateJson", "totalMinor", "revision", "createdAt", "updatedAt", "expiresAt")
       SELECT '${prefix}' || i, ?, '2026-04-17', 'canceled', 'usd', replace(replace(CAST(? AS TEXT), '__ID__', '${prefix}' || i), '__I__', CAST(i AS TEXT)), 2150, 1, ?, ?, ? FROM seq`,
      shopId,
      template,
      createdAt,
      createdAt,
      new Date(createdAt.getTime() + 6 * 3_600_000),
    );
  }

  const pg = t.provider === "postgres";
  const lpad5 = (i: string) => (pg ? `'run_' || lpad(CAST(${i} AS TEXT), 5, '0')` : `printf('run_%05d', ${i})`);
  // FeedRun.startedAt: `base` plus i minutes, in each database's DateTime form.
  const plusMinutes = (base: string, i: string) => (pg ? `CAST(${base} AS TIMESTAMP) + ${i} * INTERVAL '1 minute'` : `datetime(${base}, '+' || ${i} || ' minutes')`);
  const minutesBase = (d: Date) => (pg ? d.toISOString() : d.toISOString().slice(0, 19).replace("T", " "));

  beforeAll(async () => {
    await t.db.shop.create({ data: { id: shopId, domain: "retention.myshopify.com" } });
    await seedSessions("cs_ancient_", 6000, daysAgo(100)); // no order, past 90 days: deleted
    await seedSessions("cs_old_", 3000, daysAgo(45)); // no order, past 30 days: anonymised, kept
    await seedSessions("cs_ordered_", 1000, daysAgo(120)); // made an order: anonymised, kept
    await seedSessions("cs_recent_", 500, daysAgo(1)); // recent: untouched
    await exec(
      `${seq(1000)} INSERT INTO "AgentOrder" ("id", "shopId", "checkoutSessionId", "shopifyOrderId", "orderName", "statusUrl", "totalMinor", "currency", "createdAt", "updatedAt")
       SELECT 'ao_' || i, ?, 'cs_ordered_' || i, 'gid://shopify/Order/' || i, '#' || (1000 + i), 'https://shop.example/s', 2150, 'usd', ?, ? FROM seq`,
      shopId,
      daysAgo(120),
      daysAgo(120),
    );
    // Two delivered events per old order (the older one goes, the newest stays), 3,000 old unattached ones, recent ones.
    for (const [suffix, at] of [["a", daysAgo(119)], ["b", daysAgo(118)]] as const) {
      await exec(
        `${seq(1000)} INSERT INTO "OutboxEvent" ("id", "shopId", "type", "aggregateId", "payloadJson", "attempts", "nextAttemptAt", "deliveredAt", "createdAt")
         SELECT 'ev_${suffix}_' || i, ?, 'order_event', 'ao_' || i, '{"body":{"type":"order_update","data":{"status":"confirmed"}}}', 1, ?, ?, ? FROM seq`,
        shopId, at, at, at,
      );
    }
    await exec(
      `${seq(3000)} INSERT INTO "OutboxEvent" ("id", "shopId", "type", "payloadJson", "attempts", "nextAttemptAt", "deliveredAt", "createdAt") SELECT 'ev_loose_' || i, ?, 'x', '{}', 1, ?, ?, ? FROM seq`,
      shopId, daysAgo(40), daysAgo(40), daysAgo(40),
    );
    await exec(
      `${seq(600)} INSERT INTO "OutboxEvent" ("id", "shopId", "type", "payloadJson", "attempts", "nextAttemptAt", "deadAt", "createdAt") SELECT 'ev_dead_' || i, ?, 'x', '{}', 10, ?, ?, ? FROM seq`,
      shopId, daysAgo(100), daysAgo(100), daysAgo(100),
    );
    await exec(
      `${seq(200)} INSERT INTO "OutboxEvent" ("id", "shopId", "type", "payloadJson", "attempts", "nextAttemptAt", "deliveredAt", "createdAt") SELECT 'ev_new_' || i, ?, 'x', '{}', 1, ?, ?, ? FROM seq`,
      shopId, daysAgo(2), daysAgo(2), daysAgo(2),
    );
    await exec(`${seq(5000)} INSERT INTO "WebhookReceipt" ("webhookId", "shopDomain", "topic", "receivedAt") SELECT 'wh_old_' || i, 'retention.myshopify.com', 'orders/updated', ? FROM seq`, daysAgo(10));
    await exec(`${seq(100)} INSERT INTO "WebhookReceipt" ("webhookId", "shopDomain", "topic", "receivedAt") SELECT 'wh_new_' || i, 'retention.myshopify.com', 'orders/updated', ? FROM seq`, daysAgo(1));
    // A push endpoint failing every few minutes for weeks, and one successful full sync long ago.
    await exec(
      `${seq(3000)} INSERT INTO "FeedRun" ("id", "shopId", "kind", "status", "error", "startedAt", "finishedAt") SELECT ${lpad5("i")}, ?, 'push', 'failed', 'http_5xx: The endpoint had a server error (HTTP 503).', ${plusMinutes("?", "i")}, NULL FROM seq`,
      shopId, minutesBase(daysAgo(30)),
    );
    await t.db.feedRun.create({ data: { id: "run_sync_ok", shopId, kind: "full_sync", status: "succeeded", startedAt: daysAgo(60), finishedAt: daysAgo(60) } });
    await t.db.feedRun.create({ data: { id: "run_sync_failed", shopId, kind: "full_sync", status: "failed", startedAt: daysAgo(1) } });
    await exec(
      `${seq(5000)} INSERT INTO "IdempotencyRecord" ("id", "shopId", "scope", "key", "fingerprint", "state", "responseStatus", "responseBody", "createdAt", "expiresAt")
       SELECT 'idem_old_' || i, ?, 'POST /checkout_sessions', 'k_old_' || i, 'f', 'completed', 201, '{"buyer":{"email":"x@example.com"}}', ?, ? FROM seq`,
      shopId, daysAgo(3), daysAgo(2),
    );
    await exec(
      `${seq(100)} INSERT INTO "IdempotencyRecord" ("id", "shopId", "scope", "key", "fingerprint", "state", "createdAt", "expiresAt") SELECT 'idem_new_' || i, ?, 'POST /checkout_sessions', 'k_new_' || i, 'f', 'completed', ?, ? FROM seq`,
      shopId, NOW, new Date(NOW.getTime() + DAY),
    );
    await exec(`${seq(1200)} INSERT INTO "SignatureReplay" ("id", "shopId", "digest", "expiresAt") SELECT 'sr_old_' || i, ?, 'd_old_' || i, ? FROM seq`, shopId, daysAgo(1));
    await exec(`${seq(10)} INSERT INTO "SignatureReplay" ("id", "shopId", "digest", "expiresAt") SELECT 'sr_new_' || i, ?, 'd_new_' || i, ? FROM seq`, shopId, new Date(NOW.getTime() + 300_000));
    for (const [id, expiresAt] of [["cr_expired", daysAgo(1)], ["cr_live", new Date(NOW.getTime() + 10 * DAY)]] as const) {
      await t.db.complianceRequest.create({ data: { id, shopDomain: "retention.myshopify.com", topic: "customers/data_request", webhookId: `wh_${id}`, exportEnc: "v2.k0.sealed-export", recordCount: 1, expiresAt } });
    }
  });

  it("removes what is past its period, in batches, and keeps what the admin and agents still need", async () => {
    const recentBefore = await t.db.checkoutSession.findMany({ where: { id: { startsWith: "cs_recent_" } }, orderBy: { id: "asc" }, select: { id: true, stateJson: true } });
    const batches: Array<{ table: string; action: string; rows: number }> = [];
    const retention = createRetention({ db: t.db, now: () => NOW, onBatch: (table, action, rows) => batches.push({ table, action, rows }) });
    const counts = await retention.run();

    // Gone.
    expect(await t.db.checkoutSession.count({ where: { id: { startsWith: "cs_ancient_" } } })).toBe(0);
    expect(await t.db.webhookReceipt.count({ where: { webhookId: { startsWith: "wh_old_" } } })).toBe(0);
    expect(await t.db.outboxEvent.count({ where: { OR: [{ id: { startsWith: "ev_loose_" } }, { id: { startsWith: "ev_dead_" } }, { id: { startsWith: "ev_a_" } }] } })).toBe(0);
    expect(await t.db.idempotencyRecord.count({ where: { id: { startsWith: "idem_old_" } } })).toBe(0);
    expect(await t.db.feedRun.count({ where: { shopId, kind: "push" } })).toBe(DEFAULT_RETENTION.feedRunsKept);

    // Kept.
    expect(await t.db.checkoutSession.count({ where: { id: { startsWith: "cs_old_" } } })).toBe(3000);
    expect(await t.db.checkoutSession.count({ where: { id: { startsWith: "cs_ordered_" } } })).toBe(1000);
    expect(await t.db.agentOrder.count()).toBe(1000);
    expect(await t.db.outboxEvent.count({ where: { id: { startsWith: "ev_b_" } } })).toBe(1000); // each order's newest event
    expect(await t.db.outboxEvent.count({ where: { id: { startsWith: "ev_new_" } } })).toBe(200);
    expect(await t.db.webhookReceipt.count()).toBe(100);
    expect(await t.db.idempotencyRecord.count()).toBe(100);
    expect((await t.db.signatureReplay.findMany({ select: { id: true } })).every((r) => r.id.startsWith("sr_new_"))).toBe(true);
    expect(await t.db.signatureReplay.count()).toBe(10);
    const exports = await t.db.complianceRequest.findMany({ orderBy: { id: "asc" }, select: { id: true, exportEnc: true } });
    expect(exports).toEqual([{ id: "cr_expired", exportEnc: null }, { id: "cr_live", exportEnc: "v2.k0.sealed-export" }]); // the audit row stays
    expect((await t.db.feedRun.findMany({ where: { shopId, kind: "full_sync" }, select: { id: true } })).map((r) => r.id).sort()).toEqual(["run_sync_failed", "run_sync_ok"]);
    const pushes = await t.db.feedRun.findMany({ where: { shopId, kind: "push" }, orderBy: { startedAt: "desc" }, select: { id: true } });
    expect(pushes[0].id).toBe("run_03000"); // the newest ones
    expect(await t.db.checkoutSession.findMany({ where: { id: { startsWith: "cs_recent_" } }, orderBy: { id: "asc" }, select: { id: true, stateJson: true } })).toEqual(recentBefore);

    // No buyer data in any session older than its period.
    const old = await t.db.checkoutSession.findMany({ where: { createdAt: { lt: daysAgo(30) } }, select: { stateJson: true } });
    expect(old).toHaveLength(4000);
    for (const { stateJson } of old) expect(stateJson).not.toMatch(/@example\.com|Main Street|\+1555|Buyer\d/);

    // An old agent order still renders: its lines and totals are there, the buyer is not.
    const detail = await agentOrderDetail(t.db, { id: shopId, domain: "retention.myshopify.com" }, "ao_7", false);
    expect(detail?.order.name).toBe("#1007");
    expect(detail?.session?.lines).toEqual([{ id: "line_1", name: "Trail Mug", quantity: 1, total: expect.stringContaining("15.00") }]);
    expect(detail?.session?.totals.total).toContain("21.50");
    expect(JSON.stringify(detail)).not.toMatch(/buyer7@|7 Main Street/);
    expect(detail?.timeline.some((e) => e.kind === "event" && e.delivery === "delivered")).toBe(true);

    // Batches: no statement touched more than batchSize rows, and the big tables took several.
    expect(batches.every((b) => b.rows <= DEFAULT_RETENTION.batchSize)).toBe(true);
    const statements = (table: string, action = "deleted") => batches.filter((b) => b.table === table && b.action === action).length;
    expect(statements("CheckoutSession")).toBe(12);
    expect(statements("CheckoutSession", "anonymised")).toBe(8);
    expect(statements("WebhookReceipt")).toBe(10);
    expect(statements("IdempotencyRecord")).toBe(10);
    expect(counts).toMatchObject({ "CheckoutSession.deleted": 6000, "CheckoutSession.anonymised": 4000, "WebhookReceipt.deleted": 5000, "OutboxEvent.deleted": 4600, "FeedRun.deleted": 2950, "IdempotencyRecord.deleted": 5000, "SignatureReplay.deleted": 1200, "ComplianceRequest.anonymised": 1 });

    // A second run finds nothing left to do, and writes nothing.
    batches.length = 0;
    expect(await retention.run()).toEqual({});
    expect(batches).toEqual([]);
  });

  it("periods come from RETENTION_* with documented defaults, and never below their minimum", () => {
    expect(retentionPolicyFromEnv({})).toEqual(DEFAULT_RETENTION);
    const p = retentionPolicyFromEnv({ RETENTION_WEBHOOK_RECEIPT_DAYS: "1", RETENTION_SESSION_DELETE_DAYS: "400", RETENTION_FEED_RUNS_KEPT: "10" });
    expect(p.webhookReceiptDays).toBe(3); // the dedup window must outlast Shopify's retries (48 h at most)
    expect(p.sessionDeleteDays).toBe(400);
    expect(p.feedRunsKept).toBe(10);
    expect(() => retentionPolicyFromEnv({ RETENTION_DEAD_EVENT_DAYS: "soon" })).toThrow(/RETENTION_DEAD_EVENT_DAYS/);
  });
});

describe("agent traffic over simulated months", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let key: string;
  beforeAll(async () => {
    h = await harness();
    ({ key } = await h.addShop({ stripeAccountId: null }));
  });
  afterAll(() => h.close());

  const tables = ["CheckoutSession", "IdempotencyRecord", "AgentKeySession", "SignatureReplay", "OutboxEvent", "WebhookReceipt", "FeedRun"] as const;
  async function rowCount(): Promise<number> {
    let total = 0;
    for (const table of tables) total += Number((await h.db.$queryRawUnsafe<Array<{ n: bigint | number }>>(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);
    return total;
  }

  it("row counts plateau once retention runs, while traffic never stops", async () => {
    const perDay = 12;
    const days = 36;
    // Short periods so the plateau shows within the run (the code path is the same as with the defaults).
    const retention = createRetention({ db: h.db, now: () => h.clock.now(), policy: { sessionAnonymiseDays: 4, sessionDeleteDays: 8, orderSessionAnonymiseDays: 4, webhookReceiptDays: 3 } });
    const byDay: number[] = [];
    let created = 0;
    for (let day = 0; day < days; day++) {
      h.now.value = new Date(Date.parse("2026-11-26T12:00:00Z") + day * DAY);
      for (let i = 0; i < perDay; i++) {
        const res = await call(h.acp.handler, "/checkout_sessions", { key, body: examples.create_checkout_session_request, idempotencyKey: randomUUID() });
        expect(res.status).toBe(201);
        created++;
        const id = res.json.id as string;
        // Half complete (this shop hands off to Shopify checkout), half cancel.
        const path = i % 2 === 0 ? `/checkout_sessions/${id}/complete` : `/checkout_sessions/${id}/cancel`;
        const next = await call(h.acp.handler, path, { key, body: i % 2 === 0 ? examples.complete_checkout_session_request : examples.cancel_checkout_session_request });
        expect(next.status).toBeLessThan(500);
      }
      await h.db.webhookReceipt.createMany({ data: Array.from({ length: perDay }, (_, i) => ({ webhookId: `wh_${day}_${i}`, shopDomain: "x.myshopify.com", topic: "orders/updated", receivedAt: h.clock.now() })) });
      await retention.run();
      byDay.push(await rowCount());
    }
    // Past the longest period the count stops moving: the last weeks are flat, far below what traffic created.
    const steady = byDay.slice(12);
    expect(Math.max(...steady) - Math.min(...steady)).toBeLessThanOrEqual(perDay);
    expect(byDay.at(-1)!).toBeLessThan(created / 2);
    const sessions = await h.db.checkoutSession.count();
    expect(sessions).toBeLessThanOrEqual(perDay * 9);
    // No key-to-session row outlives its open session (hand-off sessions stay open until they expire).
    const open = await h.db.checkoutSession.count({ where: { status: { notIn: ["completed", "canceled", "expired"] }, expiresAt: { gt: h.clock.now() } } });
    expect(await h.db.agentKeySession.count()).toBe(open);
    expect(open).toBeLessThan(perDay);
    // And what is left of old sessions carries no buyer data.
    const old = await h.db.checkoutSession.findMany({ where: { createdAt: { lt: new Date(h.clock.now().getTime() - 4 * DAY) } }, select: { stateJson: true } });
    expect(old.length).toBeGreaterThan(0);
    const { email, address } = examples.create_checkout_session_request.fulfillment_details;
    for (const { stateJson } of old) {
      expect(stateJson).not.toContain(email);
      expect(stateJson).not.toContain(address.line_one);
    }
    // The newest sessions still have theirs.
    const newest = await h.db.checkoutSession.findFirstOrThrow({ orderBy: { createdAt: "desc" }, select: { stateJson: true } });
    expect(newest.stateJson).toContain(email);
  }, 120_000);
});

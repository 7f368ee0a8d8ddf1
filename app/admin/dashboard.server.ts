// Dashboard aggregates in SQL over the (shopId, createdAt) indexes: sessions and conversions per day, revenue per
// day, abandonment reasons from intent_trace, and the feed's health. Nothing loads rows one by one.
import type { PrismaClient, Shop } from "@prisma/client";
import { sqlDate } from "../db/catalog.server";
import { rawSql } from "../db/sql.server";
import { abandonmentBreakdown, averageOrderValue, completionRate, daysOf, fillDays, periodStart, type PeriodDays } from "./dashboard";
import { currencyDigits, formatMoney } from "./labels";

type Db = PrismaClient;
type Row = Record<string, unknown>;

const num = (v: unknown) => Number(v ?? 0);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export async function dashboardData(db: Db, shop: Shop, days: PeriodDays, now = new Date()) {
  const start = periodStart(days, now);
  const since = sqlDate(start);
  const currency = shop.currencyCode.toLowerCase();
  const raw = rawSql(db);
  const d = raw.dialect;
  const [sessionDays, orderDays, abandonment, currencies, feed] = await Promise.all([
    raw.query<Row[]>(
      `SELECT ${d.day(`s."createdAt"`)} AS "day", COUNT(*) AS "sessions",
              SUM(CASE WHEN s."status" = 'completed' OR EXISTS (SELECT 1 FROM "AgentOrder" o WHERE o."checkoutSessionId" = s."id") THEN 1 ELSE 0 END) AS "converted"
         FROM "CheckoutSession" s WHERE s."shopId" = ? AND s."createdAt" >= ? GROUP BY 1`,
      shop.id, since,
    ),
    raw.query<Row[]>(
      `SELECT ${d.day(`"createdAt"`)} AS "day", COUNT(*) AS "orders", SUM("totalMinor") AS "revenue", SUM("refundedMinor") AS "refunded"
         FROM "AgentOrder" WHERE "shopId" = ? AND "createdAt" >= ? AND lower("currency") = ? GROUP BY 1`,
      shop.id, since, currency,
    ),
    // Sessions that ended without an order: canceled (with the agent's intent_trace reason) or left to expire.
    raw.query<Row[]>(
      `SELECT CASE WHEN s."status" = 'canceled' THEN COALESCE(${d.jsonText(`s."intentTraceJson"`, "reason_code")}, '') ELSE 'expired' END AS "reason", COUNT(*) AS "n"
         FROM "CheckoutSession" s
        WHERE s."shopId" = ? AND s."createdAt" >= ?
          AND (s."status" IN ('canceled', 'expired') OR (s."status" NOT IN ('completed', 'complete_in_progress') AND s."expiresAt" < ?))
          AND NOT EXISTS (SELECT 1 FROM "AgentOrder" o WHERE o."checkoutSessionId" = s."id")
        GROUP BY 1`,
      shop.id, since, sqlDate(now),
    ),
    raw.query<Row[]>(`SELECT COUNT(*) AS "n" FROM "AgentOrder" WHERE "shopId" = ? AND "createdAt" >= ? AND lower("currency") != ?`, shop.id, since, currency),
    feedHealth(db, shop.id),
  ]);

  const period = daysOf(start, days);
  const sessionsByDay = sessionDays.map((r) => ({ day: String(r.day), sessions: num(r.sessions), converted: num(r.converted) }));
  const ordersByDay = orderDays.map((r) => ({ day: String(r.day), orders: num(r.orders), revenue: num(r.revenue), refunded: num(r.refunded) }));
  const sessions = sessionsByDay.reduce((s, r) => s + r.sessions, 0);
  const converted = sessionsByDay.reduce((s, r) => s + r.converted, 0);
  const orders = ordersByDay.reduce((s, r) => s + r.orders, 0);
  const revenueMinor = ordersByDay.reduce((s, r) => s + r.revenue, 0);
  const refundedMinor = ordersByDay.reduce((s, r) => s + r.refunded, 0);
  const aov = averageOrderValue(revenueMinor, orders);
  const reasons = abandonmentBreakdown(abandonment.map((r) => ({ reason: String(r.reason ?? ""), n: num(r.n) })));

  return {
    days,
    currency: currency.toUpperCase(),
    from: period[0],
    to: period[period.length - 1],
    totals: {
      sessions,
      orders,
      completionRate: completionRate(sessions, converted),
      revenue: formatMoney(revenueMinor, currency),
      refunded: refundedMinor > 0 ? formatMoney(refundedMinor, currency) : null,
      averageOrderValue: aov === null ? null : formatMoney(aov, currency),
      otherCurrencyOrders: num(currencies[0]?.n),
      abandoned: reasons.reduce((s, r) => s + r.count, 0),
    },
    series: {
      sessions: fillDays(period, sessionsByDay.map((r) => ({ day: r.day, value: r.sessions }))),
      orders: fillDays(period, ordersByDay.map((r) => ({ day: r.day, value: r.orders }))),
      // Chart values in major units (display only; totals above stay integer minor units).
      revenue: fillDays(period, ordersByDay.map((r) => ({ day: r.day, value: r.revenue }))).map((p) => ({ key: p.key, value: p.value / 10 ** currencyDigits(currency) })),
    },
    abandonment: reasons,
    feed,
  };
}

export async function feedHealth(db: Db, shopId: string) {
  const [counts, lastSync, lastPush] = await Promise.all([
    rawSql(db).query<Row[]>(
      `SELECT COUNT(*) AS "variants", SUM(CASE WHEN "eligible" THEN 1 ELSE 0 END) AS "eligible", SUM(CASE WHEN "problemCodes" != ' ' THEN 1 ELSE 0 END) AS "withProblems",
              SUM(CASE WHEN "selected" AND NOT "eligible" THEN 1 ELSE 0 END) AS "blocked"
         FROM "CatalogItem" WHERE "shopId" = ? AND "deletedAt" IS NULL`,
      shopId,
    ),
    db.feedRun.findFirst({ where: { shopId, kind: { in: ["full_sync", "reconcile"] } }, orderBy: { startedAt: "desc" } }),
    db.feedRun.findFirst({ where: { shopId, kind: "push" }, orderBy: { startedAt: "desc" } }),
  ]);
  const c = counts[0] ?? {};
  const run = (r: typeof lastSync) => (r ? { status: r.status, startedAt: iso(r.startedAt)!, finishedAt: iso(r.finishedAt), itemsDone: r.itemsDone, error: r.error } : null);
  return {
    variants: num(c.variants),
    eligible: num(c.eligible),
    withProblems: num(c.withProblems),
    blocked: num(c.blocked),
    lastSync: run(lastSync),
    lastPush: run(lastPush),
  };
}

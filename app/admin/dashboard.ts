// Dashboard arithmetic, pure: the period, the day series (every day present, zero when nothing happened) and the
// rates. The SQL aggregates come from dashboard.server.ts.
import { ABANDONMENT_REASONS, NO_REASON, abandonmentReasonCode } from "./labels";

export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

export function periodFrom(value: string | null): PeriodDays {
  const n = Number(value);
  return (PERIODS as readonly number[]).includes(n) ? (n as PeriodDays) : 30;
}

/** The first UTC day of a period of `days` days that ends today (inclusive). */
export function periodStart(days: number, now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * 86_400_000);
}

export function daysOf(start: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

export interface DayCount {
  day: string;
  value: number;
}

/** Every day of the period, in order, with the counted value or 0. */
export function fillDays(days: string[], counts: DayCount[]): Array<{ key: string; value: number }> {
  const byDay = new Map(counts.map((c) => [c.day, c.value]));
  return days.map((day) => ({ key: day, value: byDay.get(day) ?? 0 }));
}

/** Share of sessions that became orders, in whole percent with one decimal; null when there were no sessions. */
export function completionRate(sessions: number, converted: number): number | null {
  if (sessions <= 0) return null;
  return Math.round((converted / sessions) * 1000) / 10;
}

export function averageOrderValue(revenueMinor: number, orders: number): number | null {
  return orders > 0 ? Math.round(revenueMinor / orders) : null;
}

/** Abandonment counts keyed by what the SQL grouped ('' = canceled with no reason, 'expired'), in merchant words. */
export function abandonmentBreakdown(rows: Array<{ reason: string; n: number }>): Array<{ code: string; label: string; count: number }> {
  const counts = new Map<string, number>();
  for (const { reason, n } of rows) {
    const code = reason === "expired" ? "expired" : reason === "" ? "no_reason" : (abandonmentReasonCode(reason) ?? "no_reason");
    counts.set(code, (counts.get(code) ?? 0) + n);
  }
  const label = (code: string) => (code === "expired" ? NO_REASON.expired : code === "no_reason" ? NO_REASON.canceled : ABANDONMENT_REASONS[code as keyof typeof ABANDONMENT_REASONS]);
  return [...counts.entries()].map(([code, count]) => ({ code, label: label(code), count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

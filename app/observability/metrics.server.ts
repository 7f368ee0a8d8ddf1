// Prometheus metrics (prom-client) on one registry. Labels are bounded sets (operation, version, status class,
// outcome): never a shop domain, session id or key, so cardinality stays small and nothing identifies a buyer.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "app_" });

export const acpRequests = new Counter({
  name: "acp_requests_total",
  help: "Agent (ACP) requests by operation, API version and HTTP status",
  labelNames: ["operation", "version", "status"] as const,
  registers: [registry],
});

export const acpDuration = new Histogram({
  name: "acp_request_duration_seconds",
  help: "Agent (ACP) request latency, including time spent waiting on Shopify and Stripe",
  labelNames: ["operation"] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const upstreamWait = new Histogram({
  name: "upstream_wait_seconds",
  help: "Time agent requests spent waiting on an upstream (shopify, stripe, agent)",
  labelNames: ["upstream"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const shopifyQueryCost = new Counter({
  name: "shopify_query_cost_total",
  help: "Admin GraphQL cost points actually spent",
  registers: [registry],
});

export const shopifyThrottles = new Counter({
  name: "shopify_throttled_total",
  help: "Admin GraphQL calls answered THROTTLED (each is waited out and retried, within a bound)",
  registers: [registry],
});

export const shopifyBucketAvailable = new Gauge({
  name: "shopify_bucket_available_ratio",
  help: "Share of the Admin API cost bucket available after the latest call (lowest seen since the last scrape)",
  registers: [registry],
});

export const rateLimited = new Counter({
  name: "acp_rate_limited_total",
  help: "Agent requests refused by the rate limit",
  registers: [registry],
});

export const retentionRows = new Counter({
  name: "retention_rows_total",
  help: "Rows the retention job removed (deleted) or stripped of buyer data (anonymised), by table",
  labelNames: ["table", "action"] as const,
  registers: [registry],
});

/** Gauges read from the database at scrape time (outbox depth and age, catalog freshness). */
export function registerDatabaseGauges(read: {
  outbox: () => Promise<{ pending: number; dead: number; oldestAgeMs: number }>;
  oldestCatalogSyncAgeMs: () => Promise<number | null>;
}): void {
  if (registry.getSingleMetric("outbox_pending")) return;
  new Gauge({
    name: "outbox_pending",
    help: "Events waiting to be delivered (order events to agents, Stripe refunds)",
    registers: [registry],
    async collect() {
      const depth = await read.outbox();
      this.set(depth.pending);
      deadGauge.set(depth.dead);
      ageGauge.set(depth.oldestAgeMs / 1000);
    },
  });
  const deadGauge = new Gauge({ name: "outbox_dead", help: "Events that gave up (dead letters); re-send from the admin", registers: [registry] });
  const ageGauge = new Gauge({ name: "outbox_oldest_pending_age_seconds", help: "Age of the oldest undelivered event", registers: [registry] });
  new Gauge({
    name: "catalog_oldest_sync_age_seconds",
    help: "Across installed shops, the age of the oldest latest successful catalog sync (feed freshness); -1 when a shop has never synced",
    registers: [registry],
    async collect() {
      const age = await read.oldestCatalogSyncAgeMs();
      this.set(age === null ? -1 : age / 1000);
    },
  });
}

/** The ACP operation a request is for, from its method and path (bounded label values). */
export function acpOperation(method: string, pathname: string): string {
  const path = pathname.replace(/^.*?\/checkout_sessions/, "/checkout_sessions");
  if (method === "POST" && path === "/checkout_sessions") return "create";
  if (/^\/checkout_sessions\/[^/]+$/.test(path)) return method === "GET" ? "retrieve" : method === "POST" ? "update" : "other";
  if (/^\/checkout_sessions\/[^/]+\/complete$/.test(path)) return "complete";
  if (/^\/checkout_sessions\/[^/]+\/cancel$/.test(path)) return "cancel";
  return "other";
}

// Fault injection for the Shopify simulator, settable per run (`sim.setFaults(...)` or `PUT /_sim/faults`):
// HTTP 5xx answers, added latency, THROTTLED answers, timeouts (the connection is held past the client's
// deadline, nothing runs), "run the operation but drop the response" (the nastiest case for orderCreate:
// the order exists, the caller never hears of it), and dropped or duplicated webhooks. Each rule may be
// scoped to operations (by operation name, e.g. "AgentOrderCreate", or by root field, e.g. "orderCreate").
// Decisions come from a seeded PRNG so a run can be repeated.

export interface FaultRule {
  /** Operation names or root fields this rule applies to; absent = every GraphQL request. */
  operations?: string[];
  /** Share of matching requests answered with an HTTP error (nothing runs). */
  errorRate?: number;
  /** Statuses to pick from for errorRate / errorNext (default [500, 502, 503]). */
  errorStatuses?: number[];
  /** Added latency before the request runs: a fixed ms, or [min, max] picked uniformly. */
  latencyMs?: number | [number, number];
  /** Share of matching requests to add the latency to (default 1 when latencyMs is set). */
  latencyRate?: number;
  /** Share of matching requests answered THROTTLED (200 with the graphql error, nothing runs). */
  throttleRate?: number;
  /** Share of matching requests held open for holdMs and then cut (nothing runs): a timeout for the client. */
  timeoutRate?: number;
  /** How long a "timeout" holds the connection before destroying it (default 30 s); ends early when the client gives up. */
  holdMs?: number;
  /** Share of matching requests that run and commit but whose response is dropped (connection destroyed). */
  dropResponseRate?: number;
  /** Deterministic counters, consumed before the rates: the next N matching requests get this fault. */
  errorNext?: number;
  throttleNext?: number;
  timeoutNext?: number;
  dropResponseNext?: number;
}

export interface WebhookFaults {
  /** Topics this applies to; absent = all. */
  topics?: string[];
  /** Share of webhooks never sent (recorded as a delivery with error "dropped by fault injection"). */
  dropRate?: number;
  /** Share of webhooks sent twice (same X-Shopify-Webhook-Id, as Shopify's at-least-once delivery does). */
  duplicateRate?: number;
  dropNext?: number;
  duplicateNext?: number;
}

export interface FaultConfig {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Checked in order; the first rule that fires decides the request's fault (latency adds up). */
  rules?: FaultRule[];
  webhooks?: WebhookFaults;
}

export type RequestFault =
  | { kind: "none"; latencyMs: number }
  | { kind: "error"; status: number; latencyMs: number }
  | { kind: "throttle"; latencyMs: number }
  | { kind: "timeout"; holdMs: number; latencyMs: number }
  | { kind: "drop_response"; latencyMs: number };

export type WebhookFault = "none" | "drop" | "duplicate";

export interface FaultCounts {
  requests: number;
  errors: number;
  latency: number;
  throttles: number;
  timeouts: number;
  droppedResponses: number;
  webhooksDropped: number;
  webhooksDuplicated: number;
}

const zeroCounts = (): FaultCounts => ({ requests: 0, errors: 0, latency: 0, throttles: 0, timeouts: 0, droppedResponses: 0, webhooksDropped: 0, webhooksDuplicated: 0 });

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The operation name of a document (`mutation AgentOrderCreate(...)` → AgentOrderCreate), or the body's operationName. */
export function operationNameOf(query: string, operationName?: unknown): string | null {
  if (typeof operationName === "string" && operationName) return operationName;
  return /\b(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(query)?.[1] ?? null;
}

function ruleMatches(rule: FaultRule, opName: string | null, query: string): boolean {
  if (!rule.operations?.length) return true;
  return rule.operations.some((op) => op === opName || new RegExp(`(?:^|[^A-Za-z0-9_])${op.replace(/[^A-Za-z0-9_]/g, "")}\\s*[({]`).test(query));
}

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = mulberry32(1);
  private counts = zeroCounts();

  /** Replaces the whole configuration (and reseeds); `null` or `{}` turns faults off. Counts are kept. */
  set(config: FaultConfig | null): void {
    this.config = structuredClone(config ?? {});
    this.random = mulberry32(this.config.seed ?? 1);
  }

  get current(): FaultConfig {
    return structuredClone(this.config);
  }

  get active(): boolean {
    return !!(this.config.rules?.length || this.config.webhooks);
  }

  stats(): FaultCounts {
    return { ...this.counts };
  }

  resetStats(): void {
    this.counts = zeroCounts();
  }

  /** What happens to one GraphQL request. */
  forRequest(query: string, operationName?: unknown): RequestFault {
    const rules = this.config.rules ?? [];
    if (!rules.length) return { kind: "none", latencyMs: 0 };
    this.counts.requests++;
    const opName = operationNameOf(query, operationName);
    let latencyMs = 0;
    let decided: RequestFault | null = null;
    for (const rule of rules) {
      if (!ruleMatches(rule, opName, query)) continue;
      if (rule.latencyMs !== undefined && this.random() < (rule.latencyRate ?? 1)) {
        const [min, max] = Array.isArray(rule.latencyMs) ? rule.latencyMs : [rule.latencyMs, rule.latencyMs];
        latencyMs += Math.round(min + this.random() * (max - min));
      }
      if (decided) continue;
      decided = this.decide(rule);
    }
    if (latencyMs > 0) this.counts.latency++;
    const fault = decided ?? { kind: "none" as const, latencyMs: 0 };
    switch (fault.kind) {
      case "error":
        this.counts.errors++;
        break;
      case "throttle":
        this.counts.throttles++;
        break;
      case "timeout":
        this.counts.timeouts++;
        break;
      case "drop_response":
        this.counts.droppedResponses++;
        break;
    }
    return { ...fault, latencyMs };
  }

  private decide(rule: FaultRule): RequestFault | null {
    const statuses = rule.errorStatuses?.length ? rule.errorStatuses : [500, 502, 503];
    const error = (): RequestFault => ({ kind: "error", status: statuses[Math.floor(this.random() * statuses.length)], latencyMs: 0 });
    const timeout = (): RequestFault => ({ kind: "timeout", holdMs: rule.holdMs ?? 30_000, latencyMs: 0 });
    if (rule.errorNext) return rule.errorNext--, error();
    if (rule.throttleNext) return rule.throttleNext--, { kind: "throttle", latencyMs: 0 };
    if (rule.timeoutNext) return rule.timeoutNext--, timeout();
    if (rule.dropResponseNext) return rule.dropResponseNext--, { kind: "drop_response", latencyMs: 0 };
    if (rule.errorRate && this.random() < rule.errorRate) return error();
    if (rule.throttleRate && this.random() < rule.throttleRate) return { kind: "throttle", latencyMs: 0 };
    if (rule.timeoutRate && this.random() < rule.timeoutRate) return timeout();
    if (rule.dropResponseRate && this.random() < rule.dropResponseRate) return { kind: "drop_response", latencyMs: 0 };
    return null;
  }

  /** What happens to one webhook (before it is sent). */
  forWebhook(topic: string): WebhookFault {
    const w = this.config.webhooks;
    if (!w || (w.topics?.length && !w.topics.includes(topic))) return "none";
    let fault: WebhookFault = "none";
    if (w.dropNext) {
      w.dropNext--;
      fault = "drop";
    } else if (w.duplicateNext) {
      w.duplicateNext--;
      fault = "duplicate";
    } else if (w.dropRate && this.random() < w.dropRate) fault = "drop";
    else if (w.duplicateRate && this.random() < w.duplicateRate) fault = "duplicate";
    if (fault === "drop") this.counts.webhooksDropped++;
    if (fault === "duplicate") this.counts.webhooksDuplicated++;
    return fault;
  }
}

/** The THROTTLED answer Shopify gives (200, graphql error, cost extension with an empty bucket). */
export function throttledBody(restoreRate = 100, maximumAvailable = 2000) {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable, currentlyAvailable: 0, restoreRate } } },
  };
}

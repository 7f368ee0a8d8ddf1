// The Admin GraphQL client: graphql-request with the shop's offline token, sent to an endpoint built from
// configuration (real Shopify, or the simulator in the demo and tests). Throttle-aware (shopify.md §4.8).
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { ClientError, GraphQLClient } from "graphql-request";
import { timeUpstream } from "../observability/upstream-timing";

export const ADMIN_API_VERSION = "2026-10";
export const DEFAULT_ADMIN_URL_TEMPLATE = "https://{shop}/admin/api/{version}/graphql.json";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminCallStats {
  calls: number;
  throttled: number;
  actualCost: number;
}

/** What the rest of the app needs from Shopify's Admin API: one typed request. */
export interface AdminClient {
  readonly shop: string;
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  readonly stats: AdminCallStats;
}

export type AdminErrorKind = "throttled" | "graphql" | "http" | "network";

/** A failed Admin call. `kind` says whether retrying could help; never carries the token. */
export class AdminApiError extends Error {
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
    readonly details: { status?: number; errors?: unknown; cost?: QueryCost; operation?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "AdminApiError";
  }
  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "network" || (this.kind === "http" && ((this.details.status ?? 0) >= 500 || this.details.status === 429));
  }
  /** HTTP 429: Shopify refused the call before running it (safe to send again, after Retry-After). */
  get tooManyRequests(): boolean {
    return this.kind === "http" && this.details.status === 429;
  }
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** `{shop}` and `{version}` are replaced; e.g. the simulator's `http://127.0.0.1:4100/shops/{shop}/admin/api/{version}/graphql.json`. */
  urlTemplate?: string;
  /** Deadline of one HTTP call (default SHOPIFY_ADMIN_TIMEOUT_MS, else 15 s). */
  timeoutMs?: number;
  maxThrottleRetries?: number;
  /**
   * An HTTP 429 (nothing ran) is retried, within maxThrottleRetries, when its Retry-After is at most this long
   * (default 5 s); a longer wait (e.g. a development store's order limit, a minute) is the caller's to decide.
   */
  maxRetryAfterMs?: number;
  /**
   * Retries after a 5xx, a timeout or a network error, only for calls that are safe to repeat: queries, and
   * mutations whose root fields are all in `safeMutations`. Bounded, exponential backoff with jitter. Default 2.
   */
  maxTransientRetries?: number;
  /** First backoff (ms) before a transient retry; doubles each time, jittered to 50–100 %. Default 200. */
  transientBackoffMs?: number;
  /** Mutations that change nothing and may be repeated (default: draftOrderCalculate). Never orderCreate. */
  safeMutations?: readonly string[];
  random?: () => number;
  /** Called before a transient retry (metrics). */
  onRetry?: (operation: string, error: AdminApiError) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each call with its cost (metrics). */
  onCost?: (cost: QueryCost, operation: string) => void;
  /** Called when Shopify answers THROTTLED (metrics), with the bucket it reported (the shop's cost budget). */
  onThrottle?: (operation: string, cost?: QueryCost) => void;
}

export function adminEndpoint(shop: string, apiVersion = ADMIN_API_VERSION, urlTemplate = DEFAULT_ADMIN_URL_TEMPLATE): string {
  return urlTemplate.replaceAll("{shop}", shop).replaceAll("{version}", apiVersion);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Read-only mutations: repeating them after a lost answer changes nothing in the shop. */
export const SAFE_MUTATIONS: readonly string[] = ["draftOrderCalculate"];

const safetyCache = new Map<string, { type: string; rootFields: string[] }>();

/** Whether a document may be sent again after an unknown outcome (5xx, timeout, cut connection). */
export function isSafeToRetry(document: string, safeMutations: readonly string[] = SAFE_MUTATIONS): boolean {
  let shape = safetyCache.get(document);
  if (!shape) {
    try {
      const op = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      shape = { type: op?.operation ?? "unknown", rootFields: op?.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : ["(fragment)"])) ?? [] };
    } catch {
      shape = { type: "unknown", rootFields: [] };
    }
    if (safetyCache.size > 500) safetyCache.clear();
    safetyCache.set(document, shape);
  }
  if (shape.type === "query") return true;
  return shape.type === "mutation" && shape.rootFields.length > 0 && shape.rootFields.every((f) => safeMutations.includes(f));
}

/** 5xx, timeouts and network errors: the outcome is unknown (the call may or may not have run). */
function isTransient(error: AdminApiError): boolean {
  return error.kind === "network" || (error.kind === "http" && (error.details.status ?? 0) >= 500);
}

function envTimeoutMs(): number | undefined {
  const n = Number(process.env.SHOPIFY_ADMIN_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function operationName(document: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(document)?.[1] ?? "anonymous";
}

/** `errors` of a non-GraphQL answer (an HTTP 4xx/5xx body such as `{"errors": "…"}`), which graphql-request leaves unparsed. */
function bodyErrors(body: unknown): unknown {
  if (typeof body !== "string" || !body) return undefined;
  try {
    return (JSON.parse(body) as { errors?: unknown })?.errors;
  } catch {
    return undefined;
  }
}

/** Seconds to wait before the bucket can pay for the query again (shopify.md §4.8), at least 100 ms. */
export function throttleWaitMs(cost: QueryCost | undefined): number {
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const missing = Math.max(0, cost.requestedQueryCost - currentlyAvailable);
  return Math.max(100, Math.ceil((missing / Math.max(1, restoreRate)) * 1000));
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const {
    shop,
    accessToken,
    apiVersion = ADMIN_API_VERSION,
    urlTemplate = process.env.SHOPIFY_ADMIN_URL_TEMPLATE ?? DEFAULT_ADMIN_URL_TEMPLATE,
    timeoutMs = envTimeoutMs() ?? 15_000,
    maxThrottleRetries = 3,
    maxRetryAfterMs = 5_000,
    maxTransientRetries = 2,
    transientBackoffMs = 200,
    safeMutations = SAFE_MUTATIONS,
    random = Math.random,
    sleep = defaultSleep,
  } = options;
  const baseFetch = options.fetch ?? fetch;
  const client = new GraphQLClient(adminEndpoint(shop, apiVersion, urlTemplate), {
    headers: { "X-Shopify-Access-Token": accessToken, "User-Agent": "agentic-checkout-shopify" },
    // Every outbound call has a deadline.
    fetch: (input, init) => timeUpstream("shopify", () => baseFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })),
  });
  const stats: AdminCallStats = { calls: 0, throttled: 0, actualCost: 0 };

  async function once<T>(document: string, variables: Record<string, unknown> | undefined, operation: string): Promise<T> {
    stats.calls += 1;
    try {
      const res = await client.rawRequest<T>(document, variables);
      const cost = (res.extensions as { cost?: QueryCost } | undefined)?.cost;
      if (cost) {
        stats.actualCost += cost.actualQueryCost ?? 0;
        options.onCost?.(cost, operation);
      }
      return res.data;
    } catch (error) {
      if (error instanceof ClientError) {
        const errors = error.response.errors ?? (error.response as { error?: unknown }).error ?? bodyErrors(error.response.body);
        const cost = (error.response.extensions as { cost?: QueryCost } | undefined)?.cost;
        const throttled = Array.isArray(errors) && errors.some((e) => e?.extensions?.code === "THROTTLED");
        if (throttled) throw new AdminApiError("throttled", `Shopify throttled ${operation}`, { cost, operation, errors });
        if (error.response.status && error.response.status !== 200) {
          const retryAfter = Number(error.response.headers?.get?.("retry-after"));
          throw new AdminApiError("http", `Shopify answered HTTP ${error.response.status} to ${operation}`, {
            status: error.response.status,
            operation,
            errors,
            ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
          });
        }
        const message = Array.isArray(errors) ? errors.map((e) => e?.message).join("; ") : String(errors);
        throw new AdminApiError("graphql", `${operation}: ${message}`, { errors, operation, cost });
      }
      throw new AdminApiError("network", `${operation}: ${(error as Error).message}`, { operation });
    }
  }

  return {
    shop,
    stats,
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      const operation = operationName(document);
      let throttles = 0;
      let transients = 0;
      for (;;) {
        try {
          return await once<T>(document, variables, operation);
        } catch (error) {
          if (!(error instanceof AdminApiError)) throw error;
          // THROTTLED: the call did not run, so repeating it is always safe (after the bucket refills).
          if (error.kind === "throttled") {
            stats.throttled += 1;
            options.onThrottle?.(operation, error.details.cost);
            if (throttles++ >= maxThrottleRetries) throw error;
            await sleep(throttleWaitMs(error.details.cost));
            continue;
          }
          // HTTP 429: refused before it ran, so any document may be sent again once Retry-After has passed, if soon.
          if (error.tooManyRequests) {
            const waitMs = (error.details.retryAfterSeconds ?? 1) * 1000;
            options.onThrottle?.(operation);
            if (waitMs > maxRetryAfterMs || throttles++ >= maxThrottleRetries) throw error;
            stats.throttled += 1;
            await sleep(waitMs);
            continue;
          }
          // 5xx / timeout / cut connection: it may have run. Repeated only when repeating cannot do harm
          // (queries, read-only mutations); orderCreate's caller looks the order up instead (docs/decisions/0070).
          if (!isTransient(error) || transients >= maxTransientRetries || !isSafeToRetry(document, safeMutations)) throw error;
          transients++;
          options.onRetry?.(operation, error);
          await sleep(Math.round(transientBackoffMs * 2 ** (transients - 1) * (0.5 + random() * 0.5)));
        }
      }
    },
  };
}

// The Admin GraphQL client: graphql-request with the shop's offline token, sent to an endpoint built from
// configuration (real Shopify, or the simulator in the demo and tests). Throttle-aware (shopify.md §4.8).
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
    readonly details: { status?: number; errors?: unknown; cost?: QueryCost; operation?: string } = {},
  ) {
    super(message);
    this.name = "AdminApiError";
  }
  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "network" || (this.kind === "http" && (this.details.status ?? 0) >= 500);
  }
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** `{shop}` and `{version}` are replaced; e.g. the simulator's `http://127.0.0.1:4100/shops/{shop}/admin/api/{version}/graphql.json`. */
  urlTemplate?: string;
  timeoutMs?: number;
  maxThrottleRetries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each call with its cost (metrics). */
  onCost?: (cost: QueryCost, operation: string) => void;
  /** Called when Shopify answers THROTTLED (metrics). */
  onThrottle?: (operation: string) => void;
}

export function adminEndpoint(shop: string, apiVersion = ADMIN_API_VERSION, urlTemplate = DEFAULT_ADMIN_URL_TEMPLATE): string {
  return urlTemplate.replaceAll("{shop}", shop).replaceAll("{version}", apiVersion);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function operationName(document: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(document)?.[1] ?? "anonymous";
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
    timeoutMs = 15_000,
    maxThrottleRetries = 3,
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
        const errors = error.response.errors ?? (error.response as { error?: unknown }).error;
        const cost = (error.response.extensions as { cost?: QueryCost } | undefined)?.cost;
        const throttled = Array.isArray(errors) && errors.some((e) => e?.extensions?.code === "THROTTLED");
        if (throttled) throw new AdminApiError("throttled", `Shopify throttled ${operation}`, { cost, operation, errors });
        if (error.response.status && error.response.status !== 200) {
          throw new AdminApiError("http", `Shopify answered HTTP ${error.response.status} to ${operation}`, {
            status: error.response.status,
            operation,
            errors,
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
      for (let attempt = 0; ; attempt++) {
        try {
          return await once<T>(document, variables, operation);
        } catch (error) {
          // Only THROTTLED is retried here: the query did not run, so repeating it is always safe.
          if (!(error instanceof AdminApiError) || error.kind !== "throttled") throw error;
          stats.throttled += 1;
          options.onThrottle?.(operation);
          if (attempt >= maxThrottleRetries) throw error;
          await sleep(throttleWaitMs(error.details.cost));
        }
      }
    },
  };
}

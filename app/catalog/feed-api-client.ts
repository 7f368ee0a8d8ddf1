// Client for an agent's ACP Feed API (openapi.feed.yaml, 2026-04-17): create a feed, upsert products in
// batches. Every call carries API-Version; every write an Idempotency-Key derived from its body, so a retry
// after a timeout cannot apply twice. Retries 408/429/5xx and network errors with capped exponential backoff.
// The endpoint is a merchant-set URL: calls go through the outbound rules (public addresses only, no redirects
// followed, small capped answers), and a failure carries a class and a fixed message, never the endpoint's text
// (docs/decisions/0115).
import { createHash } from "node:crypto";
import { checkOutboundUrl, classifyError, createOutboundFetch, describeFailure, failureForStatus, outboundPolicy, type OutboundDeps, type OutboundFailure } from "../security/outbound.server";
import { FEED_API_VERSION, type AcpProduct } from "./acp-feed";

export interface FeedMetadata { id: string; target_country?: string; updated_at?: string }

export interface FeedApiClientOptions {
  baseUrl: string;
  /** Bearer credential for the agent's endpoint; never logged. */
  apiKey?: string | null;
  apiVersion?: string;
  /** Transport (tests at the network edge); the default applies the outbound rules. */
  fetch?: typeof fetch;
  /** DNS resolver and environment for the default transport's outbound rules (tests). */
  outbound?: OutboundDeps;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

/** A Feed API call that failed for good. `retryable` false means the request itself was refused. */
export class FeedApiError extends Error {
  readonly code: string;
  constructor(
    readonly failure: OutboundFailure | "not_accepted",
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(failure === "not_accepted" ? "not_accepted: The feed endpoint did not accept the batch." : describeFailure(failure, status));
    this.name = "FeedApiError";
    this.code = failure;
  }
}

/** Feed ids come from the endpoint and are stored and shown: only a plain identifier is taken. */
const FEED_ID = /^[A-Za-z0-9._:~-]{1,128}$/;

/** Answers are small JSON documents (feed metadata, batch acknowledgements). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface UpsertResult { batches: number; products: number; attempts: number }

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FeedApiClient {
  private readonly opts: Required<Omit<FeedApiClientOptions, "apiKey" | "outbound">> & { apiKey: string | null };
  attempts = 0;
  private readonly outboundEnv: NodeJS.ProcessEnv | undefined;

  constructor(options: FeedApiClientOptions) {
    this.outboundEnv = options.outbound?.env;
    this.opts = {
      apiVersion: options.apiVersion ?? FEED_API_VERSION,
      fetch: options.fetch ?? createOutboundFetch({ ...options.outbound, maxResponseBytes: MAX_RESPONSE_BYTES, timeoutMs: options.timeoutMs ?? 15_000 }),
      sleep: options.sleep ?? defaultSleep,
      maxAttempts: options.maxAttempts ?? 5,
      baseDelayMs: options.baseDelayMs ?? 250,
      timeoutMs: options.timeoutMs ?? 15_000,
      apiKey: options.apiKey ?? null,
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
    };
  }

  async createFeed(targetCountry?: string): Promise<FeedMetadata> {
    const body = targetCountry ? { target_country: targetCountry } : {};
    const feed = await this.call<FeedMetadata>("POST", "/feeds", body, `create-feed:${targetCountry ?? ""}:${Date.now()}`);
    if (typeof feed?.id !== "string" || !FEED_ID.test(feed.id)) throw new FeedApiError("bad_response", 200, false);
    return feed;
  }

  async getFeed(feedId: string): Promise<FeedMetadata> {
    return this.call<FeedMetadata>("GET", `/feeds/${encodeURIComponent(feedId)}`);
  }

  async getProducts(feedId: string): Promise<{ products: AcpProduct[] }> {
    return this.call("GET", `/feeds/${encodeURIComponent(feedId)}/products`);
  }

  /** PATCH /feeds/{id}/products in batches; `onBatch` runs after each accepted batch (to record progress). */
  async upsertProducts(
    feedId: string,
    products: AcpProduct[],
    batchSize = 100,
    onBatch?: (accepted: AcpProduct[]) => Promise<void> | void,
  ): Promise<UpsertResult> {
    let batches = 0;
    for (let i = 0; i < products.length; i += batchSize) {
      const batch = products.slice(i, i + batchSize);
      const body = { products: batch };
      const key = createHash("sha256").update(feedId).update(JSON.stringify(body)).digest("hex").slice(0, 40);
      const res = await this.call<{ id: string; accepted: boolean }>("PATCH", `/feeds/${encodeURIComponent(feedId)}/products`, body, `upsert:${key}`);
      if (!res.accepted) throw new FeedApiError("not_accepted", 200, false);
      batches += 1;
      await onBatch?.(batch);
    }
    return { batches, products: products.length, attempts: this.attempts };
  }

  private async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const { maxAttempts, baseDelayMs, sleep } = this.opts;
    // The URL rules hold whatever the transport (an injected fetch included).
    const checked = checkOutboundUrl(this.opts.baseUrl, outboundPolicy(this.outboundEnv));
    if (!checked.ok) throw new FeedApiError(checked.problem === "address" ? "refused_address" : "invalid_url", null, false);
    let lastError: FeedApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      this.attempts += 1;
      const headers: Record<string, string> = { "API-Version": this.opts.apiVersion, Accept: "application/json" };
      if (this.opts.apiKey) headers.Authorization = `Bearer ${this.opts.apiKey}`;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
      let retryAfterMs: number | null = null;
      try {
        const res = await this.opts.fetch(`${this.opts.baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: "manual",
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        const failure = failureForStatus(res.status);
        if (!failure) {
          const text = await res.text();
          try {
            return (text ? JSON.parse(text) : {}) as T;
          } catch {
            throw new FeedApiError("bad_response", res.status, false);
          }
        }
        await res.body?.cancel();
        // The endpoint's error text is not read: only its status is kept.
        const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
        lastError = new FeedApiError(failure, res.status, retryable);
        if (!retryable) throw lastError;
        const ra = Number(res.headers.get("retry-after"));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, 30_000);
      } catch (error) {
        if (error instanceof FeedApiError && !error.retryable) throw error;
        if (!(error instanceof FeedApiError)) {
          const failure = classifyError(error);
          // A refused address or a bad URL will not change on a retry a second later.
          lastError = new FeedApiError(failure, null, failure !== "refused_address" && failure !== "invalid_url");
          if (!lastError.retryable) throw lastError;
        }
      }
      if (attempt < maxAttempts) {
        const backoff = baseDelayMs * 2 ** (attempt - 1);
        await sleep(retryAfterMs ?? Math.min(backoff + Math.random() * backoff * 0.25, 30_000));
      }
    }
    throw lastError ?? new FeedApiError("connection", null, true);
  }
}

// HTTP layer of the Stripe stand-in (node:http only). Around the engine it does what Stripe's edge
// does: API-key auth, form decoding, routing, Idempotency-Key replay, Stripe's JSON error envelope,
// and fault injection for resilience tests.
import { createHash } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { StripeEngine } from "./engine";
import { ApiError, apiError, invalidRequest } from "./errors";
import { FormParseError, parseForm, type FormObject } from "./form";
import { newId } from "./ids";
import { VALIDATION_CODES } from "./params";
import { isPreview, parseApiVersion, type ApiVersion } from "./versions";

export interface StripeSimFaults {
  /** Probability (0..1) that a matching request fails with a 500 before doing anything. */
  failureRate?: number;
  /** The next N matching requests fail with a 500 before doing anything (deterministic). */
  failNext?: number;
  /** Added delay in ms before a matching request is handled (use with the SDK's `timeout`). */
  latencyMs?: number;
  /** Probability (0..1) that a matching request is executed and then its connection destroyed. */
  dropResponseRate?: number;
  /** The next N matching requests are executed and then their connection destroyed (deterministic). */
  dropNext?: number;
  /** Only requests whose "METHOD /path" starts with this are affected, e.g. "POST /v1/payment_intents". */
  match?: string;
  /** PaymentIntents younger than this (ms) are missing from /v1/payment_intents/search, like Stripe's index lag. Ignores `match`. */
  searchLagMs?: number;
  /**
   * The next N matching POSTs answer a 500 that Stripe SAVES under their Idempotency-Key and replays for 24 hours
   * (docs.stripe.com/api/idempotent_requests: "including 500 errors"). With `storedFailureAfterWork` the work
   * (e.g. the charge) happened before the 500; without it nothing happened.
   */
  storedFailNext?: number;
  storedFailureAfterWork?: boolean;
  /** The next N matching requests are rate limited: 429 `rate_limit`, nothing runs, nothing is stored. */
  rateLimitNext?: number;
  /** The `Stripe-Should-Retry` header sent with those 429s ("true" | "false"; absent when unset). */
  rateLimitShouldRetry?: string;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  replayed: boolean;
  fault?: "500" | "stored_500" | "dropped" | "429";
  /** The Stripe-Version the request was handled with. */
  apiVersion?: string;
}

interface StoredResult {
  endpoint: string;
  paramsHash: string;
  status: number;
  body: string;
  requestId: string;
  /** Server clock (ms) when the result was saved; Stripe prunes keys at least 24 hours old. */
  storedAt: number;
}

/** "Keys are eligible to be removed from the system automatically after they're at least 24 hours old." */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

type Handler = (params: FormObject, match: RegExpExecArray, version: ApiVersion) => unknown;
interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

const SIM_PREFIX = "/_sim/";

export interface ServerState {
  engine: StripeEngine;
  apiKeys: Set<string>;
  faults: StripeSimFaults;
  requestLog: RequestLogEntry[];
  /** Idempotency results keyed by `${accountId} ${key}`; a null value means "in flight". */
  idempotency: Map<string, StoredResult | null>;
  /** The account's default API version, used when a request sends no Stripe-Version. */
  defaultApiVersion: string;
  account: AccountSettings;
  /** Added to Date.now() for idempotency-key ages (sim.advanceTime). */
  clockOffsetMs: number;
}

export interface AccountSettings {
  country: string;
  chargesEnabled: boolean;
  /** Whether the account may receive Shared Payment Tokens (the private preview is enabled for it). */
  sharedPaymentTokens: boolean;
}

function routes(engine: StripeEngine, state: ServerState): Route[] {
  const id = "([A-Za-z0-9_]+)";
  return [
    { method: "GET", pattern: /^\/v1\/account$/, handler: () => accountJson(engine.accountId, state.account) },
    { method: "POST", pattern: /^\/v1\/test_helpers\/shared_payment\/granted_tokens$/, handler: (p) => engine.createGrantedToken(p) },
    { method: "POST", pattern: new RegExp(`^/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke$`), handler: (_p, m) => engine.revokeGrantedToken(m[1]) },
    { method: "GET", pattern: new RegExp(`^/v1/shared_payment/granted_tokens/${id}$`), handler: (_p, m) => engine.retrieveGrantedToken(m[1]) },
    { method: "POST", pattern: /^\/v1\/payment_intents$/, handler: (p, _m, v) => engine.createPaymentIntent(p, v) },
    { method: "GET", pattern: /^\/v1\/payment_intents$/, handler: (p) => engine.listPaymentIntents(p) },
    // `search` must precede the `:id` route, exactly as Stripe's router resolves it.
    { method: "GET", pattern: /^\/v1\/payment_intents\/search$/, handler: (p) => engine.searchPaymentIntents(p) },
    { method: "GET", pattern: new RegExp(`^/v1/payment_intents/${id}$`), handler: (p, m) => engine.getPaymentIntent(m[1], p) },
    { method: "POST", pattern: new RegExp(`^/v1/payment_intents/${id}/cancel$`), handler: (p, m) => engine.cancelPaymentIntent(m[1], p) },
    { method: "POST", pattern: new RegExp(`^/v1/payment_intents/${id}/capture$`), handler: (p, m) => engine.capturePaymentIntent(m[1], p) },
    { method: "GET", pattern: new RegExp(`^/v1/charges/${id}$`), handler: (_p, m) => engine.getCharge(m[1]) },
    { method: "POST", pattern: /^\/v1\/refunds$/, handler: (p) => engine.createRefund(p) },
    { method: "GET", pattern: /^\/v1\/refunds$/, handler: (p) => engine.listRefunds(p) },
    { method: "GET", pattern: new RegExp(`^/v1/refunds/${id}$`), handler: (_p, m) => engine.getRefund(m[1]) },
  ];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Canonical JSON (sorted keys) so that parameter order does not matter for idempotency. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function authenticate(req: IncomingMessage, keys: Set<string>): ApiError | null {
  const header = req.headers.authorization ?? "";
  let key = "";
  if (/^Bearer /i.test(header)) key = header.slice(7).trim();
  else if (/^Basic /i.test(header)) key = Buffer.from(header.slice(6).trim(), "base64").toString("utf8").split(":")[0];
  if (!key) {
    return invalidRequest("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.", { status: 401 });
  }
  if (!keys.has(key)) {
    // Stripe echoes only a masked form of the key.
    const masked = key.length > 8 ? `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : "****";
    return invalidRequest(`Invalid API Key provided: ${masked}`, { status: 401 });
  }
  return null;
}

function faultApplies(faults: StripeSimFaults, method: string, path: string): boolean {
  return !faults.match || `${method} ${path}`.startsWith(faults.match) || path.startsWith(faults.match);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An Account object as GET /v1/account returns it (abridged). */
function accountJson(id: string, a: AccountSettings): Record<string, unknown> {
  return {
    id,
    object: "account",
    country: a.country,
    charges_enabled: a.chargesEnabled,
    payouts_enabled: a.chargesEnabled,
    details_submitted: true,
    default_currency: a.country === "US" ? "usd" : "eur",
    type: "standard",
    capabilities: { card_payments: a.chargesEnabled ? "active" : "inactive" },
  };
}

/** Routes only an account in the Shared Payment Token preview, on a preview API version, can reach. */
const SPT_ROUTE = /^\/v1\/(test_helpers\/)?shared_payment\//;

export function createStripeServer(state: ServerState): http.Server {
  const table = routes(state.engine, state);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim.local");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const requestId = newId("req", 14);
    const apiVersion = (req.headers["stripe-version"] as string | undefined) ?? state.defaultApiVersion;
    const idemKey = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const log = (status: number, replayed = false, fault?: RequestLogEntry["fault"]) =>
      state.requestLog.push({ at: Date.now(), method, path, status, idempotencyKey: idemKey, replayed, fault, apiVersion });
    const now = () => Date.now() + state.clockOffsetMs;

    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Request-Id": requestId,
        "Stripe-Version": apiVersion,
        "Access-Control-Allow-Origin": "*",
        ...(idemKey ? { "Idempotency-Key": idemKey } : {}),
        ...extra,
      });
      res.end(body);
    };
    const sendError = (err: ApiError) => send(err.status, JSON.stringify({ error: { ...err.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } }, null, 2));

    if (path.startsWith(SIM_PREFIX)) return simControl(method, path, req, res, state);

    const authError = authenticate(req, state.apiKeys);
    if (authError) {
      log(401);
      return sendError(authError);
    }
    const version = parseApiVersion(apiVersion);
    if (!version) {
      log(400);
      return sendError(invalidRequest(`Invalid Stripe API version: ${apiVersion}`, { code: "invalid_api_version" }));
    }

    // The whole request is received before any fault applies: a slow or failing Stripe has the
    // request in hand (a client timeout does not stop the charge from happening).
    const rawBody = method === "POST" ? await readBody(req) : url.search.slice(1);

    const faults = state.faults;
    const affected = faultApplies(faults, method, path);
    if (affected && faults.latencyMs) await sleep(faults.latencyMs);
    if (affected && (faults.rateLimitNext ?? 0) > 0) {
      faults.rateLimitNext! -= 1;
      // The rate limiter answers before the endpoint runs: nothing executed, nothing stored (docs.stripe.com/rate-limits).
      log(429, false, "429");
      const headers: Record<string, string> = faults.rateLimitShouldRetry ? { "Stripe-Should-Retry": faults.rateLimitShouldRetry } : {};
      return send(429, JSON.stringify({ error: { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", doc_url: "https://docs.stripe.com/error-codes/rate-limit" } }, null, 2), headers);
    }
    if (affected && ((faults.failNext ?? 0) > 0 || Math.random() < (faults.failureRate ?? 0))) {
      if ((faults.failNext ?? 0) > 0) faults.failNext! -= 1;
      // Injected as an infrastructure failure in front of the API: nothing executed, nothing stored,
      // so a retry with the same Idempotency-Key runs for real.
      log(500, false, "500");
      return sendError(apiError("An unknown error occurred (injected by the Stripe sim)."));
    }

    let params: FormObject;
    try {
      params = parseForm(rawBody);
    } catch (e) {
      if (e instanceof FormParseError) {
        log(400);
        return sendError(invalidRequest(e.message));
      }
      throw e;
    }

    let route: Route | undefined;
    let match: RegExpExecArray | null = null;
    for (const r of table) {
      if (r.method !== method) continue;
      match = r.pattern.exec(path);
      if (match) {
        route = r;
        break;
      }
    }
    if (route && SPT_ROUTE.test(path) && !(isPreview(version) && state.account.sharedPaymentTokens)) route = undefined;
    if (!route || !match) {
      log(404);
      return sendError(invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, { status: 404 }));
    }

    // Idempotency (https://docs.stripe.com/api/idempotent_requests): POST only, scoped to the account.
    const storeKey = idemKey ? `${state.engine.accountId} ${idemKey}` : null;
    const endpoint = `${method} ${path}`;
    const paramsHash = createHash("sha256").update(canonical(params)).digest("hex");
    const saved = storeKey ? state.idempotency.get(storeKey) : undefined;
    if (storeKey && saved && now() - saved.storedAt >= IDEMPOTENCY_KEY_TTL_MS) state.idempotency.delete(storeKey); // pruned: a new request
    if (storeKey && state.idempotency.has(storeKey)) {
      const prior = state.idempotency.get(storeKey);
      if (prior === null || prior === undefined) {
        log(409);
        return sendError(new ApiError(409, {
          type: "invalid_request_error",
          code: "idempotency_key_in_use",
          message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idemKey}. Please try again later.`,
        }));
      }
      if (prior.endpoint !== endpoint) {
        log(400);
        return sendError(new ApiError(400, { type: "idempotency_error", message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${endpoint}' vs '${prior.endpoint}'). Try using a key other than '${idemKey}' if you meant to execute a different request.` }));
      }
      if (prior.paramsHash !== paramsHash) {
        log(400);
        return sendError(new ApiError(400, { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.` }));
      }
      log(prior.status, true);
      const noRetry: Record<string, string> = prior.status >= 500 ? { "Stripe-Should-Retry": "false" } : {};
      return send(prior.status, prior.body, { "Idempotent-Replayed": "true", "Original-Request": prior.requestId, ...noRetry });
    }
    if (storeKey) state.idempotency.set(storeKey, null);

    const storedFailure = affected && method === "POST" && (faults.storedFailNext ?? 0) > 0;
    if (storedFailure) {
      faults.storedFailNext! -= 1;
      // The endpoint started; it may have done its work. Stripe saves the 500 like any other result.
      if (faults.storedFailureAfterWork) {
        try {
          route.handler(params, match, version);
        } catch {
          // the work failed on its own; the answer is the 500 anyway
        }
      }
      const failure = JSON.stringify({ error: { ...apiError().body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } }, null, 2);
      if (storeKey) state.idempotency.set(storeKey, { endpoint, paramsHash, status: 500, body: failure, requestId, storedAt: now() });
      log(500, false, "stored_500");
      // stripe-node: "we expect the stripe-should-retry header to be false in most cases when a 500 is returned,
      // since our idempotency framework would typically replay it anyway" (RequestSender._shouldRetry).
      return send(500, failure, { "Stripe-Should-Retry": "false" });
    }

    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(route.handler(params, match, version), null, 2);
    } catch (e) {
      const err = e instanceof ApiError ? e : apiError();
      if (!(e instanceof ApiError)) console.error("[stripe-sim] handler crashed", e);
      status = err.status;
      body = JSON.stringify({ error: { ...err.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } }, null, 2);
      // Requests rejected by parameter validation never started executing: Stripe saves nothing.
      if (storeKey && err.body.code && VALIDATION_CODES.has(err.body.code)) {
        state.idempotency.delete(storeKey);
        log(status);
        return send(status, body);
      }
    }
    if (storeKey) state.idempotency.set(storeKey, { endpoint, paramsHash, status, body, requestId, storedAt: now() });

    if (affected && ((faults.dropNext ?? 0) > 0 || Math.random() < (faults.dropResponseRate ?? 0))) {
      if ((faults.dropNext ?? 0) > 0) faults.dropNext! -= 1;
      // The work is done (and remembered under the Idempotency-Key) but the client never hears back.
      log(status, false, "dropped");
      req.socket.destroy();
      return;
    }
    log(status);
    send(status, body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error("[stripe-sim] unexpected error", e);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { type: "api_error", message: "Internal error in the Stripe sim." } }));
      }
    });
  });
  return server;
}

async function simControl(method: string, path: string, req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body, null, 2));
  };
  if (method === "GET" && path === "/_sim/ledger") return json(200, { ...state.engine.ledger(), requests: state.requestLog });
  if (path === "/_sim/config") {
    if (method === "GET") return json(200, state.faults);
    if (method === "POST") {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)) || "{}");
      } catch {
        return json(400, { error: "body must be JSON" });
      }
      const problem = applyFaults(state, body);
      return problem ? json(400, { error: problem }) : json(200, state.faults);
    }
  }
  if (method === "POST" && path === "/_sim/reset") {
    resetState(state);
    return json(200, { ok: true });
  }
  json(404, { error: `unknown sim control route ${method} ${path}` });
}

const FAULT_KEYS: Record<keyof StripeSimFaults, "rate" | "count" | "ms" | "string" | "bool"> = {
  failureRate: "rate", failNext: "count", latencyMs: "ms", dropResponseRate: "rate", dropNext: "count", match: "string", searchLagMs: "ms",
  storedFailNext: "count", storedFailureAfterWork: "bool", rateLimitNext: "count", rateLimitShouldRetry: "string",
};

/** Replaces the fault config; returns an error message instead of applying a bad one. */
export function applyFaults(state: ServerState, input: unknown): string | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "faults must be an object";
  const next: StripeSimFaults = {};
  for (const [k, v] of Object.entries(input)) {
    const kind = FAULT_KEYS[k as keyof StripeSimFaults];
    if (!kind) return `unknown fault setting ${k}`;
    if (v === null || v === undefined) continue;
    if (kind === "string") {
      if (typeof v !== "string") return `${k} must be a string`;
      (next as Record<string, string>)[k] = v;
      continue;
    }
    if (kind === "bool") {
      if (typeof v !== "boolean") return `${k} must be a boolean`;
      (next as Record<string, boolean>)[k] = v;
      continue;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return `${k} must be a non-negative number`;
    if (kind === "rate" && v > 1) return `${k} must be between 0 and 1`;
    if (kind === "count" && !Number.isInteger(v)) return `${k} must be an integer`;
    (next as Record<string, number>)[k] = v;
  }
  // Mutate in place: the request handler holds a reference to the same object.
  for (const k of Object.keys(state.faults)) delete (state.faults as Record<string, unknown>)[k];
  Object.assign(state.faults, next);
  state.engine.searchLagMs = next.searchLagMs ?? 0;
  return null;
}

export function resetState(state: ServerState): void {
  state.engine.reset();
  state.idempotency.clear();
  state.requestLog.length = 0;
  state.clockOffsetMs = 0;
  for (const k of Object.keys(state.faults)) delete (state.faults as Record<string, unknown>)[k];
  state.engine.searchLagMs = 0;
}

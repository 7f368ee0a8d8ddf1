// The ACP checkout API as one framework-free function: web-standard Request in, Response out. It routes the
// paths under the base itself; the flow is design.md's "Agent request": authenticate → version → body and
// signature → idempotency → validate → service → serialize.
import type { CheckoutService, CheckoutOutcome } from "../checkout/service";
import type { CompleteCheckout, CompleteOutcome } from "../checkout/complete";
import type { Clock, ShopProfile } from "../checkout/ports";
import { IllegalTransitionError } from "../checkout/status";
import { AcpError, errors, invalidRequest, truncate } from "./errors";
import { DEFAULT_MAX_BODY_BYTES, errorResponse, isJsonContentType, jsonResponse, parseJsonObject, readBody, sanitizeRequestId } from "./http";
import { fingerprint, isValidIdempotencyKey, type IdempotencyStore } from "./idempotency";
import { describeError, validatorFor, warmValidators, type SchemaName } from "./schemas";
import type { ReplayGuard, SignatureVerifier } from "./signature";
import { parseBearer, tokenKey } from "../protection/credentials";
import type { AgentLimits, LimitDecision } from "../protection/agent-limits";
import type { Decision } from "../protection/limiter";
import { idempotencyKeyRequired, negotiateVersion, type AcpVersion } from "./versions";
import { v20250929 } from "./wire/v2025-09-29";
import { v20260417 } from "./wire/v2026-04-17";
import type { WireVersion } from "./wire/version";
import { isDatabaseUnavailable } from "../db/unavailable.server";
import { retryWhileBusy } from "../db/busy.server";

/** Who is calling, once the Bearer key is resolved: the shop, its signature rule, and its checkout. */
export interface AgentContext {
  shop: ShopProfile;
  keyId?: string;
  /** Present when the shop requires signed requests. */
  signature?: SignatureVerifier;
  /** Built lazily: replays and rejected requests never touch the store's adapters. */
  checkout(version: AcpVersion): CheckoutService | Promise<CheckoutService>;
  /** The complete workflow for this shop (payment gateway, order sink, recorder). */
  completion(version: AcpVersion): CompleteCheckout | Promise<CompleteCheckout>;
}

export interface AcpLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface AcpHandlerDeps {
  /** Path prefix the agent API lives under; default "/acp". */
  basePath?: string;
  authenticate(apiKey: string): Promise<AgentContext | null>;
  idempotency: IdempotencyStore;
  clock?: Clock;
  maxBodyBytes?: number;
  logger?: AcpLogger;
  /** Remembers accepted signatures so each is good once (docs/decisions/0110); required when a shop signs. */
  replays?: ReplayGuard;
  /** Per key, per client address and per shop request limits (docs/decisions/0111). */
  limits?: AgentLimits;
  /** The shop's Shopify cost budget for pricing requests (create, update; docs/decisions/0114). */
  shopifyBudget?: (shopDomain: string) => Decision;
  /** The cap on open checkout sessions per agent key (docs/decisions/0112). */
  openSessions?: {
    max: number;
    count(input: { agentKeyId: string; now: Date }): Promise<number>;
    record(input: { sessionId: string; shopId: string; agentKeyId: string }): Promise<void>;
  };
}

/** What the server knows about the connection (not the request): the socket's peer address. */
export interface ConnectionInfo {
  clientAddress?: string | null;
}

const WIRE: Record<AcpVersion, WireVersion> = { "2026-04-17": v20260417, "2025-09-29": v20250929 };

type Route =
  | { op: "create"; allow: ["POST"] }
  | { op: "session"; id: string; allow: ["GET", "POST"] }
  | { op: "cancel" | "complete"; id: string; allow: ["POST"] };

const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;

function route(pathname: string, base: string): Route | null {
  if (!pathname.startsWith(`${base}/`)) return null;
  const parts = pathname.slice(base.length + 1).replace(/\/$/, "").split("/");
  if (parts[0] !== "checkout_sessions") return null;
  if (parts.length === 1) return { op: "create", allow: ["POST"] };
  const id = decodeSegment(parts[1]);
  if (id === null || !SESSION_ID.test(id)) return parts.length <= 3 ? { op: "session", id: id ?? "", allow: ["GET", "POST"] } : null;
  if (parts.length === 2) return { op: "session", id, allow: ["GET", "POST"] };
  if (parts.length === 3 && (parts[2] === "cancel" || parts[2] === "complete")) return { op: parts[2], id, allow: ["POST"] };
  return null;
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function createAcpHandler(deps: AcpHandlerDeps): (request: Request, connection?: ConnectionInfo) => Promise<Response> {
  const base = (deps.basePath ?? "/acp").replace(/\/$/, "");
  const clock = deps.clock ?? { now: () => new Date() };
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  warmValidators();

  return async function handle(request: Request, connection: ConnectionInfo = {}): Promise<Response> {
    const started = Date.now();
    const requestId = sanitizeRequestId(request.headers.get("request-id"));
    const headers: Record<string, string> = requestId ? { "Request-Id": requestId } : {};
    let claimed: { shopId: string; agentKeyId: string; scope: string; key: string } | undefined;
    let shopId: string | undefined;
    let status = 500;
    try {
      const url = new URL(request.url);
      const matched = route(url.pathname, base);
      if (!matched) throw errors.notFound(`No ACP endpoint at ${truncate(url.pathname)}.`);
      if (!(matched.allow as string[]).includes(request.method)) throw errors.methodNotAllowed(matched.allow);

      const agent = await authenticate(request, deps, connection);
      shopId = agent.shop.id;
      const version = negotiateVersion(request.headers.get("api-version"));
      headers["API-Version"] = version;
      const wire = WIRE[version];

      const rawBody = request.method === "POST" ? await readBody(request, maxBody) : "";
      if (agent.signature) {
        const now = clock.now();
        const check = agent.signature.verify({
          method: request.method,
          path: `${url.pathname}${url.search}`,
          idempotencyKey: request.headers.get("idempotency-key"),
          apiVersion: request.headers.get("api-version"),
          rawBody,
          signature: request.headers.get("signature"),
          timestamp: request.headers.get("timestamp"),
          now,
        });
        if (!check.ok) throw errors.invalidSignature(check.reason);
        // A signature is good for one request, once: a second use (replay) is refused even though it verifies.
        if (!deps.replays) throw errors.invalidSignature("Signed requests cannot be checked for replay on this server.");
        if (!(await deps.replays.firstUse({ shopId: agent.shop.id, replayId: check.replayId, until: check.replayUntil, now }))) {
          throw errors.invalidSignature("This signature has already been used; sign each request afresh.");
        }
      }
      if (matched.op === "session" && request.method === "GET") {
        const response = await retrieve(agent, version, wire, matched.id);
        status = response.status;
        return jsonResponse(response.status, response.body, headers);
      }
      if (matched.op !== "create" && !SESSION_ID.test(matched.id)) throw errors.sessionNotFound(matched.id);

      const key = request.headers.get("idempotency-key");
      if (key === null) {
        if (idempotencyKeyRequired(version)) throw errors.idempotencyKeyRequired();
      } else {
        if (!isValidIdempotencyKey(key)) throw errors.idempotencyKeyInvalid();
        headers["Idempotency-Key"] = key;
      }
      if (rawBody.trim() !== "" && !isJsonContentType(request.headers.get("content-type"))) throw errors.unsupportedMediaType();
      const body = rawBody.trim() === "" ? (matched.op === "cancel" || matched.op === "complete" ? {} : null) : parseJsonObject(rawBody);
      if (body === null) throw errors.invalidJson("A JSON request body is required.");

      if (key !== null) {
        const scope = `POST ${url.pathname.slice(base.length)}`;
        const agentKeyId = agent.keyId ?? "";
        const claim = await deps.idempotency.claim({ shopId: agent.shop.id, agentKeyId, scope, key, fingerprint: fingerprint(rawBody.trim() === "" ? null : body), now: clock.now() });
        if (claim.kind === "replay") {
          status = claim.status;
          return jsonResponse(claim.status, claim.body, { ...headers, "Idempotent-Replayed": "true" });
        }
        if (claim.kind === "conflict") throw errors.idempotencyConflict();
        if (claim.kind === "in_flight") throw errors.idempotencyInFlight(claim.retryAfterSeconds);
        claimed = { shopId: agent.shop.id, agentKeyId, scope, key };
      }

      // Refusals below describe this moment, not the request: like a 5xx they release the claimed key.
      if (matched.op === "create" || matched.op === "session") {
        const budget = deps.shopifyBudget?.(agent.shop.domain);
        if (budget && !budget.allowed) {
          throw invalidRequest(429, "rate_limited", "This store's Shopify API budget is nearly spent; retry after the Retry-After delay.", undefined, { "Retry-After": String(budget.retryAfterSeconds) });
        }
      }
      if (matched.op === "create" && deps.openSessions && agent.keyId) {
        const open = await deps.openSessions.count({ agentKeyId: agent.keyId, now: clock.now() });
        if (open >= deps.openSessions.max) {
          throw invalidRequest(429, "too_many_open_sessions", `This API key has ${deps.openSessions.max} open checkout sessions; complete or cancel some, or let them expire, before creating more.`, undefined, { "Retry-After": "60" });
        }
      }

      let result: { status: number; body: string; sessionId?: string };
      try {
        result = await mutate(agent, version, wire, matched, body);
      } catch (error) {
        const acpError = toAcpError(error);
        if (acpError.status >= 500) throw error;
        result = { status: acpError.status, body: JSON.stringify(acpError.body) };
        Object.assign(headers, acpError.headers);
      }
      // The mutation has happened (a session may now exist). Bookkeeping after it must not become a 5xx that
      // releases the key, or the agent's retry would create a second session (docs/decisions/0175).
      const afterTheFact = async (what: string, work: () => Promise<void>) => {
        try {
          await retryWhileBusy(work);
        } catch (error) {
          deps.logger?.error({ requestId, shopId, err: describe(error) }, `acp request: ${what} failed after the mutation; answering anyway`);
        }
      };
      if (matched.op === "create" && result.sessionId && deps.openSessions && agent.keyId) {
        const { openSessions } = deps;
        const opened = { sessionId: result.sessionId, shopId: agent.shop.id, agentKeyId: agent.keyId };
        await afterTheFact("recording the open session", () => openSessions.record(opened));
      }
      if (claimed) {
        // A 409 describes a passing state (another request holds the session): like a 5xx it is not the answer
        // to this request, so the key is released and a retry with it runs afresh (docs/decisions/0024).
        const done = claimed;
        claimed = undefined;
        if (result.status === 409) await deps.idempotency.release(done);
        else await afterTheFact("storing the idempotent answer", () => deps.idempotency.complete(done, result.status, result.body));
      }
      status = result.status;
      return jsonResponse(result.status, result.body, headers);
    } catch (error) {
      const acpError = toAcpError(error);
      status = acpError.status;
      if (acpError.status >= 500) deps.logger?.error({ requestId, shopId, err: describe(error) }, "acp request failed");
      if (claimed) await deps.idempotency.release(claimed).catch(() => undefined); // never cache a 5xx
      return errorResponse(acpError, headers);
    } finally {
      deps.logger?.info({ requestId, shopId, method: request.method, status, ms: Date.now() - started }, "acp request");
    }
  };
}

/** The Bearer key → the agent, with the limits on either side of the database read (docs/decisions/0111). */
async function authenticate(request: Request, deps: AcpHandlerDeps, connection: ConnectionInfo): Promise<AgentContext> {
  const token = parseBearer(request.headers.get("authorization"));
  const tokenHash = token === null ? null : tokenKey(token);
  const limits = deps.limits;
  const address = limits?.addressOf(connection.clientAddress, request.headers.get("x-forwarded-for")) ?? "unknown";
  if (limits) refuseWhenLimited(await limits.beforeAuth({ tokenHash, address }));
  if (token === null) throw errors.unauthorized();
  const agent = await deps.authenticate(token);
  if (!agent) {
    if (limits) refuseWhenLimited(await limits.authFailed(address));
    throw errors.unauthorized("The API key is not valid or has been revoked.");
  }
  if (limits) refuseWhenLimited(await limits.authenticated({ tokenHash: tokenHash!, shopId: agent.shop.id }));
  return agent;
}

function refuseWhenLimited(decision: LimitDecision): void {
  if (decision.allowed) return;
  const whose = decision.scope === "key" ? "API key" : decision.scope === "shop" ? "store" : "client address";
  throw invalidRequest(429, "rate_limited", `Too many requests for this ${whose}; retry after the Retry-After delay.`, undefined, { "Retry-After": String(decision.retryAfterSeconds) });
}

async function retrieve(agent: AgentContext, version: AcpVersion, wire: WireVersion, id: string): Promise<{ status: number; body: string }> {
  if (!SESSION_ID.test(id)) throw errors.sessionNotFound(id);
  const service = await agent.checkout(version);
  return respond(await service.retrieve(id), wire, 200);
}

async function mutate(agent: AgentContext, version: AcpVersion, wire: WireVersion, matched: Route, body: Record<string, unknown>): Promise<{ status: number; body: string; sessionId?: string }> {
  switch (matched.op) {
    case "create": {
      const prepared = wire.prepareCreate(body);
      validate(version, "CheckoutSessionCreateRequest", prepared.body, wire);
      const command = wire.readCreate(prepared.body, prepared.quantities);
      return respond(await (await agent.checkout(version)).create(command), wire, 201);
    }
    case "session": {
      const prepared = wire.prepareUpdate(body);
      validate(version, "CheckoutSessionUpdateRequest", prepared.body, wire);
      const command = wire.readUpdate(prepared.body, prepared.quantities);
      return respond(await guard(() => agent.checkout(version), (s) => s.update(matched.id, command)), wire, 200);
    }
    case "cancel": {
      validate(version, "CancelSessionRequest", body, wire);
      return respond(await guard(() => agent.checkout(version), (s) => s.cancel(matched.id, wire.readCancelReason(body), wire.readIntentTrace(body))), wire, 200);
    }
    case "complete": {
      validate(version, "CheckoutSessionCompleteRequest", body, wire);
      const command = wire.readComplete(body);
      const outcome = await (await agent.completion(version)).complete(matched.id, command);
      return respondComplete(outcome, wire);
    }
  }
}

/** 200 on every settled answer, completed or not (the spec's status; docs/decisions/0074). */
function respondComplete(outcome: CompleteOutcome, wire: WireVersion): { status: number; body: string } {
  switch (outcome.kind) {
    case "ok":
    case "not_found":
      return respond(outcome, wire, 200);
    case "in_progress":
      throw invalidRequest(409, "checkout_in_progress", "The checkout session is being completed; retry shortly.", undefined, { "Retry-After": String(outcome.retryAfterSeconds) });
    case "requires_3ds":
      throw invalidRequest(400, "requires_3ds", "This checkout session requires issuer authentication. The request must include 'authentication_result'.", "$.authentication_result");
    case "pending":
      throw new AcpError(503, { type: "service_unavailable", code: "completion_pending", message: "The payment is being settled and the order placed; retry to get the result." }, { "Retry-After": String(outcome.retryAfterSeconds) });
  }
}

async function guard(service: () => CheckoutService | Promise<CheckoutService>, run: (s: CheckoutService) => Promise<CheckoutOutcome>): Promise<CheckoutOutcome> {
  return run(await service());
}

function validate(version: AcpVersion, name: SchemaName, body: unknown, wire: WireVersion): void {
  const validator = validatorFor(version, name);
  if (!validator || validator(body)) return;
  const { param, message } = describeError(validator.errors![0]);
  throw invalidRequest(400, "invalid_request", message, wire.mapParam(param));
}

function respond(outcome: CheckoutOutcome, wire: WireVersion, okStatus: number): { status: number; body: string; sessionId?: string } {
  switch (outcome.kind) {
    case "ok":
      return { status: okStatus, body: JSON.stringify(wire.serialize(outcome.session)), sessionId: outcome.session.id };
    case "not_found":
      throw errors.notFound("No such checkout session.");
    case "no_sellable_items":
      throw invalidRequest(400, "invalid_item_id", `The item ID '${truncate(outcome.itemId)}' does not exist.`, wire.mapParam(outcome.param));
    case "unsupported_currency":
      throw invalidRequest(400, "unsupported_currency", `This store sells in '${outcome.supported}', not '${truncate(outcome.currency)}'.`, "$.currency");
  }
}

function toAcpError(error: unknown): AcpError {
  if (error instanceof AcpError) return error;
  if (error instanceof IllegalTransitionError) {
    if (error.inProgress) return invalidRequest(409, "checkout_in_progress", "The checkout session is being completed; retry shortly.", undefined, { "Retry-After": "2" });
    return invalidRequest(405, "invalid_state", error.message);
  }
  if (error && typeof error === "object" && (error as { retryable?: unknown }).retryable === true) return errors.unavailable();
  // The database is down, restarting or out of connections: nothing durable was done; retry (docs/decisions/0129).
  if (isDatabaseUnavailable(error)) return errors.unavailable(undefined, 5);
  return errors.internal();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

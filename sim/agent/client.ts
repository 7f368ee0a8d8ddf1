// The agent client: calls the app's ACP checkout API the way ChatGPT does — Bearer key, API-Version,
// Idempotency-Key on every POST, Request-Id, optional request signature — and returns status, headers and body.
import { createHash, createHmac, randomUUID } from "node:crypto";

export type AcpVersion = "2026-04-17" | "2025-09-29";

export interface AgentClientOptions {
  /** e.g. http://localhost:3000/acp */
  baseUrl: string;
  apiKey: string;
  version?: AcpVersion;
  /** Shared secret when the shop requires signed requests: `Signature: v2=…`, HMAC-SHA256 over method, path,
   *  Idempotency-Key, API-Version, Timestamp and the body's SHA-256 (docs/decisions/0110). */
  signingSecret?: string;
  fetch?: typeof fetch;
  /** The clock the Timestamp is taken from (default: the system clock). */
  now?: () => Date;
}

export interface AgentResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  requestId: string;
  idempotencyKey?: string;
}

export function createAgentClient(options: AgentClientOptions) {
  const base = options.baseUrl.replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;
  const version = options.version ?? "2026-04-17";

  async function send(method: "GET" | "POST", path: string, body?: unknown, idempotencyKey?: string): Promise<AgentResponse> {
    const requestId = `req_${randomUUID()}`;
    const raw = body === undefined ? "" : JSON.stringify(body);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.apiKey}`,
      "API-Version": version,
      "Request-Id": requestId,
      "User-Agent": "acp-sim-agent/1.0",
      "Accept-Language": "en-US",
    };
    if (method === "POST") {
      headers["Content-Type"] = "application/json";
      headers["Idempotency-Key"] = idempotencyKey ?? randomUUID();
    }
    const url = `${base}${path}`;
    if (options.signingSecret) {
      const timestamp = (options.now?.() ?? new Date()).toISOString();
      headers.Timestamp = timestamp;
      const { pathname, search } = new URL(url);
      headers.Signature = signRequest(options.signingSecret, [method, `${pathname}${search}`, headers["Idempotency-Key"] ?? "", version, timestamp, method === "POST" ? raw : ""]);
    }
    const response = await doFetch(url, { method, headers, body: method === "POST" ? raw : undefined });
    const text = await response.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { raw: text };
    }
    return { status: response.status, headers: response.headers, body: parsed, requestId, idempotencyKey: headers["Idempotency-Key"] };
  }

  const id = (sessionId: string) => encodeURIComponent(sessionId);
  return {
    version,
    create: (body: unknown, idempotencyKey?: string) => send("POST", "/checkout_sessions", body, idempotencyKey),
    update: (sessionId: string, body: unknown, idempotencyKey?: string) => send("POST", `/checkout_sessions/${id(sessionId)}`, body, idempotencyKey),
    retrieve: (sessionId: string) => send("GET", `/checkout_sessions/${id(sessionId)}`),
    /** Charges the delegated token and places the order; 200 with the session (with `order` once completed). */
    complete: (sessionId: string, body: unknown, idempotencyKey?: string) => send("POST", `/checkout_sessions/${id(sessionId)}/complete`, body, idempotencyKey),
    cancel: (sessionId: string, body: unknown = {}, idempotencyKey?: string) => send("POST", `/checkout_sessions/${id(sessionId)}/cancel`, body, idempotencyKey),
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;

/**
 * The agent's side of request signatures, written from the documented scheme (docs/decisions/0110), not shared
 * with the app: `v2=` + base64url HMAC-SHA256 over the lines `v2`, METHOD, path?query, Idempotency-Key (or empty),
 * API-Version, Timestamp, and the lower-case hex SHA-256 of the raw body.
 */
export function signRequest(secret: string, [method, path, idempotencyKey, apiVersion, timestamp, rawBody]: [string, string, string, string, string, string]): string {
  const digest = createHash("sha256").update(rawBody, "utf8").digest("hex");
  const canonical = ["v2", method.toUpperCase(), path, idempotencyKey, apiVersion, timestamp, digest].join("\n");
  return `v2=${createHmac("sha256", secret).update(canonical, "utf8").digest("base64url")}`;
}

/** Request bodies in each version's shape, so flows read the same whatever the version. */
export const shapes = {
  create(version: AcpVersion, items: { id: string; quantity: number }[], buyer?: { first_name: string; last_name: string; email: string }) {
    return version === "2025-09-29" ? { items, ...(buyer ? { buyer } : {}) } : { currency: "usd", capabilities: { interventions: { supported: [] } }, line_items: items, ...(buyer ? { buyer } : {}) };
  },
  address(version: AcpVersion, address: Record<string, string>, email?: string) {
    return version === "2025-09-29" ? { fulfillment_address: address } : { fulfillment_details: { name: address.name, email, address } };
  },
  option(version: AcpVersion, optionId: string, itemIds: string[]) {
    return version === "2025-09-29" ? { fulfillment_option_id: optionId } : { selected_fulfillment_options: [{ type: "shipping", option_id: optionId, item_ids: itemIds }] };
  },
  complete(version: AcpVersion, token: string) {
    return version === "2025-09-29"
      ? { payment_data: { token, provider: "stripe" } }
      : { payment_data: { handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token } } } };
  },
};

// One checkout core, two transports: a checkout tool call becomes the REST request the ACP handler already serves
// (same path, so the same idempotency scope; the MCP request's Bearer key; `meta` as headers), and its Response
// becomes the tool result. Auth, versions, idempotency, validation, service and serializers are the REST code.
import { randomUUID } from "node:crypto";
import { CHECKOUT_OPERATIONS, type CheckoutToolName } from "./binding";
import { AcpToolError, readAcpError, toolErrors } from "./errors";
import type { AcpErrorBody } from "../acp/errors";
import { readBindingPayload } from "./binding-leniency";

export type AcpFetch = (request: Request) => Promise<Response>;

export interface CheckoutCall {
  tool: CheckoutToolName;
  arguments: Record<string, unknown>;
  /** The MCP request's Authorization header, passed on unchanged. */
  authorization: string;
}

export interface CheckoutResult {
  session: Record<string, unknown>;
  status: number;
  replayed: boolean;
}

/** `meta` fields and the REST headers they stand for (OpenRPC components.schemas.meta). */
const META_HEADERS: Record<string, string> = {
  api_version: "API-Version",
  idempotency_key: "Idempotency-Key",
  request_id: "Request-Id",
  user_agent: "User-Agent",
  accept_language: "Accept-Language",
  signature: "Signature",
  timestamp: "Timestamp",
};

export function createCheckoutCaller(options: { acp: AcpFetch; basePath?: string }) {
  const base = (options.basePath ?? "/acp").replace(/\/$/, "");

  return async function callCheckoutTool(call: CheckoutCall): Promise<CheckoutResult> {
    const op = CHECKOUT_OPERATIONS[call.tool];
    const args = call.arguments;
    const meta = args.meta;
    if (!meta || typeof meta !== "object" || Array.isArray(meta)) throw toolErrors.invalidArguments("$.meta is required, with at least meta.api_version.", "$.meta");
    const id = args.id;
    if (op.idRequired && (typeof id !== "string" || id === "")) throw toolErrors.invalidArguments("$.id (the checkout session id) is required.", "$.id");
    const payload = args.payload;
    if (payload !== undefined && payload !== null && (typeof payload !== "object" || Array.isArray(payload))) throw toolErrors.invalidArguments("$.payload must be a JSON object.", "$.payload");
    if (op.payloadRequired && (payload === undefined || payload === null)) throw toolErrors.invalidArguments("$.payload is required.", "$.payload");

    const headers = new Headers({ Authorization: call.authorization, Accept: "application/json" });
    for (const [field, header] of Object.entries(META_HEADERS)) {
      const value = (meta as Record<string, unknown>)[field];
      if (typeof value === "string" && value !== "") headers.set(header, value);
    }
    // The binding makes the key optional (upstream #295) where REST 2026-04-17 requires it: a call without one runs
    // once, unprotected against retries, under a key nobody else can present (docs/decisions/0091).
    if (op.method === "POST" && !headers.has("Idempotency-Key")) headers.set("Idempotency-Key", `mcp-once-${randomUUID()}`);

    let body: string | undefined;
    if (op.method === "POST" && payload) {
      body = JSON.stringify(readBindingPayload(call.tool, payload as Record<string, unknown>));
      headers.set("Content-Type", "application/json");
    }
    const url = new URL(`${base}${op.path(typeof id === "string" ? id : "")}`, "http://mcp.internal");
    const response = await options.acp(new Request(url, { method: op.method, headers, body }));
    const text = await response.text();
    if (!response.ok) {
      const error = readAcpError(text) ?? toolErrors.internal().data;
      throw new AcpToolError(error.param ? relative(error) : error);
    }
    let session: unknown;
    try {
      session = JSON.parse(text);
    } catch {
      throw toolErrors.internal();
    }
    if (!session || typeof session !== "object") throw toolErrors.internal();
    return { session: session as Record<string, unknown>, status: response.status, replayed: response.headers.get("idempotent-replayed") === "true" };
  };
}

/** The core's error with its `param` relative to the tool arguments, and a message that names that same path. */
function relative(error: AcpErrorBody): AcpErrorBody {
  const param = argumentPath(error.param!);
  const message = error.message.startsWith(error.param!) ? `${param}${error.message.slice(error.param!.length)}` : `${param}: ${error.message}`;
  return { ...error, param, message };
}

/** A REST body path (`$.currency`) as a path in the tool's arguments (`$.payload.currency`), as the binding's
 *  error example has it; `$.id` (the session in the URL) is the `id` argument already. */
export function argumentPath(param: string): string {
  if (param === "$.id" || !param.startsWith("$")) return param;
  return `$.payload${param.slice(1)}`;
}

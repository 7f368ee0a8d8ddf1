// The spec's flat protocol error `{type, code, message, param}` (acp.md §2.6). Used only when no session can be
// returned; business problems are messages on a 2xx session.

export type AcpErrorType = "invalid_request" | "processing_error" | "service_unavailable";

export interface AcpErrorBody {
  type: AcpErrorType;
  code: string;
  message: string;
  param?: string;
  supported_versions?: string[];
}

/** A protocol error with its HTTP status and extra headers (Retry-After, Allow). */
export class AcpError extends Error {
  constructor(
    readonly status: number,
    readonly body: AcpErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "AcpError";
  }
}

export function invalidRequest(status: number, code: string, message: string, param?: string, headers?: Record<string, string>): AcpError {
  return new AcpError(status, { type: "invalid_request", code, message, ...(param ? { param } : {}) }, headers);
}

export const errors = {
  notFound: (message = "Not found.") => invalidRequest(404, "not_found", message),
  sessionNotFound: (id: string) => invalidRequest(404, "checkout_session_not_found", `No checkout session '${truncate(id)}' exists.`, "$.id"),
  methodNotAllowed: (allow: string[]) => invalidRequest(405, "method_not_allowed", `Use ${allow.join(" or ")} on this path.`, undefined, { Allow: allow.join(", ") }),
  unauthorized: (message = "A valid API key is required: Authorization: Bearer <key>.") =>
    invalidRequest(401, "unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="acp"' }),
  invalidSignature: (message: string) => invalidRequest(401, "invalid_signature", message),
  missingVersion: (supported: string[]) =>
    new AcpError(400, { type: "invalid_request", code: "missing_api_version", message: "The API-Version header is required.", supported_versions: supported }),
  unsupportedVersion: (version: string, supported: string[]) =>
    new AcpError(400, {
      type: "invalid_request",
      code: "unsupported_api_version",
      message: `API version '${truncate(version)}' is not supported.`,
      supported_versions: supported,
    }),
  unsupportedMediaType: () => invalidRequest(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json."),
  tooLarge: (limit: number) => invalidRequest(413, "request_too_large", `The request body exceeds ${limit} bytes.`),
  invalidJson: (message = "The request body is not valid JSON.") => invalidRequest(400, "invalid_json", message),
  idempotencyKeyRequired: () => invalidRequest(400, "idempotency_key_required", "Idempotency-Key header is required"),
  idempotencyKeyInvalid: () => invalidRequest(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters."),
  idempotencyConflict: () => invalidRequest(422, "idempotency_conflict", "Idempotency-Key has already been used with a different request body"),
  idempotencyInFlight: (retryAfterSeconds: number) =>
    invalidRequest(409, "idempotency_in_flight", "A request with this Idempotency-Key is currently being processed", undefined, { "Retry-After": String(retryAfterSeconds) }),
  rateLimited: (retryAfterSeconds: number, scope: "key" | "shop") =>
    invalidRequest(429, "rate_limited", `Too many requests for this ${scope === "key" ? "API key" : "store"}; retry after the Retry-After delay.`, undefined, {
      "Retry-After": String(retryAfterSeconds),
    }),
  internal: () => new AcpError(500, { type: "processing_error", code: "internal_error", message: "The request could not be processed. It is safe to retry." }),
  unavailable: (message = "The store is temporarily unavailable. Retry shortly.", retryAfterSeconds = 2) =>
    new AcpError(503, { type: "service_unavailable", code: "upstream_unavailable", message }, { "Retry-After": String(retryAfterSeconds) }),
};

export function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

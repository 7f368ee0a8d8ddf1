// Stripe's error envelope: `{"error":{type, code?, decline_code?, message, param?, doc_url?, ...}}`.
// Handlers throw ApiError; the server turns it into the HTTP response, so every failure path shares
// one shape and one status mapping (400 invalid request, 401 auth, 402 card, 404 missing, 409 conflict).

export type StripeErrorType =
  | "api_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  payment_intent?: unknown;
  charge?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://docs.stripe.com/error-codes/${code.replace(/_/g, "-")}`;

export function invalidRequest(message: string, opts: { code?: string; param?: string; status?: number } = {}): ApiError {
  const body: StripeErrorBody = { type: "invalid_request_error", message };
  if (opts.code) {
    body.code = opts.code;
    body.doc_url = docUrl(opts.code);
  }
  if (opts.param) body.param = opts.param;
  return new ApiError(opts.status ?? 400, body);
}

export function missingParam(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: "parameter_missing", param });
}

export function unknownParam(param: string): ApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: "parameter_unknown", param });
}

export function resourceMissing(kind: string, id: string, param?: string): ApiError {
  // Stripe answers 404 for an unknown id in the URL and 400 for an unknown id passed as a parameter.
  return invalidRequest(`No such ${kind}: '${id}'`, { code: "resource_missing", param, status: param ? 400 : 404 });
}

export function cardError(
  message: string,
  code: string,
  declineCode: string,
  extra: { payment_intent?: unknown; charge?: string; payment_method?: unknown },
): ApiError {
  return new ApiError(402, {
    type: "card_error",
    code,
    decline_code: declineCode,
    message,
    doc_url: docUrl(code),
    ...extra,
  });
}

export function apiError(message = "An unknown error occurred"): ApiError {
  return new ApiError(500, { type: "api_error", message });
}

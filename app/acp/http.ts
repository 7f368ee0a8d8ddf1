// Reading agent requests safely: size limit, JSON content type, UTF-8, nesting depth. Writing JSON responses.
import { AcpError, errors } from "./errors";
import { BodyTooLarge, readBodyBytes } from "../http/body-limit.server";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const MAX_JSON_DEPTH = 32;

export async function readBody(request: Request, limit: number): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw errors.tooLarge(limit);
    throw error;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw errors.invalidJson("The request body is not valid UTF-8.");
  }
}

export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0].trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** Parses a JSON object body; anything else (array, scalar, too deep, malformed) is a 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw errors.invalidJson("The request body must be a JSON object.");
  const shape = inspect(value, MAX_JSON_DEPTH);
  if (shape === "too_deep") throw errors.invalidJson(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  if (shape === "lone_surrogate") throw errors.invalidJson("The request body contains a string that is not valid Unicode.");
  return value as Record<string, unknown>;
}

/** Iterative, so a pathological body cannot overflow the stack; also finds lone UTF-16 surrogates (from `\ud800`
 *  escapes), which no canonical JSON can represent. */
function inspect(root: unknown, max: number): "ok" | "too_deep" | "lone_surrogate" {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > max) return "too_deep";
    if (typeof value === "string" && !isWellFormed(value)) return "lone_surrogate";
    if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (!isWellFormed(key)) return "lone_surrogate";
        if (child && typeof child === "object") stack.push([child, depth + 1]);
        else if (typeof child === "string" && !isWellFormed(child)) return "lone_surrogate";
      }
    }
  }
  return "ok";
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

export function jsonResponse(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

export function errorResponse(error: AcpError, headers: Record<string, string>): Response {
  return jsonResponse(error.status, JSON.stringify(error.body), { ...headers, ...error.headers });
}

/** Echo only a sane Request-Id (printable ASCII, bounded); anything else is dropped, never reflected. */
export function sanitizeRequestId(value: string | null): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 200 && /^[\x21-\x7e]+$/.test(trimmed) ? trimmed : undefined;
}

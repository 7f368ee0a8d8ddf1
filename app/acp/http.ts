// Reading agent requests safely: size limit, JSON content type, UTF-8, nesting depth. Writing JSON responses.
import { AcpError, errors } from "./errors";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const MAX_JSON_DEPTH = 32;

export async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limit) throw errors.tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw errors.tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
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
  if (depthExceeds(value, MAX_JSON_DEPTH)) throw errors.invalidJson(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  return value as Record<string, unknown>;
}

/** Iterative, so a pathological body cannot overflow the stack. */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > max) return true;
    if (value && typeof value === "object") for (const child of Object.values(value)) if (child && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
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

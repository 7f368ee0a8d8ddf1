// Reading a request body with a byte cap, enforced while it streams in: a declared Content-Length over the cap is
// refused before a byte is read, the bytes are counted as chunks arrive, and the stream is cancelled the moment
// the count passes the cap, so a hostile 300 MB upload costs at most `limit` bytes of memory (docs/decisions/0100).
// Framework-free: web Request in, web Request (or bytes) out.

/** The caps per surface; scripts/serve.mjs holds the server-wide backstop (SERVER_BODY_LIMITS), which is larger. */
export const BODY_LIMITS = {
  /** Shopify webhook deliveries: Shopify's own payloads (orders with many lines, bulk results) stay well below. */
  shopifyWebhook: 1024 * 1024,
  /** Admin form actions (settings, products, feed, order page). */
  adminForm: 64 * 1024,
  /** The login form and OAuth callbacks: a shop domain, nothing more. */
  login: 8 * 1024,
  /** Admin UI extension APIs (JSON). */
  extension: 16 * 1024,
} as const;

/** The body was larger than the cap (declared or counted). The route answers 413 in its own format. */
export class BodyTooLarge extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
    this.name = "BodyTooLarge";
  }
}

/** The declared Content-Length when it is a plain non-negative integer; undefined when absent. */
function declaredLength(request: Request): number | undefined {
  const value = request.headers.get("content-length");
  if (value === null) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : Number.POSITIVE_INFINITY; // garbage is not a small body
}

/** The body's bytes, at most `limit` of them; throws BodyTooLarge (and cancels the stream) past it. */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(limit);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (error) {
      // The server's own backstop (scripts/serve.mjs) errors the stream with a marked error past its cap.
      if ((error as { code?: unknown } | null)?.code === "BODY_TOO_LARGE") throw new BodyTooLarge(Number((error as { limit?: unknown }).limit) || limit);
      throw error;
    }
    const { done, value } = step;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A copy of `request` whose body is already buffered (at most `limit` bytes), so libraries that read the body
 * themselves (authenticate.webhook, request.formData()) can still do so. Throws BodyTooLarge. Requests without a
 * body (GET, HEAD) are returned as they are.
 */
export async function withBodyLimit(request: Request, limit: number): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const bytes = await readBodyBytes(request, limit);
  const headers = new Headers(request.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  return new Request(request.url, { method: request.method, headers, body: bytes, signal: request.signal, redirect: request.redirect });
}

/** The form of a capped request; past the cap, throws a plain 413 Response (Remix answers it as it is). */
export async function formDataWithin(request: Request, limit: number): Promise<FormData> {
  try {
    const capped = await withBodyLimit(request, limit);
    return await capped.formData().catch(() => {
      throw new Response("The request body is not a form.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  } catch (error) {
    if (error instanceof BodyTooLarge) throw tooLargeText(error.limit);
    throw error;
  }
}

/** A 413 with a plain-text body (forms, login, Shopify webhooks take no JSON error). */
export function tooLargeText(limit: number): Response {
  return new Response(`Request body too large (limit ${limit} bytes).`, { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8", Connection: "close" } });
}

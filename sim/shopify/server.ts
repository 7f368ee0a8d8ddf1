// The HTTP surface: Shopify's Admin GraphQL endpoints, bulk result files and the /_sim control API.
import { createReadStream, existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { runGraphql } from "./execute.js";
import { SUPPORTED_API_VERSIONS } from "./schema.js";
import type { ShopifySim } from "./index.js";
import { handleControl } from "./control.js";
import { throttledBody } from "./faults.js";
import { orderLimitAnswer } from "./resolvers/order-limits.js";
import { IMAGE_PATH, productImagePng } from "./fixtures/images/product-image.js";

const INVALID_TOKEN = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error("Request body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function createHandler(sim: ShopifySim) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const p = url.pathname;
      if (p.startsWith("/_sim/") || p === "/_sim") return await handleControl(sim, req, res, url);
      if (p === "/healthz") return send(res, 200, { ok: true });
      const file = /^\/_files\/bulk\/([a-f0-9]+)\.jsonl$/.exec(p);
      if (file && req.method === "GET") return serveBulkFile(sim, file[1], res);
      if (p.startsWith(`${IMAGE_PATH}/`) && (req.method === "GET" || req.method === "HEAD")) return serveProductImage(p.slice(IMAGE_PATH.length + 1), req, res);
      const gql = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/.exec(p);
      if (gql) return await handleGraphql(sim, req, res, gql[1] ? decodeURIComponent(gql[1]) : null, gql[2]);
      send(res, 404, { errors: "Not Found" });
    } catch (e) {
      send(res, 500, { errors: "Internal simulator error", message: (e as Error).message });
    }
  };
}

function serveBulkFile(sim: ShopifySim, token: string, res: ServerResponse): void {
  const file = sim.bulk.files.get(token);
  if (!file || !existsSync(file)) return send(res, 404, { errors: "Not Found" });
  res.writeHead(200, { "Content-Type": "application/jsonl" });
  // Streamed: result files can be hundreds of MB.
  createReadStream(file).pipe(res);
}

// The demo catalog's pictures (fixtures/images): drawn once per name, then served from memory.
const images = new Map<string, Buffer>();
function serveProductImage(file: string, req: IncomingMessage, res: ServerResponse): void {
  const name = file.endsWith(".png") ? file.slice(0, -4) : "";
  let png = images.get(name);
  if (!png) {
    const drawn = productImagePng(name);
    if (!drawn) return send(res, 404, { errors: "Not Found" });
    if (images.size < 1000) images.set(name, drawn);
    png = drawn;
  }
  res.writeHead(200, { "Content-Type": "image/png", "Content-Length": String(png.length), "Cache-Control": "public, max-age=86400" });
  res.end(req.method === "HEAD" ? undefined : png);
}

async function handleGraphql(sim: ShopifySim, req: IncomingMessage, res: ServerResponse, pathShop: string | null, version: string): Promise<void> {
  const headers = { "X-Request-Id": randomUUID(), "X-Shopify-API-Version": version };
  if (req.method !== "POST") return send(res, 405, { errors: "Method Not Allowed" }, headers);
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(version)) return send(res, 404, { errors: "Not Found" }, headers);
  const token = req.headers["x-shopify-access-token"];
  const tokenShop = typeof token === "string" ? sim.store.shopForToken(token) : undefined;
  if (!tokenShop) return send(res, 401, INVALID_TOKEN, headers);
  let shop = tokenShop;
  if (pathShop) {
    const s = sim.store.shops.get(pathShop);
    if (!s) return send(res, 404, { errors: "Not Found" }, headers);
    // A token only works for the shop it was issued for.
    if (s !== tokenShop) return send(res, 401, INVALID_TOKEN, headers);
    shop = s;
  } else {
    const host = (req.headers.host ?? "").split(":")[0];
    const hostShop = sim.store.shops.get(host);
    if (hostShop && hostShop !== tokenShop) return send(res, 401, INVALID_TOKEN, headers);
  }
  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    return send(res, 413, { errors: "Request Entity Too Large" }, headers);
  }
  let body: { query?: unknown; variables?: unknown; operationName?: unknown };
  const ctype = String(req.headers["content-type"] ?? "");
  if (ctype.includes("application/graphql")) body = { query: raw };
  else {
    try {
      body = JSON.parse(raw);
      if (!body || typeof body !== "object") throw new Error("not an object");
    } catch {
      return send(res, 400, { errors: { query: "Required parameter missing or invalid" } }, headers);
    }
  }
  // Injected faults (faults.ts): latency first, then at most one of error / throttle / timeout / dropped response.
  const fault = sim.faults.forRequest(typeof body.query === "string" ? body.query : "", body.operationName);
  if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
  if (fault.kind === "error") return send(res, fault.status, { errors: fault.status === 500 ? "Internal Server Error" : fault.status === 502 ? "Bad Gateway" : "Service Unavailable" }, headers);
  if (fault.kind === "throttle") return send(res, 200, throttledBody(), headers);
  if (fault.kind === "timeout") {
    // Nothing runs; the connection stays open until the client gives up (or holdMs passes), then it is cut.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, fault.holdMs);
      res.once("close", () => (clearTimeout(timer), resolve()));
    });
    res.destroy();
    return;
  }
  // A development store's limit on orders created through the API (resolvers/order-limits.ts): nothing runs.
  const limited = orderLimitAnswer(shop, typeof body.query === "string" ? body.query : "");
  if (limited) return send(res, limited.status, limited.body, { ...headers, ...limited.headers });
  const outcome = await runGraphql(sim.schema, shop, sim.services, body);
  sim.recordCall(outcome.record);
  if (fault.kind === "drop_response") {
    res.destroy(); // it ran (an orderCreate made its order), but the caller never hears back
    return;
  }
  send(res, 200, outcome.body, headers);
}

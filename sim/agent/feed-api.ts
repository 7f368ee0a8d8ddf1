// A local ACP Feed API endpoint (the agent side of spec/acp/2026-04-17/openapi/openapi.feed.yaml) for tests
// and the demo: POST /feeds, GET /feeds/{id}, GET/PATCH /feeds/{id}/products. Bodies are validated against the
// official JSON Schema bundle; errors are the spec's flat {type, code, message, param}; writes need an
// Idempotency-Key (replayed with Idempotent-Replayed: true, 422 on a different body).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import feedBundle from "../../spec/acp/2026-04-17/json-schema/schema.feed.json";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export const FEED_API_VERSIONS = ["2026-04-17"];

let validators: Record<string, ValidateFunction> | null = null;
/** Validators for the Feed API schemas (exported for tests that check the app's payloads directly). */
export function feedSchemaValidator(name: "CreateFeedRequest" | "UpsertProductsRequest" | "Product" | "FeedMetadata" | "Error"): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(feedBundle as Record<string, unknown>, "feed");
    validators = {};
    for (const n of ["CreateFeedRequest", "UpsertProductsRequest", "Product", "FeedMetadata", "Error"]) validators[n] = ajv.getSchema(`feed#/$defs/${n}`)!;
  }
  return validators[name];
}

interface StoredFeed {
  id: string;
  target_country?: string;
  updated_at: string;
  products: Map<string, Record<string, unknown>>;
}

export interface FeedApiRequestLog {
  method: string;
  path: string;
  status: number;
  apiVersion: string | null;
  idempotencyKey: string | null;
  products?: number;
}

export interface FeedApiSim {
  url: string;
  feeds: Map<string, StoredFeed>;
  requests: FeedApiRequestLog[];
  /** The next `count` requests fail with `status` (default 503) before reaching the handler. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export interface FeedApiSimOptions {
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
  return status;
}

const error = (res: ServerResponse, status: number, code: string, message: string, param?: string, type = "invalid_request") =>
  send(res, status, { type, code, message, ...(param ? { param } : {}) });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFeedApiSim(options: FeedApiSimOptions = {}): Promise<FeedApiSim> {
  const feeds = new Map<string, StoredFeed>();
  const requests: FeedApiRequestLog[] = [];
  const idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  let failures: { count: number; status: number } = { count: 0, status: 503 };

  async function handle(req: IncomingMessage, res: ServerResponse, log: FeedApiRequestLog): Promise<number> {
    if (failures.count > 0) {
      failures.count -= 1;
      return error(res, failures.status, "service_unavailable", "Simulated outage", undefined, "service_unavailable");
    }
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return error(res, 401, "unauthorized", "Missing or wrong API key", undefined, "invalid_request");
    const version = log.apiVersion;
    if (!version || !FEED_API_VERSIONS.includes(version)) {
      return send(res, 400, { type: "invalid_request", code: "unsupported_api_version", message: `API-Version must be one of ${FEED_API_VERSIONS.join(", ")}`, param: "API-Version" });
    }
    const url = new URL(req.url ?? "/", "http://sim");
    const parts = url.pathname.split("/").filter(Boolean);
    const method = req.method ?? "GET";
    const raw = method === "GET" ? "" : await readBody(req);
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return error(res, 400, "invalid_json", "Body is not JSON");
      }
    }
    // Writes are idempotent by key: same key + same body replays; same key + other body is a conflict.
    const write = method === "POST" || method === "PATCH";
    let idemKey: string | null = null;
    if (write) {
      if (!log.idempotencyKey) return error(res, 400, "missing_idempotency_key", "Idempotency-Key header is required", "Idempotency-Key");
      idemKey = `${method} ${url.pathname} ${log.idempotencyKey}`;
      const fingerprint = createHash("sha256").update(raw).digest("hex");
      const seen = idempotency.get(idemKey);
      if (seen) {
        if (seen.fingerprint !== fingerprint) return error(res, 422, "idempotency_conflict", "Idempotency-Key reused with a different body", "Idempotency-Key");
        return send(res, seen.status, seen.body, { "Idempotent-Replayed": "true" });
      }
    }
    const remember = (status: number, payload: unknown) => {
      if (idemKey && status < 500) idempotency.set(idemKey, { fingerprint: createHash("sha256").update(raw).digest("hex"), status, body: payload });
      return send(res, status, payload);
    };

    if (parts[0] !== "feeds") return error(res, 404, "not_found", "No such endpoint");
    if (parts.length === 1 && method === "POST") {
      const v = feedSchemaValidator("CreateFeedRequest");
      if (!v(body ?? {})) return error(res, 400, "invalid_target_country", "target_country must be an ISO 3166-1 alpha-2 code", "target_country");
      const feed: StoredFeed = { id: `feed_${randomBytes(6).toString("base64url")}`, updated_at: new Date().toISOString(), products: new Map() };
      const tc = (body as { target_country?: string } | undefined)?.target_country;
      if (tc) feed.target_country = tc;
      feeds.set(feed.id, feed);
      return remember(201, metadata(feed));
    }
    const feed = parts[1] ? feeds.get(decodeURIComponent(parts[1])) : undefined;
    if (!feed) return error(res, 404, "feed_not_found", "Feed not found", "id");
    if (parts.length === 2 && method === "GET") return send(res, 200, metadata(feed));
    if (parts.length === 3 && parts[2] === "products") {
      if (method === "GET") return send(res, 200, { products: [...feed.products.values()] });
      if (method === "PATCH") {
        const v = feedSchemaValidator("UpsertProductsRequest");
        if (!v(body)) {
          const first = v.errors?.[0];
          return remember(400, { type: "invalid_request", code: "invalid_product_payload", message: `products: ${first?.instancePath ?? ""} ${first?.message ?? "invalid"}`.trim(), param: "products" });
        }
        const products = (body as { products: Array<Record<string, unknown>> }).products;
        log.products = products.length;
        for (const p of products) feed.products.set(String(p.id), p);
        feed.updated_at = new Date().toISOString();
        return remember(200, { id: feed.id, accepted: true });
      }
    }
    return error(res, 405, "method_not_allowed", "Method not allowed");
  }

  const server: Server = createServer((req, res) => {
    const log: FeedApiRequestLog = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      status: 0,
      apiVersion: (req.headers["api-version"] as string | undefined) ?? null,
      idempotencyKey: (req.headers["idempotency-key"] as string | undefined) ?? null,
    };
    handle(req, res, log)
      .then((status) => {
        log.status = status;
        requests.push(log);
      })
      .catch((e) => {
        log.status = 500;
        requests.push(log);
        if (!res.headersSent) error(res, 500, "internal_error", (e as Error).message, undefined, "processing_error");
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    feeds,
    requests,
    failNext(count, status = 503) {
      failures = { count, status };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function metadata(feed: StoredFeed) {
  return { id: feed.id, ...(feed.target_country ? { target_country: feed.target_country } : {}), updated_at: feed.updated_at };
}

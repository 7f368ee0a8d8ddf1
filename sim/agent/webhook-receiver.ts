// What an agent platform runs to receive a merchant's order events (ACP 2026-04-17 webhook API): a small
// node:http server that checks `Merchant-Signature: t=<unix>,v1=<hex>` with its own HMAC code (deliberately
// not the app's helper, so a bug there cannot hide itself), answers `{received:true, request_id}`, and records
// what arrived for tests. Bad signatures get 401 `{type:"invalid_request", code:"invalid_signature"}`.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedOrderEvent {
  type: string;
  data: Record<string, unknown>;
  requestId: string | null;
  timestamp: number; // the signature's t
  raw: string;
  receivedAt: Date;
}

export interface RejectedDelivery {
  reason: "missing" | "malformed" | "stale" | "mismatch" | "bad_json";
  raw: string;
}

export interface WebhookReceiverOptions {
  secret: string;
  port?: number;
  host?: string;
  toleranceSeconds?: number;
  nowSeconds?: () => number;
}

export interface WebhookReceiver {
  url: string;
  events(): ReceivedOrderEvent[];
  rejected(): RejectedDelivery[];
  /** Resolves with the first recorded event (past or future) matching the predicate. */
  waitFor(predicate: (event: ReceivedOrderEvent) => boolean, timeoutMs?: number): Promise<ReceivedOrderEvent>;
  /** Answer the next `count` valid deliveries with `status` (e.g. 503) instead of 200, without recording them. */
  failNext(count: number, status?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

type Check = { ok: true; t: number } | { ok: false; reason: RejectedDelivery["reason"] };

export function checkSignature(header: string | undefined, raw: string, secret: string, nowSeconds: number, toleranceSeconds: number): Check {
  if (!header) return { ok: false, reason: "missing" };
  const parts = new Map<string, string>();
  for (const piece of header.split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const t = parts.get("t");
  const v1 = parts.get("v1");
  if (!t || !/^\d+$/.test(t) || !v1 || !/^[0-9a-fA-F]{64}$/.test(v1)) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return { ok: false, reason: "stale" };
  const expected = createHmac("sha256", secret).update(t).update(".").update(raw).digest();
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true, t: Number(t) } : { ok: false, reason: "mismatch" };
}

const MESSAGES: Record<RejectedDelivery["reason"], string> = {
  missing: "Missing Merchant-Signature header.",
  malformed: "Merchant-Signature must be t=<timestamp>,v1=<64_hex>.",
  stale: "Timestamp outside allowed window.",
  mismatch: "Webhook signature verification failed.",
  bad_json: "Body is not a JSON order event.",
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const received: ReceivedOrderEvent[] = [];
  const rejected: RejectedDelivery[] = [];
  const waiters = new Set<{ predicate: (e: ReceivedOrderEvent) => boolean; resolve: (e: ReceivedOrderEvent) => void }>();
  let failures = { count: 0, status: 503 };

  const server = createServer(async (req, res) => {
    if (req.method !== "POST") return send(res, 405, { type: "invalid_request", code: "method_not_allowed", message: "POST only." });
    const raw = await readBody(req);
    const requestId = (req.headers["request-id"] as string | undefined) ?? null;
    const check = checkSignature(req.headers["merchant-signature"] as string | undefined, raw, options.secret, nowSeconds(), tolerance);
    if (!check.ok) {
      rejected.push({ reason: check.reason, raw });
      return send(res, 401, { type: "invalid_request", code: "invalid_signature", message: MESSAGES[check.reason] });
    }
    let body: { type?: unknown; data?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.type !== "string" || !body.data || typeof body.data !== "object") {
      rejected.push({ reason: "bad_json", raw });
      return send(res, 400, { type: "invalid_request", code: "invalid_payload", message: MESSAGES.bad_json });
    }
    if (failures.count > 0) {
      failures.count--;
      return send(res, failures.status, { type: "service_unavailable", code: "unavailable", message: "Try again later." });
    }
    const event: ReceivedOrderEvent = { type: body.type, data: body.data as Record<string, unknown>, requestId, timestamp: check.t, raw, receivedAt: new Date() };
    received.push(event);
    for (const w of [...waiters]) {
      if (w.predicate(event)) {
        waiters.delete(w);
        w.resolve(event);
      }
    }
    send(res, 200, { received: true, ...(requestId ? { request_id: requestId } : {}) });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}/agentic_checkout/webhooks/order_events`,
    events: () => [...received],
    rejected: () => [...rejected],
    waitFor(predicate, timeoutMs = 5000) {
      const hit = received.find(predicate);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (e: ReceivedOrderEvent) => (clearTimeout(timer), resolve(e)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching order event within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    reset() {
      received.length = 0;
      rejected.length = 0;
      failures = { count: 0, status: 503 };
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

// Item 1: body limits before the body is read. The helper (app/http/body-limit.server.ts) on web Requests, the
// routes answering 413 in their own formats, and the production server surviving 300 MB uploads.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyTooLarge, readBodyBytes, withBodyLimit } from "../../app/http/body-limit.server";
import { freshDb } from "../support/db";
import { productionEnv, spawnServer, waitHealthy, type ServerRun } from "../support/production-server";

/** A body stream of `total` bytes made on the fly; `pulled()` says how many bytes the reader actually took. */
function endless(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const piece = new Uint8Array(chunk).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(n === chunk ? piece : piece.subarray(0, n));
    },
  });
  return { stream, pulled: () => sent };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request("http://app.test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("withBodyLimit (helper)", () => {
  it("refuses a declared Content-Length over the cap without reading a byte", async () => {
    const source = endless(10_000_000);
    const request = post(source.stream, { "content-length": "10000000" });
    await expect(withBodyLimit(request, 1024)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(source.pulled()).toBeLessThanOrEqual(64 * 1024); // at most what the stream pre-buffered
  });

  it("stops reading a chunked body as soon as it passes the cap, and cancels the stream", async () => {
    const source = endless(300 * 1024 * 1024);
    await expect(withBodyLimit(post(source.stream), 256 * 1024)).rejects.toThrow(BodyTooLarge);
    expect(source.pulled()).toBeLessThan(1024 * 1024);
  });

  it("returns a request whose body the libraries can still read (formData, text)", async () => {
    const form = new URLSearchParams({ shop: "a.myshopify.com", note: "ü" });
    const capped = await withBodyLimit(post(form.toString(), { "content-type": "application/x-www-form-urlencoded" }), 1024);
    expect((await capped.formData()).get("note")).toBe("ü");
    const again = await withBodyLimit(post("hello"), 5);
    expect(await again.text()).toBe("hello");
    expect(again.headers.get("content-length")).toBe("5");
  });

  it("counts bytes, not characters, and refuses one byte over", async () => {
    await expect(readBodyBytes(post("ééé"), 5)).rejects.toBeInstanceOf(BodyTooLarge); // 6 bytes
    expect((await readBodyBytes(post("ééé"), 6)).byteLength).toBe(6);
  });

  it("treats a garbage Content-Length as too large, not as zero", async () => {
    const request = post("x");
    const headers = new Headers(request.headers);
    headers.set("content-length", "12abc");
    const odd = { headers, body: request.body, method: "POST", url: request.url, signal: request.signal } as unknown as Request;
    await expect(readBodyBytes(odd, 1024)).rejects.toBeInstanceOf(BodyTooLarge);
  });
});

/** Streams `total` bytes (made on the fly, never held) as a POST; resolves with the status, or how the server cut it. */
function blast(url: string, total: number, headers: Record<string, string> = {}): Promise<{ status?: number; cut?: string; sent: number }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: "POST", headers: { "Content-Type": "application/octet-stream", ...headers } });
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    let done = false;
    const finish = (result: { status?: number; cut?: string }) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ ...result, sent });
    };
    req.on("response", (res) => {
      res.resume();
      finish({ status: res.statusCode });
    });
    req.on("error", (error: NodeJS.ErrnoException) => finish({ cut: error.code ?? error.message }));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe("the production server under 300 MB uploads", () => {
  const db = freshDb();
  let server: ServerRun;
  const MB = 1024 * 1024;

  beforeAll(async () => {
    server = await spawnServer(productionEnv(db.url), { heapMb: 256 });
    await waitHealthy(server);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db.close();
  });

  async function expectAlive() {
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }

  it("a chunked 300 MB POST with a garbage HMAC to /webhooks/app/uninstalled gets 413 and the process survives", async () => {
    const result = await blast(`${server.url}/webhooks/app/uninstalled`, 300 * MB, { "X-Shopify-Hmac-Sha256": "Z2FyYmFnZQ==", "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": "x.myshopify.com" });
    expect(result.status ?? result.cut).toBe(413);
    expect(result.sent).toBeLessThan(300 * MB);
    await expectAlive();
  }, 120_000);

  it("a chunked 300 MB POST to /auth/login gets 413 and the process survives", async () => {
    const result = await blast(`${server.url}/auth/login`, 300 * MB, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(result.status ?? result.cut).toBe(413);
    expect(result.sent).toBeLessThan(300 * MB);
    await expectAlive();
  }, 120_000);

  it("a declared 10 GB Content-Length is refused at once, before a byte of it is sent", async () => {
    for (const target of ["/webhooks/compliance", "/auth/login", "/app/settings", "/some/future/route"]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = http.request(`${server.url}${target}`, { method: "POST", headers: { "Content-Length": String(10 * 1024 * MB) } });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode);
          req.destroy();
        });
        req.on("error", reject);
        req.flushHeaders(); // headers only: the server must answer without waiting for the body
      });
      expect(status, target).toBe(413);
    }
    await expectAlive();
  }, 120_000);

  it("a body on a GET (feeds, metrics, healthz) is refused", async () => {
    const res = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(`${server.url}/healthz`, { method: "GET", headers: { "Content-Length": "5" } }, (r) => (r.resume(), resolve(r.statusCode)));
      req.on("error", reject);
      req.end("hello");
    });
    expect(res).toBe(413);
  });

  it("a 2 MB ACP body gets the ACP error JSON (413), and the server is still fine", async () => {
    const body = JSON.stringify({ pad: "x".repeat(2 * MB) });
    const res = await fetch(`${server.url}/acp/checkout_sessions`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer acp_sk_nobody_000000000000" }, body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: "invalid_request", code: "request_too_large" });
    const rpc = await fetch(`${server.url}/mcp`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body });
    expect(rpc.status).toBe(413);
    expect(await rpc.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000, data: { code: "request_too_large" } } });
    await expectAlive();
  });

  it("a chunked 300 MB upload to /mcp, an admin form and an unknown path is refused and the process survives", async () => {
    for (const target of ["/mcp", "/mcp/acp_sk_nobody_000000000000", "/app/settings", "/some/future/route"]) {
      const result = await blast(`${server.url}${target}`, 300 * MB, { "Content-Type": "application/json", Accept: "application/json, text/event-stream" });
      // 413 at the cap, or the route's refusal (302 to login, 401/403/404/405) before it reads the body; never all of it.
      if (result.status !== undefined) expect([200, 201], target).not.toContain(result.status);
      if (result.status !== undefined) expect(result.status, target).toBeLessThan(500);
      expect(result.sent, target).toBeLessThan(300 * MB);
    }
    await expectAlive();
  }, 120_000);

  it("a small webhook body still reaches the route (401 for the bad HMAC, not 413)", async () => {
    const res = await fetch(`${server.url}/webhooks/app/uninstalled`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": "Z2FyYmFnZQ==", "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": "x.myshopify.com", "X-Shopify-API-Version": "2026-10", "X-Shopify-Webhook-Id": "w1" },
      body: JSON.stringify({ id: 1 }),
    });
    expect(res.status).toBe(401);
  });
});

// The app's HTTP server: the Remix build behind Express, as remix-serve does, plus what an operator needs
// (graceful shutdown, loopback binding by HOST, no dev-server handshake). `npm start` and the demo use it.
import http from "node:http";
import { TransformStream } from "node:stream/web";
/* global AbortController, Headers -- Node 20 globals */
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import compression from "compression";
import { createReadableStreamFromReadable, createRequestHandler, installGlobals, writeReadableStreamToWritable } from "@remix-run/node";

installGlobals({ nativeFetch: true });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildPath = path.join(root, "build/server/index.js");
let build;
try {
  build = await import(buildPath);
} catch (error) {
  // app/config.server.ts refuses a production start on demo or missing settings: one line per problem, no stack.
  if (Array.isArray(error?.configProblems)) {
    console.error("Refusing to start with NODE_ENV=production:");
    for (const problem of error.configProblems) console.error(`  ${problem}`);
    process.exit(1);
  }
  throw error;
}
const mode = process.env.NODE_ENV === "production" ? "production" : "development";

// ---- body limits (docs/decisions/0100) ---------------------------------------------------------------------
// The backstop for every route: routes cap their own bodies (app/http/body-limit.server.ts, smaller, in their own
// error format); here a declared Content-Length over the path's cap is refused before Remix sees the request, a
// body sent without one is counted as it streams and cut at the cap, and GET/HEAD bodies are refused outright.
// A route added later gets the default cap without doing anything.
const KB = 1024;
const SERVER_BODY_LIMITS = [
  ["/webhooks/", 1024 * KB], // Shopify deliveries (the route caps at 1 MB too)
  ["/mcp", 512 * KB], // the MCP SDK caps at 256 KB
  ["/acp/", 256 * KB], // the ACP handler caps at 64 KB
];
const DEFAULT_BODY_LIMIT = 128 * KB; // admin forms (64 KB), login (8 KB), extensions (16 KB), anything new

function bodyLimitFor(method, pathname) {
  if (method === "GET" || method === "HEAD") return 0;
  for (const [prefix, limit] of SERVER_BODY_LIMITS) if (pathname.startsWith(prefix)) return limit;
  return DEFAULT_BODY_LIMIT;
}

/** 413 in the surface's own format: ACP's error object, a JSON-RPC error for MCP, plain text elsewhere. */
function refuseTooLarge(req, res, limit) {
  if (res.headersSent) return;
  const message = limit === 0 ? `A ${req.method} request takes no body.` : `The request body exceeds ${limit} bytes.`;
  const json = (body) => {
    res.writeHead(413, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    res.end(JSON.stringify(body));
  };
  if (req.path.startsWith("/acp/")) return json({ type: "invalid_request", code: "request_too_large", message });
  if (req.path.startsWith("/mcp")) return json({ jsonrpc: "2.0", id: null, error: { code: -32000, message, data: { type: "invalid_request", code: "request_too_large", message } } });
  res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
  res.end(message);
}

/** A TransformStream that passes at most `limit` bytes, then errors with a marked error the app's reader knows. */
function byteCap(limit, onOverflow) {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) {
        onOverflow();
        controller.error(Object.assign(new Error(`The request body exceeds ${limit} bytes.`), { code: "BODY_TOO_LARGE", limit }));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

// The web Request for an Express request, as @remix-run/express builds it (that package exports only its handler),
// with the body passed through the byte cap.
function remixRequest(req, res, limit, onOverflow) {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p, 10)).find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    // preventCancel: a route that stops reading (its own cap) still gets to answer before the socket closes.
    init.body = createReadableStreamFromReadable(req).pipeThrough(byteCap(limit, onOverflow), { preventCancel: true });
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

async function sendResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

function bodyLimits(req, res, next) {
  const limit = bodyLimitFor(req.method, req.path);
  const declared = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  if ((declared !== undefined && Number(declared) > limit) || (limit === 0 && (chunked || Number(declared) > 0))) {
    refuseTooLarge(req, res, limit);
    return;
  }
  res.locals.bodyLimit = limit;
  next();
}

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.use(bodyLimits);
// The Remix handler, as @remix-run/express's, with the request body counted against the path's cap as it streams.
const handleRequest = createRequestHandler(build, mode);
app.all("*", async (req, res, next) => {
  try {
    const limit = res.locals.bodyLimit ?? DEFAULT_BODY_LIMIT;
    let overflowed = false;
    const request = remixRequest(req, res, limit, () => (overflowed = true));
    // The socket's peer address reaches routes as context.clientAddress (limits on unauthenticated agent traffic).
    const response = await handleRequest(request, { clientAddress: req.socket.remoteAddress });
    if (overflowed && response.status >= 500) {
      // A route that does not cap its own body failed on the cut stream: the client's mistake, not a server error.
      await response.body?.cancel().catch(() => undefined);
      refuseTooLarge(req, res, limit);
      return;
    }
    // After a 413 the rest of the upload is not read: close the connection rather than drain it.
    if (response.status === 413) res.setHeader("Connection", "close");
    await sendResponse(res, response);
  } catch (error) {
    next(error);
  }
});

// Durable background work (the outbox to agents and Stripe) runs in the server process unless turned off,
// e.g. when a separate worker process runs it.
const jobs = process.env.BACKGROUND_JOBS === "0" ? null : build.entry.module.startBackgroundJobs?.();

const port = Number(process.env.PORT ?? 3000);
// Loopback unless told otherwise; in production (containers, behind a proxy) listen on all interfaces.
const host = process.env.HOST ?? (mode === "production" ? "0.0.0.0" : "127.0.0.1");
// Node's own limits: headers within 20 s and 16 KB, the whole request within 60 s (slow uploads), idle keep-alive
// sockets closed after 65 s (longer than common load balancers' 60 s idle timeout, so they close first).
const server = http.createServer({ maxHeaderSize: 16 * KB, headersTimeout: 20_000, requestTimeout: 60_000, keepAliveTimeout: 65_000 }, app);
server.maxHeadersCount = 200;
server.listen(port, host, () => console.log(JSON.stringify({ msg: "listening", url: `http://${host}:${port}`, mode })));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => Promise.resolve(jobs?.stop()).finally(() => process.exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}

// The app's HTTP server: the Remix build behind Express, as remix-serve does, plus what an operator needs
// (graceful shutdown, loopback binding by HOST, no dev-server handshake). `npm start` and the demo use it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";

installGlobals({ nativeFetch: true });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildPath = path.join(root, "build/server/index.js");
const build = await import(buildPath);
const mode = process.env.NODE_ENV === "production" ? "production" : "development";

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
// The socket's peer address reaches routes as context.clientAddress (limits on unauthenticated agent traffic).
app.all("*", createRequestHandler({ build, mode, getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress }) }));

// Durable background work (the outbox to agents and Stripe) runs in the server process unless turned off,
// e.g. when a separate worker process runs it.
const jobs = process.env.BACKGROUND_JOBS === "0" ? null : build.entry.module.startBackgroundJobs?.();

const port = Number(process.env.PORT ?? 3000);
// Loopback unless told otherwise; in production (containers, behind a proxy) listen on all interfaces.
const host = process.env.HOST ?? (mode === "production" ? "0.0.0.0" : "127.0.0.1");
const server = app.listen(port, host, () => console.log(JSON.stringify({ msg: "listening", url: `http://${host}:${port}`, mode })));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => Promise.resolve(jobs?.stop()).finally(() => process.exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}

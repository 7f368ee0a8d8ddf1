// The benchmarks' server entry: the production server (scripts/serve.mjs, NODE_ENV=production) allowed to reach
// the Shopify and Stripe stand-ins on loopback. Every other production check still applies. Only the benchmark
// stack starts this file; `npm start` never does, and no environment variable can switch it on (0104).
//
// With BENCH_ROUTES=1 it also counts, inside the app process, what each request costs: SQL statements (every
// statement libSQL or node-postgres executes), request-schema validations (app/acp/schemas.ts counts into
// globalThis.__benchCounters when it exists), and log lines written to stdout/stderr; and it answers
// GET /__bench/stats with those counters and process.cpuUsage() before the request reaches Express or Remix, so
// reading them costs the run nothing measurable (bench/lib.ts: appStats). Nothing here changes what the app does.
import http from "node:http";
import fs from "node:fs";
import { createRequire } from "node:module";

globalThis.__benchmarkWithSimulatedUpstreams = true;

if (process.env.BENCH_ROUTES === "1") {
  const counters = { sqlStatements: 0, schemaValidations: 0, logLines: 0, requests: 0 };
  globalThis.__benchCounters = counters;
  const require = createRequire(import.meta.url);
  // BENCH_SQL_LOG=file appends each statement's text to that file (which statements a request runs).
  const sqlLog = process.env.BENCH_SQL_LOG;
  const trace = sqlLog ? (sql) => fs.appendFileSync(sqlLog, `${String(sql).replace(/\s+/g, " ").slice(0, 300)}\n`) : () => {};

  // SQLite: @libsql/client's local driver runs every statement through a `libsql` Statement (prepared statements
  // are cached, so count executions, not prepares) or Database.exec (transaction control).
  try {
    const Database = require("libsql");
    const probe = new Database(":memory:");
    const Statement = Object.getPrototypeOf(probe.prepare("SELECT 1"));
    probe.close();
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function withText(sql) {
      const statement = prepare.call(this, sql);
      statement.benchSql = sql;
      return statement;
    };
    // Statement.all runs through Statement.iterate: count the outer call only.
    let inside = 0;
    for (const name of ["run", "get", "all", "iterate"]) {
      const original = Statement[name];
      Statement[name] = function counted(...args) {
        if (inside === 0) {
          counters.sqlStatements++;
          trace(this.benchSql);
        }
        inside++;
        try {
          return original.apply(this, args);
        } finally {
          inside--;
        }
      };
    }
    const exec = Database.prototype.exec;
    Database.prototype.exec = function counted(sql) {
      counters.sqlStatements++;
      trace(sql);
      return exec.call(this, sql);
    };
  } catch {
    // libsql not installed: PostgreSQL only.
  }
  // PostgreSQL: every query the pool's clients send.
  try {
    const { Client } = require("pg");
    const query = Client.prototype.query;
    Client.prototype.query = function counted(...args) {
      counters.sqlStatements++;
      trace(typeof args[0] === "string" ? args[0] : args[0]?.text);
      return query.apply(this, args);
    };
  } catch {
    // pg not installed
  }

  // Log lines: pino writes to fd 1 through sonic-boom (fs.write / fs.writeSync); console through process.stdout.
  const lines = (chunk) => {
    if (typeof chunk === "string") return chunk.split("\n").length - 1;
    if (chunk instanceof Uint8Array) {
      let n = 0;
      for (const byte of chunk) if (byte === 10) n++;
      return n;
    }
    return 0;
  };
  for (const name of ["write", "writeSync"]) {
    const original = fs[name];
    fs[name] = function counted(fd, chunk, ...rest) {
      if (fd === 1 || fd === 2) counters.logLines += lines(chunk);
      return original.call(this, fd, chunk, ...rest);
    };
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function counted(chunk, ...rest) {
      counters.logLines += lines(chunk);
      return write.call(this, chunk, ...rest);
    };
  }

  // The stats route, ahead of Express: every other request is counted and passed on unchanged.
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function routed(event, req, res) {
    if (event === "request") {
      if (req.method === "GET" && (req.url === "/__bench/stats" || req.url === "/__bench/stats?gc=1")) {
        // ?gc=1 collects garbage first when the process runs with --expose-gc (bench/soak.ts: live heap, not garbage).
        if (req.url.endsWith("?gc=1") && typeof globalThis.gc === "function") globalThis.gc();
        const cpu = process.cpuUsage();
        const mem = process.memoryUsage();
        res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(JSON.stringify({ ...counters, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, heapTotalBytes: mem.heapTotal, externalBytes: mem.external }));
        return true;
      }
      counters.requests++;
    }
    return emit.call(this, event, req, res);
  };
}

await import("../scripts/serve.mjs");

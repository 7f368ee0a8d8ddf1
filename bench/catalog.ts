// Catalog benchmark (issue 3, Build 7): full sync + feed write for 100,000 variants from the Shopify
// simulator — wall time, peak RSS, items/s — against a floor measured in the same run (parsing the same
// JSONL, gzipping the same feed bytes); then the median time from a product-update webhook to the changed
// feed row over 100 updates. The simulator runs in a child process so RSS is the app's own.
//   npx tsx bench/catalog.ts [--products 1000] [--variants 100] [--updates 100]
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { PassThrough, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SHOP = "bench-outfitters.myshopify.com";
const SECRET = "bench-webhook-secret";

if (args.includes("--sim-child")) {
  // Child: the simulator with a generated catalog; prints its coordinates as one JSON line.
  const { startShopifySim, generatedShopSeed } = await import("../sim/shopify/index");
  const sim = await startShopifySim({ shops: [generatedShopSeed(SHOP, { products: opt("products", 1000), variantsPerProduct: opt("variants", 100) })], throttle: { maximumAvailable: 100_000, restoreRate: 100_000 } });
  process.stdout.write(`${JSON.stringify({ url: sim.url, adminUrlTemplate: sim.adminUrlTemplate, token: sim.accessToken(SHOP) })}\n`);
  process.on("SIGTERM", () => void sim.stop().then(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const products = opt("products", 1000);
  const variantsPer = opt("variants", 100);
  const updates = opt("updates", 100);
  const work = mkdtempSync(path.join(tmpdir(), "catalog-bench-"));

  // ---- the simulator, out of process
  const childArgs = process.execArgv.filter((a) => !a.startsWith("--max-old-space-size") && !a.startsWith("--cpu-prof"));
  const child = spawn(process.execPath, [...childArgs, import.meta.filename, "--sim-child", "--products", String(products), "--variants", String(variantsPer)], { stdio: ["ignore", "pipe", "inherit"] });
  const simInfo = await new Promise<{ url: string; adminUrlTemplate: string; token: string }>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", (l) => resolve(JSON.parse(l)));
    child.once("exit", (c) => reject(new Error(`simulator exited ${c}`)));
  });
  const control = (p: string, method: string, body?: unknown) =>
    fetch(`${simInfo.url}/_sim${p}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => r.json());

  // ---- the app side: a migrated SQLite file and the modules, imported after the environment is set
  const dbFile = path.join(work, "bench.sqlite");
  process.env.DATABASE_URL = `file:${dbFile}`;
  process.env.SHOPIFY_API_SECRET = SECRET;
  process.env.SHOPIFY_API_KEY = "bench-key";
  process.env.SHOPIFY_ADMIN_URL_TEMPLATE = simInfo.adminUrlTemplate;
  const { migrateFresh } = await import("../test/support/db");
  migrateFresh(dbFile);
  const { services } = await import("../app/services.server");
  const db = services.db;
  const { createAdminClient } = await import("../app/shopify/admin-client");
  const { recordShop } = await import("../app/shop/install.server");
  const { catalogFor, catalogBackgroundWork } = await import("../app/catalog/service.server");
  const { feedRows } = await import("../app/catalog/feed-output");
  const { feedText, batched } = await import("../app/catalog/feed-writer");
  const { CatalogAdminQueries } = await import("../app/db/catalog.server");
  const { readLines } = await import("../app/catalog/bulk-jsonl");

  const admin = createAdminClient({ shop: SHOP, accessToken: simInfo.token, urlTemplate: simInfo.adminUrlTemplate });
  await recordShop(db, admin);
  const shop = await db.shop.update({ where: { domain: SHOP }, data: { selectionRule: "all" } });
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: simInfo.token, scope: "read_products,read_inventory" } });

  // Peak RSS sampler; reset per phase.
  let peak = 0;
  let peakHeap = 0;
  let peakExternal = 0;
  const sample = () => {
    const u = process.memoryUsage();
    peak = Math.max(peak, u.rss);
    peakHeap = Math.max(peakHeap, u.heapTotal);
    peakExternal = Math.max(peakExternal, u.external);
  };
  const sampler = setInterval(sample, 10);
  const phase = async <T>(fn: () => Promise<T>) => {
    global.gc?.();
    peak = process.memoryUsage().rss;
    peakHeap = 0;
    peakExternal = 0;
    const t0 = performance.now();
    const value = await fn();
    sample();
    return { value, ms: performance.now() - t0, peakRss: peak, peakHeap, peakExternal };
  };
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const baselineRss = process.memoryUsage().rss;

  // ---- full sync: export (Shopify's side), then import (ours: download, parse, map, diagnose, store)
  const ctx = { db, shop, admin };
  const { sync, source, settings, repo } = catalogFor(ctx);
  const wallStart = performance.now();
  const started = await sync.startFullSync();
  const exportPhase = await phase(async () => {
    for (;;) {
      const op = await source.bulkOperation(started.operationId);
      if (op.status !== "CREATED" && op.status !== "RUNNING") return op;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  const bulkUrl = exportPhase.value.url!;
  const importPhase = await phase(() => sync.completeFullSync(started.runId, started.operationId, new Date(Date.now() - exportPhase.ms - 1000)));
  const outcome = importPhase.value;
  if (outcome.outcome !== "SYNCED") throw new Error(`sync: ${JSON.stringify(outcome)}`);

  // ---- feed write: jsonl.gz from the database, with the uncompressed bytes kept for the floor
  const plainFile = path.join(work, "products.jsonl");
  const gzFile = path.join(work, "products.jsonl.gz");
  const writePhase = await phase(async () => {
    const stats = { rows: 0, rejected: 0 };
    const tee = new PassThrough();
    const plain = createWriteStream(plainFile);
    tee.pipe(plain);
    await pipeline(batched(feedText(feedRows(repo.eligibleFeedFields(), settings, stats), "jsonl")), tee, createGzip({ level: 6 }), createWriteStream(gzFile));
    await new Promise((r) => plain.end(r));
    return stats;
  });
  const wallMs = performance.now() - wallStart;

  // ---- the floor, same run: parse the same bulk JSONL (download first, untimed), gzip the same bytes
  const jsonlFile = path.join(work, "bulk.jsonl");
  await pipeline((await fetch(bulkUrl)).body as unknown as NodeJS.ReadableStream, createWriteStream(jsonlFile));
  const parseFloor = await phase(async () => {
    let n = 0;
    for await (const line of readLines(createReadStream(jsonlFile))) {
      JSON.parse(line);
      n += 1;
    }
    return n;
  });
  const gzipFloor = await phase(() => pipeline(createReadStream(plainFile), createGzip({ level: 6 }), new Writable({ write: (_c, _e, cb) => cb() })));
  // A third, informative floor: storing the same rows in SQLite at all (libSQL directly, one table, no
  // indexes, no Prisma). The floor has no database in it; this shows what the database alone costs.
  const { createClient } = await import("@libsql/client");
  const scratch = createClient({ url: `file:${path.join(work, "scratch.sqlite")}` });
  await scratch.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
  const storeFloor = await phase(async () => {
    let batch: string[] = [];
    const flush = async () => {
      await scratch.batch(batch.map((item) => ({ sql: "INSERT INTO rows (item) VALUES (?)", args: [item] })), "write");
      batch = [];
    };
    for await (const line of readLines(createReadStream(plainFile))) {
      batch.push(line);
      if (batch.length >= 2000) await flush();
    }
    if (batch.length) await flush();
  });
  scratch.close();

  // What SQLite runs with, on the app's Prisma connection and on the catalog store's own (both as in production).
  const { sqliteFor } = await import("../app/db/libsql.server");
  const SYNC = ["OFF", "NORMAL", "FULL", "EXTRA"];
  const pragma = async (name: string) => Object.values(((await db.$queryRawUnsafe(`PRAGMA ${name}`)) as Array<Record<string, unknown>>)[0])[0];
  const catalogConn = await sqliteFor(db);
  const sqliteLine = `SQLite: journal_mode ${String(await pragma("journal_mode"))}; synchronous ${SYNC[Number(await pragma("synchronous"))]} (app) / ${SYNC[Number(catalogConn.rows("PRAGMA synchronous")[0][0])]} (catalog store); busy_timeout ${String(await pragma("busy_timeout"))} ms (app)`;

  // ---- products page queries on the synced catalog
  const queries = new CatalogAdminQueries(db, shop.id);
  const q1 = await phase(() => queries.listProducts({}, 0, 50));
  const q2 = await phase(() => queries.listProducts({}, Math.floor(products / 50) - 1, 50));
  const q3 = await phase(() => queries.listProducts({ status: "eligible", vendor: "Ridgeline", search: "Jacket" }, 0, 50));

  // ---- webhook → feed row, through the real route (HMAC check, dedupe, re-read, store)
  const route = (await import("../app/routes/webhooks.products")) as unknown as { action: (a: { request: Request; params: object; context: object }) => Promise<Response> };
  const bridge = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await route.action({ request: new Request(`https://app.example${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }), params: {}, context: {} }).catch((e: unknown) => e as Response);
    res.writeHead(response.status).end();
  });
  await new Promise<void>((r) => bridge.listen(0, "127.0.0.1", r));
  const bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
  await control("/webhooks", "PUT", { secret: SECRET, subscriptions: [{ topic: "products/update", uri: `${bridgeUrl}/webhooks/products` }] });
  const variantIds = (await db.catalogItem.findMany({ where: { shopId: shop.id, eligible: true }, select: { variantId: true }, take: updates * 7 })).map((r) => r.variantId).filter((_, i) => i % 7 === 0);
  const latencies: number[] = [];
  for (let i = 0; i < updates; i++) {
    const variantId = variantIds[i % variantIds.length];
    const price = `${100 + i}.${String(i % 100).padStart(2, "0")}`;
    const expected = `${price} USD`;
    const t0 = performance.now();
    await control(`/shops/${SHOP}/variants/${encodeURIComponent(variantId)}/price`, "POST", { price });
    for (;;) {
      const row = await repo.variantRecord(variantId);
      if (row && (row.fields.sale_price ?? row.fields.price) === expected) break;
      if (performance.now() - t0 > 10_000) throw new Error(`update ${i} not applied within 10 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - t0);
  }
  await catalogBackgroundWork();
  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)];
  const p95 = latencies[Math.floor(latencies.length * 0.95)];

  clearInterval(sampler);
  bridge.close();
  child.kill("SIGTERM");

  const variants = outcome.variants;
  const ours = importPhase.ms + writePhase.ms;
  const floor = parseFloor.ms + gzipFloor.ms;
  const lines = [
    `Catalog benchmark: ${products} products × ${variantsPer} variants = ${variants} variants (simulator in a child process)`,
    ``,
    `Full sync`,
    `  export (Shopify side, simulator)   ${s(exportPhase.ms)}`,
    `  import (download, parse, map, diagnose, store)   ${s(importPhase.ms)}   ${Math.round(variants / (importPhase.ms / 1000))} items/s   peak RSS ${mb(importPhase.peakRss)} (V8 heap ${mb(importPhase.peakHeap)}, external ${mb(importPhase.peakExternal)})`,
    `  feed write (jsonl.gz, ${writePhase.value.rows} rows, ${mb(statSync(gzFile).size)} gz / ${mb(statSync(plainFile).size)} raw)   ${s(writePhase.ms)}   ${Math.round(writePhase.value.rows / (writePhase.ms / 1000))} rows/s   peak RSS ${mb(writePhase.peakRss)} (V8 heap ${mb(writePhase.peakHeap)}, external ${mb(writePhase.peakExternal)})`,
    `  wall time, start to feed written   ${s(wallMs)}`,
    `  process RSS before sync ${mb(baselineRss)}`,
    `  ${sqliteLine}`,
    ``,
    `Floor (same run)`,
    `  parse the bulk JSONL (${parseFloor.value} lines, ${mb(statSync(jsonlFile).size)})   ${s(parseFloor.ms)}`,
    `  gzip the same feed bytes   ${s(gzipFloor.ms)}`,
    `  (informative) store the same rows in SQLite, libSQL direct, no indexes   ${s(storeFloor.ms)}`,
    ``,
    `Ratios`,
    `  (import + feed write) / (parse + gzip) floor   ${(ours / floor).toFixed(2)}×   (target ≤ 3×)`,
    `  import / parse floor   ${(importPhase.ms / parseFloor.ms).toFixed(2)}×;   feed write / gzip floor   ${(writePhase.ms / gzipFloor.ms).toFixed(2)}×`,
    `  (import + feed write) / (parse + store + gzip) floor   ${(ours / (floor + storeFloor.ms)).toFixed(2)}×`,
    `  peak RSS   ${mb(Math.max(importPhase.peakRss, writePhase.peakRss))}   (target < 300 MB)`,
    ``,
    `Products page on ${variants} variants: first page ${q1.ms.toFixed(0)} ms, last page ${q2.ms.toFixed(0)} ms, filtered + search ${q3.ms.toFixed(0)} ms`,
    ``,
    `Webhook → feed row over ${updates} price updates: median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms   (target < 1 s)`,
  ];
  console.log(lines.join("\n"));
  await db.$disconnect();
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

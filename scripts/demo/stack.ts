// Brings up the whole local world: a fresh SQLite database, the Shopify and Stripe stand-ins, the app
// installed on the simulated shop, and the app server. Used by `npm run demo` and by end-to-end tests.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync, createWriteStream } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { demoShopSeed, startShopifySim, type ShopifySim } from "../../sim/shopify/index";
import { withLocalImages } from "../../sim/shopify/fixtures/images/product-image";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { createDb } from "../../app/db/client.server";
import { createAdminClient } from "../../app/shopify/admin-client";
import { recordShop } from "../../app/shop/install.server";
import { webhookSubscriptions } from "./webhook-subscriptions";
import { installDemoShop } from "./install";
import { freePort } from "../../test/support/ports";

const root = path.resolve(import.meta.dirname, "../..");

export interface DemoUrls {
  admin: string;
  feed: string;
  acp: string;
  mcp: string;
  stripe: string;
  shopify: string;
  shop: string;
  shopifyToken: string;
  agentKey: string;
}

export interface DemoStack {
  urls: DemoUrls;
  appUrl: string;
  shopify: ShopifySim;
  stripe: StripeSim;
  databaseUrl: string;
  /** The app process's pid (changes after restartApp). */
  appPid(): number | undefined;
  /** Kills the app process (SIGKILL by default: no graceful shutdown) and starts it again on the same database. */
  restartApp(options?: { signal?: NodeJS.Signals }): Promise<void>;
  stop(): Promise<void>;
}

export interface DemoOptions {
  port?: number;
  /** Rebuild the app first (default true; `--no-build` reuses build/ when it exists). */
  build?: boolean;
  /** Where the SQLite file goes; it is recreated on every start. */
  dataDir?: string;
  log?: (line: string) => void;
  shop?: string;
  /** Serve the app as in production (NODE_ENV=production, no demo mode, so no admin): for benchmarks. */
  production?: boolean;
  /** Extra environment for the app process. */
  env?: Record<string, string>;
  /** Extra node flags for the app process (e.g. --cpu-prof for profiling a benchmark). */
  nodeArgs?: string[];
  /** The simulated shop's business clock (the demo's seeding dates its orders over past weeks with it). */
  clock?: { now(): Date };
}

const DEMO_API_KEY = "demo-api-key";
const DEMO_API_SECRET = "demo-api-secret";

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The app exited with code ${child.exitCode} (see the app log)`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`The app did not become healthy at ${url} within ${timeoutMs} ms`);
}

export async function startDemoStack(options: DemoOptions = {}): Promise<DemoStack> {
  if (process.env.NODE_ENV === "production") throw new Error("The demo refuses to run with NODE_ENV=production.");
  // Production mode needs a real encryption key, shared by this process (which stores the shop's secrets) and the app.
  if (options.production) process.env.APP_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  // Production refuses the public demo credentials (docs/decisions/0102): a production-mode stack gets its own.
  const SHOPIFY_API_KEY = options.production ? `bench-${randomBytes(8).toString("hex")}` : DEMO_API_KEY;
  const SHOPIFY_API_SECRET = options.production ? randomBytes(24).toString("base64url") : DEMO_API_SECRET;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  // Loopback only: demo mode has no login, so it must not be reachable from the network.
  const appUrl = `http://127.0.0.1:${port}`;
  const shopDomain = options.shop ?? process.env.DEMO_SHOP ?? "demo-outfitters.myshopify.com";
  const dataDir = options.dataDir ?? process.env.DEMO_DATA_DIR ?? path.join(root, ".demo");
  mkdirSync(dataDir, { recursive: true });

  // 1. A fresh database with the checked-in migrations.
  const dbFile = path.join(dataDir, "demo.sqlite");
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const databaseUrl = `file:${dbFile}`;
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
    stdio: "pipe",
  });
  log(`database   ${dbFile} (migrated)`);

  // 2. The stand-ins. Shopify sends the webhooks shopify.app.toml subscribes to, signed with the app's secret.
  // The shop's product images are served by the stand-in itself, so its port is chosen before the catalog is built.
  const stripe = await startStripeSim({ port: Number(process.env.STRIPE_SIM_PORT ?? 0) });
  const shopifyPort = Number(process.env.SHOPIFY_SIM_PORT ?? 0) || (await freePort());
  const shopify = await startShopifySim({
    port: shopifyPort,
    shops: [withLocalImages(demoShopSeed(), `http://127.0.0.1:${shopifyPort}`)],
    webhooks: { secret: SHOPIFY_API_SECRET, subscriptions: webhookSubscriptions(appUrl) },
    now: options.clock ? () => options.clock!.now() : undefined,
  });
  log(`shopify    ${shopify.url} (simulated shop ${shopDomain})`);
  log(`stripe     ${stripe.url}`);

  // 3. Install the app on the simulated shop: an offline session, the shop's details, keys and settings.
  const db = createDb(databaseUrl);
  const accessToken = shopify.accessToken(shopDomain);
  const admin = createAdminClient({ shop: shopDomain, accessToken, urlTemplate: shopify.adminUrlTemplate });
  await db.session.create({
    data: { id: `offline_${shopDomain}`, shop: shopDomain, state: "installed", isOnline: false, accessToken, scope: "read_products,read_inventory,read_locations,read_orders,write_orders,write_draft_orders" },
  });
  const shop = await recordShop(db, admin);
  const installed = await installDemoShop(db, shop, { stripe, admin, appUrl });
  log(`catalog    ${installed.catalogItems} variants synced from the simulated shop`);

  // 4. The app server (production build, demo mode).
  if (options.build !== false || !existsSync(path.join(root, "build/server/index.js"))) {
    log("building   the app (remix vite:build)…");
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST"))) as NodeJS.ProcessEnv;
    execFileSync(path.join(root, "node_modules/.bin/remix"), ["vite:build"], { cwd: root, stdio: "pipe", env });
  }
  const appLog = createWriteStream(path.join(dataDir, "app.log"), { flags: "w" });
  // Production mode starts through bench/serve.mjs, the one entry that lets a production build talk to the stand-ins
  // on loopback (docs/decisions/0104); `npm start` never does.
  const entry = options.production ? "bench/serve.mjs" : "scripts/serve.mjs";
  const spawnApp = () => spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(root, entry)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: options.production ? "production" : "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      // Demo mode delivers order events to stand-ins on 127.0.0.1 (the app ignores this in production).
      ...(options.production ? {} : { DEMO_MODE: "1", DEMO_SHOP: shopDomain, OUTBOUND_ALLOW_PRIVATE: "1" }),
      SHOPIFY_API_KEY,
      SHOPIFY_API_SECRET,
      SHOPIFY_APP_URL: appUrl,
      SHOPIFY_ADMIN_URL_TEMPLATE: shopify.adminUrlTemplate,
      STRIPE_API_BASE: stripe.url,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let child = spawnApp();
  child.stdout?.pipe(appLog, { end: false });
  child.stderr?.pipe(appLog, { end: false });
  await waitForHealthy(appUrl, child);
  log(`app        ${appUrl} (log: ${path.join(dataDir, "app.log")})`);

  const urls: DemoUrls = {
    admin: `${appUrl}/app`,
    feed: installed.feedUrl,
    acp: `${appUrl}/acp`,
    mcp: `${appUrl}/mcp`,
    stripe: stripe.url,
    shopify: shopify.graphqlUrl(shopDomain),
    shop: shopDomain,
    shopifyToken: accessToken,
    agentKey: installed.agentKey,
  };

  return {
    urls,
    appUrl,
    shopify,
    stripe,
    databaseUrl,
    appPid: () => child.pid,
    async restartApp({ signal = "SIGKILL" } = {}) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
      appLog.write(`\n--- app process killed with ${signal} and restarted ---\n`);
      child = spawnApp();
      child.stdout?.pipe(appLog, { end: false });
      child.stderr?.pipe(appLog, { end: false });
      await waitForHealthy(appUrl, child);
    },
    async stop() {
      // An app that already exited (a crash, a port taken) has no exit left to wait for.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      await Promise.all([shopify.stop(), stripe.stop(), db.$disconnect()]);
      appLog.end();
    },
  };
}

// Several app processes on one database, against the Shopify and Stripe stand-ins (which run in this process):
// the multi-instance tests and `npm run bench -- scale` use it. The database is migrated with the deploy runner
// (`scripts/migrate.mjs`), the simulated shop installed as the demo installs it, then N copies of the production
// build are started on their own ports. `production` serves them through bench/serve.mjs (NODE_ENV=production,
// stand-ins allowed: benchmarks only, docs/decisions/0104); otherwise they run as the end-to-end tests run the
// app (development mode, scripts/serve.mjs).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { demoShopSeed, startShopifySim, type ShopifySim } from "../../sim/shopify/index";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { createDb, type Db } from "../../app/db/client.server";
import { createAdminClient } from "../../app/shopify/admin-client";
import { recordShop } from "../../app/shop/install.server";
import { webhookSubscriptions } from "../../scripts/demo/webhook-subscriptions";
import { installDemoShop } from "../../scripts/demo/install";
import { freePort } from "../support/ports";

const root = path.resolve(import.meta.dirname, "../..");
export const CLUSTER_SHOP = "demo-outfitters.myshopify.com";

export interface Instance {
  url: string;
  pid(): number | undefined;
  output(): string;
  /** SIGKILL (no shutdown) and wait for the exit. */
  kill(): Promise<void>;
  alive(): boolean;
}

export interface Cluster {
  db: Db;
  databaseUrl: string;
  shopify: ShopifySim;
  stripe: StripeSim;
  shopId: string;
  agentKey: string;
  feedUrl: string;
  instances: Instance[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  /** What the instances connect to, when not databaseUrl (the benchmark's round-trip counter). */
  appDatabaseUrl?: string;
  instances: number;
  production?: boolean;
  /** Environment for every instance; `envFor(i)` adds per-instance variables. */
  env?: Record<string, string>;
  envFor?: (index: number) => Record<string, string>;
  nodeArgs?: string[];
}

/** Applies the checked-in migrations for the database (`npm run db:migrate`). */
export function migrate(databaseUrl: string): void {
  execFileSync(process.execPath, [path.join(root, "scripts/migrate.mjs")], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" }, stdio: "pipe" });
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`An app instance exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`An app instance did not become healthy:\n${output()}`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  migrate(options.databaseUrl);
  process.env.APP_ENCRYPTION_KEY ??= randomBytes(32).toString("base64"); // shared by this process and the instances
  const apiKey = `multi-${randomBytes(8).toString("hex")}`;
  const apiSecret = randomBytes(24).toString("base64url");
  const ports = await Promise.all(Array.from({ length: options.instances }, () => freePort()));
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);

  const stripe = await startStripeSim({});
  // Shopify's webhooks go to the first instance (a load balancer would pick any; every instance handles them).
  const shopify = await startShopifySim({ shops: [demoShopSeed()], webhooks: { secret: apiSecret, subscriptions: webhookSubscriptions(urls[0]) } });
  const db = createDb(options.databaseUrl);
  const accessToken = shopify.accessToken(CLUSTER_SHOP);
  const admin = createAdminClient({ shop: CLUSTER_SHOP, accessToken, urlTemplate: shopify.adminUrlTemplate });
  await db.session.create({
    data: { id: `offline_${CLUSTER_SHOP}`, shop: CLUSTER_SHOP, state: "installed", isOnline: false, accessToken, scope: "read_products,read_inventory,read_locations,read_orders,write_orders,write_draft_orders" },
  });
  const shop = await recordShop(db, admin);
  const installed = await installDemoShop(db, shop, { stripe, admin, appUrl: urls[0] });

  const entry = options.production ? "bench/serve.mjs" : "scripts/serve.mjs";
  const instances: Instance[] = ports.map((port, i) => {
    let output = "";
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(root, entry)], {
      cwd: root,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))),
        NODE_ENV: options.production ? "production" : "development",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: options.appDatabaseUrl ?? options.databaseUrl,
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_APP_URL: urls[0],
        SHOPIFY_ADMIN_URL_TEMPLATE: shopify.adminUrlTemplate,
        STRIPE_API_BASE: stripe.url,
        LOG_LEVEL: "warn",
        ...(options.production ? {} : { OUTBOUND_ALLOW_PRIVATE: "1" }),
        ...options.env,
        ...options.envFor?.(i),
      } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (output += d));
    child.stderr!.on("data", (d: Buffer) => (output += d));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return {
      url: urls[i],
      pid: () => child.pid,
      output: () => output,
      alive: () => child.exitCode === null && child.signalCode === null,
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      },
      ready: () => waitHealthy(urls[i], child, () => output),
    };
  }) as Array<Instance & { stop(): Promise<void>; ready(): Promise<void> }>;
  const all = instances as Array<Instance & { stop(): Promise<void>; ready(): Promise<void> }>;
  try {
    await Promise.all(all.map((x) => x.ready()));
  } catch (error) {
    await Promise.all(all.map((x) => x.stop()));
    await Promise.all([shopify.stop(), stripe.stop(), db.$disconnect()]);
    throw error;
  }
  return {
    db,
    databaseUrl: options.databaseUrl,
    shopify,
    stripe,
    shopId: shop.id,
    agentKey: installed.agentKey,
    feedUrl: installed.feedUrl.replace(urls[0], ""),
    instances,
    async stop() {
      await Promise.all(all.map((x) => x.stop()));
      await Promise.all([shopify.stop(), stripe.stop(), db.$disconnect()]);
    },
  };
}

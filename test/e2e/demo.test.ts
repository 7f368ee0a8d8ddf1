// The README's demo command on a clean checkout: everything comes up, and the admin shows the simulated shop.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import { createDb } from "../../app/db/client.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { freePort } from "../support/ports";
import { ARTIFACTS, browserAvailable, launchBrowser } from "../support/browser";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm run demo -- --json …` as a child, with a line reader over its stdout. */
function spawnDemo(args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "demo-run-"));
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", "--json", "--no-build", ...args], {
    cwd: root,
    env: { ...process.env, DEMO_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let out = "";
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const parts = out.split("\n");
    out = parts.pop() ?? "";
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (lines.length > n ? resolve(lines[n]) : waiters.push(check));
      child.once("exit", (code) => reject(new Error(`demo exited with ${code}`)));
      check();
    });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  return { child, line, lines, stop, dataDir };
}

/** Runs `check` against a demo started with `args` once it printed its URLs (the first line), with a client on its
 *  database (opened then: the demo recreates the file at start); stops both afterwards. */
async function withDemo(args: string[], env: Record<string, string>, check: (urls: Record<string, string>, demo: ReturnType<typeof spawnDemo>, db: ReturnType<typeof createDb>) => Promise<void>) {
  const demo = spawnDemo(args, env);
  let db: ReturnType<typeof createDb> | undefined;
  try {
    const urls = JSON.parse(await demo.line(0)) as Record<string, string>;
    db = createDb(`file:${path.join(demo.dataDir, "demo.sqlite")}`);
    await check(urls, demo, db);
  } finally {
    await db?.$disconnect();
    await demo.stop();
  }
}
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36";

let stack: DemoStack;
let shopName: string;

beforeAll(async () => {
  stack = await startDemoStack({ port: await freePort(), build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), "demo-")) });
  // The shop's name as the simulated Shopify reports it: the admin must show what Shopify says, not a constant.
  const res = await fetch(stack.urls.shopify, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": stack.urls.shopifyToken },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  shopName = ((await res.json()) as { data: { shop: { name: string } } }).data.shop.name;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("npm run demo", () => {
  it("serves health and readiness", async () => {
    expect((await fetch(`${stack.appUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.appUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("serves the admin in demo mode: a Polaris page showing the simulated shop", async () => {
    const res = await fetch(stack.urls.admin, { headers: { "User-Agent": BROWSER_UA } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(shopName.length).toBeGreaterThan(0);
    expect(html).toContain(shopName);
    expect(html).toContain(stack.urls.shop);
    expect(html).toMatch(/class="Polaris-Page/);
  });

  it("renders the admin in a real browser", { skip: !browserAvailable }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(stack.urls.admin, { waitUntil: "networkidle" });
      await expect(page.locator("#shop-domain").textContent()).resolves.toContain(stack.urls.shop);
      await expect(page.getByRole("heading", { name: shopName }).count()).resolves.toBeGreaterThan(0);
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-home.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("places a test order from the going-live checklist and lands on the agent order", { skip: !browserAvailable, timeout: 90_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(stack.urls.admin, { waitUntil: "networkidle" });
      const items = page.locator("[data-checklist-item]");
      await expect(items.last().getAttribute("data-checklist-item")).resolves.toBe("test_order");
      await items.last().getByRole("link", { name: /Place a test order/ }).click();
      await page.waitForURL(/\/app\/test-order$/);
      await page.getByRole("button", { name: "Place a test order" }).click();
      await page.waitForURL(/\/app\/orders\/[^/]+$/, { timeout: 60_000 });
      // Client-side navigation: the URL changes before the order page renders.
      await page.getByRole("heading", { name: /^Order / }).first().waitFor();
      await expect(page.getByText("Test order (admin)").count()).resolves.toBeGreaterThan(0);
      await expect(page.locator("[data-timeline-kind]").count()).resolves.toBeGreaterThan(2);
      await expect(page.getByRole("link", { name: "Open in Shopify" }).count()).resolves.toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, "test-order-placed.png"), fullPage: true });
      // Back home, the last step is done.
      await page.goto(stack.urls.admin, { waitUntil: "networkidle" });
      await expect(page.locator('[data-checklist-item="test_order"]').getAttribute("data-done")).resolves.toBe("true");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("prints the URLs as JSON on the first line with --json; --empty seeds no activity", async () => {
    const port = await freePort();
    await withDemo(["--empty"], { PORT: String(port), DEMO_AGENT_KEY: "acp_sk_fixed_demo_key_0123456789" }, async (urls, demo, db) => {
      expect(Object.keys(urls).sort()).toEqual(["acp", "admin", "agentKey", "feed", "mcp", "shop", "shopify", "shopifyToken", "stripe"]);
      expect(urls.agentKey).toBe("acp_sk_fixed_demo_key_0123456789");
      expect(urls.admin).toBe(`http://127.0.0.1:${port}/app`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // Seeding would start right after the URLs; with --empty nothing comes, and the shop has no activity.
      await new Promise((r) => setTimeout(r, 3000));
      expect(demo.lines).toHaveLength(1);
      expect(await db.checkoutSession.count()).toBe(0);
      expect(await db.agentOrder.count()).toBe(0);
    });
  }, 120_000);

  it("seeds weeks of agent sessions and orders through the checkout: each order charged in Stripe and placed in Shopify", async () => {
    const port = await freePort();
    await withDemo([], { PORT: String(port) }, async (urls, demo, db) => {
      const { seeded } = JSON.parse(await demo.line(1)) as { seeded: { orders: number; sessions: number; canceled: number; abandoned: number; failed: number; problems: string[] } };
      expect(seeded.problems).toEqual([]);
      expect(seeded.orders).toBeGreaterThanOrEqual(30);
      expect(seeded.orders).toBeLessThanOrEqual(60);
      expect(seeded.canceled + seeded.abandoned).toBeGreaterThan(0);

      const orders = await db.agentOrder.findMany({ orderBy: { createdAt: "asc" } });
      expect(orders).toHaveLength(seeded.orders);
      // At least one session per buyer (a create whose answer was lost to a 5xx is retried and may leave one behind).
      expect(await db.checkoutSession.count()).toBeGreaterThanOrEqual(seeded.sessions);
      // Dated over weeks, none in the future.
      const span = orders[orders.length - 1].createdAt.getTime() - orders[0].createdAt.getTime();
      expect(span).toBeGreaterThan(14 * 86_400_000);
      expect(orders.every((o) => o.createdAt.getTime() <= Date.now())).toBe(true);
      // Made through the real path: every order has its Stripe charge for its total and its Shopify order.
      const ledger = (await (await fetch(`${urls.stripe}/_sim/ledger`)).json()) as { paymentIntents: Array<{ id: string; status: string; amount: number; metadata: Record<string, string> }> };
      for (const o of orders) {
        const charge = ledger.paymentIntents.find((p) => p.id === o.paymentIntentId);
        expect(charge, `charge of ${o.orderName}`).toMatchObject({ status: "succeeded", amount: o.totalMinor, metadata: { checkout_session_id: o.checkoutSessionId } });
      }
      // Read through the stand-in's control API: the seeding may have spent the shop's Admin API budget (a
      // GraphQL read would be throttled, as Shopify would), and what matters is what the store holds.
      const held = (await (await fetch(`${new URL(urls.shopify).origin}/_sim/shops/${urls.shop}/orders`)).json()) as Array<{ source_identifier: string | null }>;
      const placed = held.map((o) => o.source_identifier);
      expect(placed.sort()).toEqual(orders.map((o) => o.checkoutSessionId).sort());
      // The admin lists them.
      const list = await (await fetch(`${urls.admin}/orders`, { headers: { "User-Agent": BROWSER_UA } })).text();
      expect(list).toContain(orders[orders.length - 1].orderName);
    });
  }, 240_000);

  it("serves the product images from the simulated shop: the feed points at local PNGs", async () => {
    const feed = await fetch(stack.urls.feed);
    const rows = gunzipSync(Buffer.from(await feed.arrayBuffer())).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as { image_url?: string });
    const images = rows.map((r) => r.image_url).filter((u): u is string => Boolean(u));
    expect(images.length).toBeGreaterThan(20);
    expect(images.every((u) => u.startsWith(`${stack.shopify.url}/_files/images/`) && u.endsWith(".png"))).toBe(true);
    for (const url of [...new Set(images)].slice(0, 3)) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(bytes.length).toBeLessThan(64 * 1024);
    }
    expect((await fetch(`${stack.shopify.url}/_files/images/..%2Fsecret.png`)).status).toBe(404);
  });

  it("refuses to start with NODE_ENV=production", () => {
    const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", "--json", "--no-build"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", DEMO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "demo-prod-")) },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("refuses to run with NODE_ENV=production");
  });
});

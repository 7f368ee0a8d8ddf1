// The README's demo command on a clean checkout: everything comes up, and the admin shows the simulated shop.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { freePort } from "../support/ports";
import { ARTIFACTS, browserAvailable, launchBrowser } from "../support/browser";

const root = path.resolve(import.meta.dirname, "../..");
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

  it("prints the URLs as JSON on the first line with --json", async () => {
    const port = await freePort();
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", "--json", "--no-build"], {
      cwd: root,
      env: { ...process.env, PORT: String(port), DEMO_AGENT_KEY: "acp_sk_fixed_demo_key_0123456789", DEMO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "demo-json-")) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.once("exit", (code) => reject(new Error(`demo exited with ${code}`)));
      });
      const urls = JSON.parse(firstLine);
      expect(Object.keys(urls).sort()).toEqual(["acp", "admin", "agentKey", "feed", "mcp", "shop", "shopify", "shopifyToken", "stripe"]);
      expect(urls.agentKey).toBe("acp_sk_fixed_demo_key_0123456789");
      expect(urls.admin).toBe(`http://127.0.0.1:${port}/app`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }, 120_000);

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

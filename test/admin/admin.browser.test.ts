// The merchant's admin in a real browser (Debian's Chromium through playwright-core) against the demo: an order
// placed by the simulated agent shows up with its total and timeline, the dashboard draws its charts, turning a
// product off takes it out of the feed, the going-live checklist follows the settings, and a failed order update
// can be re-sent. Every page passes axe-core without serious or critical violations; screenshots go to artifacts/.
// test/admin/pages.browser.test.ts checks every page's layout at Shopify admin's widths and the products page's row switch.
import path from "node:path";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { createAgentClient, shapes } from "../../sim/agent/client";
import { startWebhookReceiver, type WebhookReceiver } from "../../sim/agent/webhook-receiver";
import { createDb, type Db } from "../../app/db/client.server";
import { freePort } from "../support/ports";
import { ARTIFACTS, browserAvailable, launchBrowser } from "../support/browser";
import { feedItemIds } from "../support/feed-file";

const AXE = path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");
const WEBHOOK_SECRET = "whsec_browser_test_0123456789";

let stack: DemoStack;
let db: Db;
let browser: BrowserContext;
let page: Page;
let receiver: WebhookReceiver;
let shopId: string;
const pageErrors: string[] = [];
const axeReport: Record<string, string[]> = {};

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page; returns serious and critical violations as readable lines. */
async function axe(name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe.run;
    return (await run(document, { resultTypes: ["violations"] })).violations;
  });
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  axeReport[name] = serious;
  return serious;
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true });
}

async function open(pathname: string) {
  await page.goto(`${stack.appUrl}${pathname}`, { waitUntil: "networkidle" });
}

async function checklistDone(id: string): Promise<boolean> {
  return (await page.locator(`[data-checklist-item="${id}"]`).getAttribute("data-done")) === "true";
}

beforeAll(async () => {
  if (!browserAvailable) return;
  [stack, receiver] = await Promise.all([
    freePort().then((port) => startDemoStack({ port, build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), "demo-admin-")) })),
    startWebhookReceiver({ secret: WEBHOOK_SECRET }),
  ]);
  db = createDb(stack.databaseUrl);
  shopId = (await db.shop.findUniqueOrThrow({ where: { domain: stack.urls.shop } })).id;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.setDefaultTimeout(10_000); // fail (with a screenshot) before the test's own timeout
  page.on("pageerror", (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await Promise.all([stack?.stop(), receiver?.stop()]);
});

/** A test body that leaves a screenshot of the page behind when it fails. */
function inBrowser(name: string, body: () => Promise<void>) {
  return async () => {
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: path.join(ARTIFACTS, `admin-failed-${name}.png`), fullPage: true }).catch(() => {});
      throw error;
    }
  };
}

describe.skipIf(!browserAvailable)("the merchant's admin in a browser", () => {
  let orderName = "";
  let orderTotal = "";

  it("shows an order placed by the agent in the orders list with its total, and opens it to its timeline", inBrowser("orders", async () => {
    const shop = stack.shopify.shop(stack.urls.shop);
    const variant = [...shop.products.values()]
      .filter((p) => p.status === "ACTIVE")
      .flatMap((p) => p.variants)
      .find((v) => stack.shopify.inventory(stack.urls.shop, v.id) > 10)!;
    const itemId = `gid://shopify/ProductVariant/${variant.id}`;
    const agent = createAgentClient({ baseUrl: stack.urls.acp, apiKey: stack.urls.agentKey });
    const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
    const created = await agent.create(shapes.create(agent.version, [{ id: itemId, quantity: 2 }], { first_name: "Ann", last_name: "Lee", email: "ann@example.com" }));
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const ready = await agent.update(id, shapes.address(agent.version, address, "ann@example.com"));
    expect(ready.body.status).toBe("ready_for_payment");
    const total = (ready.body.totals as Array<{ type: string; amount: number }>).find((t) => t.type === "total")!.amount;
    const token = stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: total }).id;
    const completed = await agent.complete(id, shapes.complete(agent.version, token));
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe("completed");

    // A second buyer walks away over shipping: the dashboard's abandonment reasons.
    const other = await agent.create(shapes.create(agent.version, [{ id: itemId, quantity: 1 }]));
    expect((await agent.cancel(String(other.body.id), { intent_trace: { reason_code: "shipping_cost", trace_summary: "Shipping too expensive" } })).status).toBe(200);

    const order = await db.agentOrder.findFirstOrThrow({ where: { shopId, checkoutSessionId: id } });
    orderName = order.orderName;
    orderTotal = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(total / 100);
    expect(order.totalMinor).toBe(total);

    await open("/app/orders");
    const row = page.locator("tr", { hasText: orderName });
    await expect(row.count()).resolves.toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain(orderTotal);
    expect(rowText).toContain("Ann Lee");
    expect(rowText).not.toContain("ann@example.com"); // lists carry the buyer's name only
    await shot("orders");
    expect(await axe("orders")).toEqual([]);

    await row.getByRole("link").first().click(); // the date opens the order's page
    await page.waitForURL(`**/app/orders/${order.id}`);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("#order-total").innerText()).resolves.toBe(orderTotal);
    const kinds = await page.locator("[data-timeline-kind]").evaluateAll((els) => els.map((e) => e.getAttribute("data-timeline-kind")));
    expect(kinds).toEqual(expect.arrayContaining(["response", "completed", "order", "event"]));
    const timeline = await page.getByRole("list", { name: "Checkout timeline" }).innerText();
    expect(timeline).toContain("Agent created the checkout");
    expect(timeline).toContain(`Order ${orderName} created`);
    expect(await page.getByText("ann@example.com").count()).toBe(1); // the detail page shows the buyer's contact
    await shot("order-detail");
    expect(await axe("order-detail")).toEqual([]);
  }));

  it("draws the dashboard's charts from the sessions and orders", inBrowser("dashboard", async () => {
    await open("/app/dashboard?days=7");
    await page.waitForSelector('[data-chart="line"] svg');
    await page.waitForSelector('[data-chart="bar"] svg');
    await page.waitForSelector('[data-chart="donut"] svg');
    await expect(page.locator("#metric-sessions").innerText()).resolves.toBe("2");
    await expect(page.locator("#metric-completion").innerText()).resolves.toBe("50%");
    await expect(page.locator("#metric-revenue").innerText()).resolves.toBe(orderTotal);
    await expect(page.locator('[data-chart="donut"]').innerText()).resolves.toContain("Shipping too expensive");
    await shot("dashboard");
    expect(await axe("dashboard")).toEqual([]);
  }));

  it("takes a product out of the feed when the merchant ticks it and uses the bulk Exclude", inBrowser("products", async () => {
    const feedIds = () => feedItemIds(stack.urls.feed);
    // The first eligible product on the first page of the table (sorted by title).
    const [first] = await db.$queryRawUnsafe<Array<{ productId: string; title: string }>>(
      `SELECT productId, MIN(productTitle) AS title FROM CatalogItem WHERE shopId = ? AND deletedAt IS NULL GROUP BY productTitle, productId
        HAVING MIN(eligible) = 1 ORDER BY productTitle, productId LIMIT 1`,
      shopId,
    );
    const variants = (await db.catalogItem.findMany({ where: { shopId, productId: first.productId }, select: { variantId: true } })).map((v) => v.variantId);
    expect(await feedIds()).toEqual(expect.arrayContaining(variants));

    await open("/app/products?status=eligible");
    const row = page.locator("tr", { hasText: first.title }).first();
    await row.locator('input[type="checkbox"]').first().check({ force: true });
    await page.getByRole("button", { name: "Exclude", exact: true }).click();
    await page.getByText(/is excluded/).waitFor();
    // The list of eligible products no longer holds it (the table reloads after the banner).
    await expect.poll(() => page.getByRole("button", { name: `Exclude ${first.title} from the feed for agents`, exact: true }).count()).toBe(0);
    await shot("products");
    expect(await axe("products")).toEqual([]);

    const after = await feedIds();
    for (const v of variants) expect(after).not.toContain(v);
  }));

  it("shows the going-live checklist from the real state and flips items as the merchant fixes or breaks them", inBrowser("home", async () => {
    await open("/app");
    // The demo install: feed settings, products, a key and Stripe in test mode; no order-event endpoint yet.
    expect(await checklistDone("feed_settings")).toBe(true);
    expect(await checklistDone("products")).toBe(true);
    expect(await checklistDone("agent_key")).toBe(true);
    expect(await checklistDone("payments")).toBe(true);
    expect(await checklistDone("order_webhook")).toBe(false);
    expect(await axe("home")).toEqual([]);

    await page.locator(`[data-checklist-item="order_webhook"]`).getByRole("link").click();
    await page.waitForURL("**/app/settings");
    await page.getByLabel("Endpoint URL").fill(receiver.url);
    await page.getByLabel("Signing secret").first().fill(WEBHOOK_SECRET);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved").waitFor();
    expect(await axe("settings")).toEqual([]);

    await open("/app");
    expect(await checklistDone("order_webhook")).toBe(true);

    // Revoke every agent key: agents can no longer call the checkout, and Home says so.
    await open("/app/settings");
    const revokeButtons = page.getByRole("button", { name: /^Revoke / });
    for (let left = await revokeButtons.count(); left > 0; left = await revokeButtons.count()) {
      await revokeButtons.first().click();
      await page.waitForFunction((before) => document.querySelectorAll('button[aria-label^="Revoke "]').length < before, left);
    }
    await open("/app");
    expect(await checklistDone("agent_key")).toBe(false);
    await expect(page.locator(`[data-checklist-item="agent_key"]`).innerText()).resolves.toContain("Issue an agent API key");
    await shot("home");
  }));

  it("re-sends an order update that could not be delivered, once the endpoint is set", inBrowser("resend", async () => {
    const order = await db.agentOrder.findFirstOrThrow({ where: { shopId, orderName } });
    // With no endpoint at completion time, the "created" update was dead-lettered after one attempt (decision 0062).
    const deadline = Date.now() + 10_000;
    while (!(await db.outboxEvent.findFirst({ where: { shopId, aggregateId: order.id, deadAt: { not: null } } })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await open(`/app/orders/${order.id}`);
    await expect(page.getByRole("table").innerText()).resolves.toContain("Failed");
    await page.getByRole("button", { name: /^Re-send / }).first().click();
    await page.getByText(/queued and will be sent/).waitFor();
    const received = await receiver.waitFor((e) => (e.data as { id?: string }).id === order.shopifyOrderId, 15_000);
    expect(received.type).toMatch(/^order_/);
    // The worker records the delivery; the page shows it.
    const until = Date.now() + 10_000;
    while (!(await db.outboxEvent.findFirst({ where: { shopId, aggregateId: order.id, deliveredAt: { not: null } } })) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await open(`/app/orders/${order.id}`);
    await expect(page.getByRole("table").innerText()).resolves.toContain("Delivered");
    await shot("order-resent");

    // The list's filters and search follow: delivered now, no longer failed; search by buyer name.
    await open("/app/orders?delivery=delivered");
    await expect(page.locator("tr", { hasText: orderName }).count()).resolves.toBe(1);
    await open("/app/orders?delivery=failed");
    await page.getByText("No agent orders match").waitFor();
    await open("/app/orders");
    await page.getByRole("button", { name: /Search and filter/ }).click();
    await page.getByPlaceholder("Search order, buyer, agent or session id").fill("Ann L");
    await page.waitForURL(/q=Ann/);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("tr", { hasText: orderName }).count()).resolves.toBe(1);
    await page.getByPlaceholder("Search order, buyer, agent or session id").fill("Zed Nobody");
    await page.getByText("No agent orders match").waitFor();
  }));

  it("lists a Shopify data request on Privacy requests and downloads its export of exactly that buyer", inBrowser("privacy", async () => {
    const sessions = await db.checkoutSession.findMany({ where: { shopId, buyerEmailHash: { not: null } }, select: { id: true, stateJson: true } });
    const email = sessions.map((s) => (JSON.parse(s.stateJson) as { buyer?: { email?: string } }).buyer?.email).find(Boolean)!;
    expect(email).toBeTruthy();
    const mine = sessions.filter((s) => (JSON.parse(s.stateJson) as { buyer?: { email?: string } }).buyer?.email === email).map((s) => s.id);
    // Shopify's compliance delivery, signed with the app's secret, as the simulated Shopify would send it.
    const body = { shop_id: 1, shop_domain: stack.urls.shop, customer: { id: 4242, email: email.toUpperCase(), phone: null }, orders_requested: [], data_request: { id: 77 } };
    const raw = JSON.stringify(body);
    const delivered = await fetch(`${stack.appUrl}/webhooks/compliance`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "customers/data_request",
        "X-Shopify-Shop-Domain": stack.urls.shop,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Hmac-Sha256": createHmac("sha256", "demo-api-secret").update(raw, "utf8").digest("base64"),
      },
      body: raw,
    });
    expect(delivered.status).toBe(200);
    await open("/app/privacy");
    const row = page.locator("tr", { hasText: "Customer data request" });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toContain(String(mine.length));
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByRole("button", { name: /Download the export/ }).click()]);
    const exported = JSON.parse(await streamText(await download.createReadStream())) as unknown;
    const text = JSON.stringify(exported);
    for (const id of mine) expect(text).toContain(id);
    expect(text.toLowerCase()).toContain(email.toLowerCase());
    const others = sessions.filter((s) => !mine.includes(s.id)).map((s) => s.id);
    for (const id of others) expect(text).not.toContain(id);
    await shot("privacy");
    expect(await axe("privacy")).toEqual([]);
  }));

  it("serves the admin extensions' data to requests with Shopify's ID token, with CORS, and toggles a product", async () => {
    // The ID token Shopify's admin adds to an extension's fetch(): HS256 under the app secret, our API key as audience.
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const nowS = Math.floor(Date.now() / 1000);
    const head = b64({ alg: "HS256", typ: "JWT" });
    const claims = b64({ iss: `https://${stack.urls.shop}/admin`, dest: `https://${stack.urls.shop}`, aud: "demo-api-key", sub: "42", exp: nowS + 60, nbf: nowS - 5, iat: nowS - 5, jti: randomUUID(), sid: randomUUID() });
    const token = `${head}.${claims}.${createHmac("sha256", "demo-api-secret").update(`${head}.${claims}`).digest("base64url")}`;
    const origin = "https://extensions.shopifycdn.com";
    const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36"; // bots get 410
    const call = (pathname: string, init: RequestInit = {}) =>
      fetch(`${stack.appUrl}${pathname}`, { ...init, headers: { "User-Agent": UA, Origin: origin, Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...(init.headers ?? {}) } });

    const preflight = await fetch(`${stack.appUrl}/api/extensions/product/1`, { method: "OPTIONS", headers: { "User-Agent": UA, Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);

    const unsigned = await fetch(`${stack.appUrl}/api/extensions/product/1`, { headers: { "User-Agent": UA, Origin: origin, Authorization: `Bearer ${head}.${claims}.forged` } });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);

    const item = await db.catalogItem.findFirstOrThrow({ where: { shopId, eligible: true }, orderBy: { productTitle: "desc" } });
    const numeric = item.productId.split("/").pop()!;
    const got = await call(`/api/extensions/product/${numeric}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("access-control-allow-origin")).toBe("*");
    expect(await got.json()).toMatchObject({ productId: item.productId, state: "eligible" });
    const off = await call(`/api/extensions/product/${numeric}`, { method: "POST", body: JSON.stringify({ included: false }) });
    expect(await off.json()).toMatchObject({ state: "excluded", choice: "excluded" });
    expect(await db.catalogItem.count({ where: { shopId, productId: item.productId, selected: true } })).toBe(0);

    const order = await db.agentOrder.findFirstOrThrow({ where: { shopId, orderName } });
    const orderData = (await (await call(`/api/extensions/order/${order.shopifyOrderId.split("/").pop()}`)).json()) as { agentOrder: { checkoutSessionId: string }; events: unknown[] };
    expect(orderData.agentOrder.checkoutSessionId).toBe(order.checkoutSessionId);
    expect(orderData.events.length).toBeGreaterThan(0);
    expect(await (await call("/api/extensions/order/999999")).json()).toEqual({ agentOrder: null, events: [] });
  });

  it("raised no page errors and no serious accessibility violations", () => {
    expect(pageErrors).toEqual([]);
    expect(Object.values(axeReport).flat()).toEqual([]);
  });
});

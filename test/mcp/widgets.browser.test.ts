// Each widget resource, as the server serves it, rendered in Chromium with real tool output from the demo app:
// once the way ChatGPT's Apps SDK runs it (window.openai set before the widget's script) and once the way an MCP
// Apps host does (a sandboxed iframe, the ui/initialize handshake, then ui/notifications/tool-result). It checks
// what a buyer sees — names, prices, totals — in the shop's currency, that catalog text is never markup, and that
// a widget fetches nothing but images. Screenshots go to artifacts/.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { BrowserContext, Frame, Page } from "playwright-core";
import type { DemoStack } from "../../scripts/demo/stack";
import { shapes } from "../../sim/agent/client";
import { ARTIFACTS, browserAvailable, launchBrowser } from "../support/browser";
import { address, buyer, connect, startStack, stockedItem } from "./support";

type ToolResult = { structuredContent: any; content: unknown[]; _meta: any };

let stack: DemoStack;
let client: Client;
let browser: BrowserContext;
const widgets: Record<string, { skybridge: string; mcpApp: string }> = {};
const outputs: Record<string, ToolResult> = {};

const V = "2026-04-17";
const usd = (minor: number, locale = "en-US") => new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }).format(minor / 100);
const key = (() => {
  let n = 0;
  return () => `widget-${Date.now()}-${++n}`;
})();

async function tool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as unknown as ToolResult;
}

beforeAll(async () => {
  if (!browserAvailable) return;
  stack = await startStack("widgets");
  client = await connect(stack);
  const { tools } = await client.listTools();
  for (const t of tools) {
    const template = (await client.readResource({ uri: t._meta!["openai/outputTemplate"] as string })).contents[0] as { text: string };
    const app = (await client.readResource({ uri: (t._meta!.ui as { resourceUri: string }).resourceUri })).contents[0] as { text: string };
    widgets[t.name] = { skybridge: template.text, mcpApp: app.text };
  }
  const item = stockedItem(stack);
  outputs.search = await tool("search_products", { limit: 6 });
  outputs.product = await tool("get_product", { id: item.itemId });
  const created = await tool("create_checkout_session", {
    meta: { api_version: V, idempotency_key: key() },
    payload: { ...shapes.create(V, [{ id: item.itemId, quantity: 2 }], buyer), fulfillment_details: { name: address.name, email: buyer.email, address } },
  });
  outputs.session = created;
  const total = created.structuredContent.totals.find((t: any) => t.type === "total").amount;
  const token = stack.stripe.mintGrantedToken({ paymentMethod: "pm_card_visa", currency: "usd", maxAmount: total }).id;
  outputs.completed = await tool("complete_checkout_session", { meta: { api_version: V, idempotency_key: key() }, id: created.structuredContent.id, payload: shapes.complete(V, token) });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await stack?.stop();
});

const PAGE_URL = "https://host.test/";

/** Serves `html` at PAGE_URL, blocks the rest of the network and records what the page asked for. */
async function guardedPage(html: string): Promise<{ page: Page; requested: { url: string; type: string }[] }> {
  const page = await browser.newPage();
  const requested: { url: string; type: string }[] = [];
  await page.route("**/*", (route) => {
    if (route.request().url() === PAGE_URL) return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
    requested.push({ url: route.request().url(), type: route.request().resourceType() });
    return route.abort();
  });
  return { page, requested };
}

/** Apps SDK: window.openai holds the tool output before the widget's script runs. */
async function renderAppsSdk(html: string, result: ToolResult, locale = "en-US"): Promise<{ page: Page; frame: Frame; requested: { url: string; type: string }[] }> {
  const { page, requested } = await guardedPage(html);
  await page.addInitScript((globals) => {
    const asked: string[] = [];
    Object.assign(window, { __asked: asked, openai: { ...globals, sendFollowUpMessage: ({ prompt }: { prompt: string }) => asked.push(prompt) } });
  }, { toolOutput: result.structuredContent, toolResponseMetadata: { ...result._meta, "acp/display": { ...result._meta["acp/display"], locale } }, locale, theme: "light" });
  await page.goto(PAGE_URL, { waitUntil: "domcontentloaded" });
  return { page, frame: page.mainFrame(), requested };
}

/** MCP Apps: a host page with a sandboxed iframe that answers ui/initialize and then sends the tool result. */
async function renderMcpApp(html: string, result: ToolResult): Promise<{ page: Page; frame: Frame; requested: { url: string; type: string }[] }> {
  const { page, requested } = await guardedPage(`<!doctype html><html><body style="margin:0"><iframe id="app" sandbox="allow-scripts" style="border:0;width:100%;height:880px"></iframe></body></html>`);
  await page.goto(PAGE_URL, { waitUntil: "domcontentloaded" });
  await page.evaluate(
    ({ html, result }) => {
      const frame = document.getElementById("app") as HTMLIFrameElement;
      window.addEventListener("message", (event) => {
        const message = event.data;
        if (event.source !== frame.contentWindow || message?.jsonrpc !== "2.0") return;
        if (message.method === "ui/initialize") {
          frame.contentWindow!.postMessage({ jsonrpc: "2.0", id: message.id, result: { protocolVersion: message.params.protocolVersion, hostInfo: { name: "test-host", version: "1" }, hostCapabilities: {}, hostContext: { locale: "en-US", theme: "light" } } }, "*");
        }
        if (message.method === "ui/message") {
          ((window as unknown as { __asked?: string[] }).__asked ??= []).push(message.params.content[0].text);
          frame.contentWindow!.postMessage({ jsonrpc: "2.0", id: message.id, result: {} }, "*");
        }
        if (message.method === "ui/notifications/initialized") {
          frame.contentWindow!.postMessage({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: result }, "*");
        }
      });
      frame.srcdoc = html;
    },
    { html, result },
  );
  const frame = await (async () => {
    for (let i = 0; i < 50; i++) {
      const found = page.frames().find((f) => f !== page.mainFrame());
      if (found) return found;
      await page.waitForTimeout(50);
    }
    throw new Error("no iframe");
  })();
  return { page, frame, requested };
}

function onlyImages(requested: { url: string; type: string }[]): void {
  expect(requested.filter((r) => r.type !== "image")).toEqual([]);
}

const flavours = [
  ["Apps SDK (text/html+skybridge)", "skybridge", renderAppsSdk],
  ["MCP Apps (text/html;profile=mcp-app)", "mcpApp", renderMcpApp],
] as const;

describe.skipIf(!browserAvailable).each(flavours)("widgets as %s", (label, flavour, render) => {
  it("search results: a carousel of product cards with names and prices in USD", async () => {
    const { page, frame, requested } = await render(widgets.search_products[flavour], outputs.search);
    await frame.waitForSelector(".carousel .card");
    const products = outputs.search.structuredContent.products as any[];
    expect(products.length).toBeGreaterThan(1);
    const cards = await frame.$$eval(".card", (nodes) => nodes.map((n) => ({ id: n.getAttribute("data-product-id"), text: (n as HTMLElement).innerText })));
    expect(cards.map((c) => c.id)).toEqual(products.map((p) => p.id));
    for (const [i, p] of products.entries()) {
      expect(cards[i].text).toContain(p.title);
      const price = p.price_range.min === p.price_range.max ? usd(p.variants.find((v: any) => v.item_id === p.default_item_id).price) : `From ${usd(p.price_range.min)}`;
      expect(cards[i].text).toContain(price);
      expect(cards[i].text).toMatch(/In stock|Backorder|Pre-order|Out of stock/);
    }
    onlyImages(requested);
    await page.screenshot({ path: path.join(ARTIFACTS, `mcp-widget-products-carousel-${flavour}.png`), fullPage: true });
    await page.close();
  });

  it("Buy puts the buyer's request into the conversation", async () => {
    const { page, frame } = await render(widgets.get_product[flavour], outputs.product);
    const product = outputs.product.structuredContent.product;
    const variant = product.variants.find((v: any) => v.availability !== "out_of_stock");
    await frame.click(`tr[data-item-id="${variant.item_id}"] button.buy`);
    await page.waitForFunction(() => ((window as unknown as { __asked?: string[] }).__asked ?? []).length > 0);
    const asked = await page.evaluate(() => (window as unknown as { __asked: string[] }).__asked);
    expect(asked).toEqual([`Buy: ${product.title} – ${variant.title}`]);
    await page.close();
  });

  it("get_product: one product card with every variant and its price", async () => {
    const { page, frame, requested } = await render(widgets.get_product[flavour], outputs.product);
    await frame.waitForSelector(".detail");
    const product = outputs.product.structuredContent.product;
    const text = await frame.innerText(".detail");
    expect(text).toContain(product.title);
    const rows = await frame.$$eval("tr[data-item-id]", (nodes) => nodes.map((n) => ({ id: n.getAttribute("data-item-id"), text: (n as HTMLElement).innerText })));
    expect(rows.map((r) => r.id)).toEqual(product.variants.map((v: any) => v.item_id));
    for (const [i, v] of product.variants.entries()) expect(rows[i].text).toContain(usd(v.price));
    onlyImages(requested);
    await page.screenshot({ path: path.join(ARTIFACTS, `mcp-widget-product-detail-${flavour}.png`), fullPage: true });
    await page.close();
  });

  it("checkout session: lines, delivery and the session's own totals; then the placed order", async () => {
    const session = outputs.session.structuredContent;
    const { page, frame, requested } = await render(widgets.create_checkout_session[flavour], outputs.session);
    await frame.waitForSelector(".cart");
    const text = await frame.innerText(".cart");
    expect(text).toContain("Ready to pay");
    for (const line of session.line_items) {
      expect(text).toContain(line.name);
      expect(text).toContain(`Qty ${line.quantity} × ${usd(line.unit_amount)}`);
      expect(text).toContain(usd(line.totals.find((t: any) => t.type === "total").amount));
    }
    for (const total of session.totals) {
      const row = await frame.innerText(`[data-total="${total.type}"]`);
      expect(row).toContain(total.display_text);
      expect(row).toContain(usd(total.amount));
    }
    const selected = session.fulfillment_options.find((o: any) => o.id === session.selected_fulfillment_options[0].option_id);
    expect(text).toContain(selected.title);
    onlyImages(requested);
    await page.screenshot({ path: path.join(ARTIFACTS, `mcp-widget-checkout-${flavour}.png`), fullPage: true });
    await page.close();

    const done = outputs.completed.structuredContent;
    const after = await render(widgets.complete_checkout_session[flavour], outputs.completed);
    await after.frame.waitForSelector(".order");
    const orderText = await after.frame.innerText(".cart");
    expect(orderText).toContain("Order placed");
    if (done.order.order_number) expect(orderText).toContain(String(done.order.order_number));
    expect(await after.frame.getAttribute(".order a", "href")).toBe(done.order.permalink_url);
    await after.page.screenshot({ path: path.join(ARTIFACTS, `mcp-widget-order-${flavour}.png`), fullPage: true });
    await after.page.close();
    expect(label).toBeTruthy();
  });
});

describe.skipIf(!browserAvailable)("widget safety and language", () => {
  it("shows hostile catalog text as text, never markup", async () => {
    const hostile = structuredClone(outputs.search);
    hostile.structuredContent.products[0].title = `<img src=x onerror="window.__owned=1"><script>window.__owned=2</script>Jacket`;
    hostile.structuredContent.products[0].image_url = "javascript:window.__owned=3";
    const { page, frame } = await renderAppsSdk(widgets.search_products.skybridge, hostile);
    await frame.waitForSelector(".card");
    expect(await frame.innerText(".card .title")).toBe(hostile.structuredContent.products[0].title);
    expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
    await page.close();
  });

  it("speaks the host's language with the shop's currency (fr-FR, USD)", async () => {
    const { page, frame } = await renderAppsSdk(widgets.create_checkout_session.skybridge, outputs.session, "fr-FR");
    await frame.waitForSelector(".cart");
    const text = await frame.innerText(".cart");
    const total = outputs.session.structuredContent.totals.find((t: any) => t.type === "total").amount;
    expect(text).toContain("Prêt à payer");
    expect(text).toContain(usd(total, "fr-FR"));
    await page.screenshot({ path: path.join(ARTIFACTS, "mcp-widget-checkout-fr.png"), fullPage: true });
    await page.close();
  });
});

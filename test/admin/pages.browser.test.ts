// Every admin page in a real browser (Debian's Chromium through playwright-core) against the demo, at the widths of
// Shopify admin's iframe (1024 and 1440 px): nothing wider than its card or the page, no console errors, no serious
// or critical axe-core violations, and a screenshot of each for people to look at (test-output/screenshots/, not
// compared). The pages come from app/routes/app.*.tsx, so a page added later is checked without editing this file.
// Then the products page's own promises (issue 16 item 1): the Include/Exclude switch is in sight at 768 px and up,
// switching a product off takes it out of the feed file, bulk actions change several, and problems open in full.
import path from "node:path";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startDemoStack, type DemoStack } from "../../scripts/demo/stack";
import { createDb, type Db } from "../../app/db/client.server";
import { freePort } from "../support/ports";
import { browserAvailable, launchBrowser } from "../support/browser";
import { seedAgentOrders } from "../support/admin-seed";
import { feedItemIds } from "../support/feed-file";

const root = path.resolve(import.meta.dirname, "../..");
const SCREENSHOTS = path.join(root, "test-output/screenshots");
const WIDTHS = [1024, 1440];
/** Half a pixel of sub-pixel rounding either way is not an overflow. */
const TOLERANCE_PX = 1;

interface AdminPage {
  /** The route module, e.g. app.orders.$id.tsx. */
  file: string;
  /** A file-name-safe name for screenshots, e.g. app.orders.id. */
  name: string;
  path: string;
}

/**
 * The admin's pages from Remix's flat route files: `app.tsx` is the layout, `_index` an index, `$id` a parameter
 * (filled from `params`; a new parameter without a sample fails here, saying which). Resource routes (.ts) are not
 * pages.
 */
function adminPages(routesDir: string, params: Record<string, string>): AdminPage[] {
  return readdirSync(routesDir)
    .filter((f) => /^app\..+\.tsx$/.test(f))
    .sort()
    .map((file) => {
      const segments = file.replace(/\.tsx$/, "").split(".").slice(1);
      const parts = segments.flatMap((s) => {
        if (s === "_index") return [];
        if (s.startsWith("$")) {
          const value = params[s.slice(1)];
          if (!value) throw new Error(`${file}: no sample value for the route parameter "${s}"; add one to the page check's params`);
          return [encodeURIComponent(value)];
        }
        if (!/^[a-z0-9-]+$/.test(s)) throw new Error(`${file}: the page check does not know how to open the route segment "${s}"`);
        return [s];
      });
      return { file, name: file.replace(/\.tsx$/, "").replaceAll("$", ""), path: ["/app", ...parts].join("/") };
    });
}

/** Runs in the page: every card, table and the page itself that is wider inside than it shows, and content past a card's edge. */
function findOverflows(tolerance: number): string[] {
  const describe = (e: Element) => {
    const label = e.getAttribute("aria-label") ?? e.getAttribute("id") ?? (e.textContent ?? "").trim().slice(0, 40);
    return `${e.tagName.toLowerCase()}.${String(e.getAttribute("class") ?? "").split(" ")[0]} "${label}"`;
  };
  const shown = (e: Element) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    // Visually hidden text (Polaris' 1×1 clipped spans) and collapsed elements take no room on screen.
    return r.width > 1 && r.height > 1 && style.visibility !== "hidden" && style.display !== "none";
  };
  const out: string[] = [];
  const scrollers = [document.documentElement, ...document.querySelectorAll(".Polaris-ShadowBevel, .Polaris-Card, table, .Polaris-IndexTable-ScrollContainer, .Polaris-DataTable__ScrollContainer")];
  for (const e of scrollers) {
    if (e !== document.documentElement && !shown(e)) continue;
    if (e.scrollWidth > e.clientWidth + tolerance) out.push(`${describe(e)} is ${e.scrollWidth}px wide inside, ${e.clientWidth}px on screen`);
  }
  // A card clips what sticks out (overflow: hidden/clip), so its scrollWidth can look fine: compare edges too.
  for (const card of document.querySelectorAll(".Polaris-ShadowBevel")) {
    if (!shown(card)) continue;
    const box = card.getBoundingClientRect();
    for (const e of card.querySelectorAll("*")) {
      // An <svg> clips its own drawing: its box is what shows, not its groups' (a chart's hidden parts reach further).
      if (!shown(e) || (e.closest("svg") && e.tagName.toLowerCase() !== "svg")) continue;
      const r = e.getBoundingClientRect();
      if (r.right > box.right + tolerance || r.left < box.left - tolerance) {
        out.push(`${describe(e)} spans ${Math.round(r.left)}–${Math.round(r.right)}px, outside its card's ${Math.round(box.left)}–${Math.round(box.right)}px`);
        break; // one line per card is enough to find it
      }
    }
  }
  return out;
}

/**
 * Whether build/ holds a development client (built with NODE_ENV=test or development): React's development build
 * carries its DOM nesting warnings, the production one does not. The checks are about what merchants get, and a
 * development client logs errors production does not (polaris-viz draws negative sizes before it settles).
 */
function developmentClientBuild(): boolean {
  const assets = path.join(root, "build/client/assets");
  return readdirSync(assets).some((f) => f.endsWith(".js") && readFileSync(path.join(assets, f), "utf8").includes("validateDOMNesting"));
}

let stack: DemoStack;
let db: Db;
let browser: BrowserContext;
let page: Page;
let shopId: string;
let consoleErrors: string[] = [];

async function open(pathname: string) {
  const res = await page.goto(`${stack.appUrl}${pathname}`, { waitUntil: "networkidle" });
  expect(res?.status(), `GET ${pathname}`).toBe(200);
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(null)))));
}

async function seriousViolations(): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
}

const feedItems = () => feedItemIds(stack.urls.feed);

async function variantIds(productId: string): Promise<string[]> {
  return (await db.catalogItem.findMany({ where: { shopId, productId, deletedAt: null }, select: { variantId: true } })).map((v) => v.variantId);
}

/** Eligible products on the table's first page (sorted by title, as the page is), first `n`. */
async function eligibleProducts(n: number): Promise<Array<{ productId: string; title: string }>> {
  return db.$queryRawUnsafe<Array<{ productId: string; title: string }>>(
    `SELECT productId, MIN(productTitle) AS title FROM CatalogItem WHERE shopId = ? AND deletedAt IS NULL GROUP BY productTitle, productId
      HAVING MIN(eligible) = 1 AND MAX(selected) = 1 ORDER BY productTitle, productId LIMIT ?`,
    shopId,
    n,
  );
}

beforeAll(async () => {
  if (!browserAvailable) {
    console.log("Skipping the admin page checks: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH, or apt-get install chromium).");
    return;
  }
  if (developmentClientBuild()) {
    throw new Error("build/ holds a development client build (made with NODE_ENV=test or development); the page checks need the production build: rebuild with `npm run build`");
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startDemoStack({ port: await freePort(), build: false, log: () => {}, dataDir: mkdtempSync(path.join(tmpdir(), "demo-pages-")) });
  db = createDb(stack.databaseUrl);
  shopId = (await db.shop.findUniqueOrThrow({ where: { domain: stack.urls.shop } })).id;
  // The orders pages need an order to show (and the detail page an id): a few, written straight into the tables.
  await seedAgentOrders(db, { shopId, count: 6, abandoned: 3, prefix: "pages" });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${m.text()}${m.location().url ? ` (${m.location().url})` : ""}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
  await stack?.stop();
  if (browserAvailable) console.log(`Admin page screenshots: ${SCREENSHOTS}`);
});

describe.skipIf(!browserAvailable)("every admin page in a browser", () => {
  const pages = () => adminPages(path.join(root, "app/routes"), { id: "ao_pages_000000" });

  it("finds the pages from the route files, filling parameters", () => {
    const found = pages();
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(["/app", "/app/products", "/app/orders", "/app/orders/ao_pages_000000"]));
    expect(found.some((p) => p.file === "app.tsx")).toBe(false);
    expect(() => adminPages(path.join(root, "app/routes"), {})).toThrow(/app\.orders\.\$id\.tsx: no sample value for the route parameter "\$id"/);
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: fits its cards, logs no errors, passes axe, and leaves a screenshot`, async () => {
      await page.setViewportSize({ width, height: 900 });
      const problems: Record<string, string[]> = {};
      for (const p of pages()) {
        consoleErrors = [];
        await open(p.path);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${p.name}-${width}.png`), fullPage: true });
        const found = [
          ...(await page.evaluate(findOverflows, TOLERANCE_PX)).map((o) => `overflow: ${o}`),
          ...consoleErrors.map((e) => `console: ${e}`),
          ...(await seriousViolations()).map((v) => `axe: ${v}`),
        ];
        if (found.length) problems[p.path] = found;
      }
      expect(problems).toEqual({});
    }, 180_000);
  }
});

describe.skipIf(!browserAvailable)("the products page in a browser", () => {
  it("shows every row's Include/Exclude switch without scrolling sideways, from a phone's 400 px (a list) to 1800 px", async () => {
    for (const width of [400, 768, 1024, 1440, 1800]) {
      await page.setViewportSize({ width, height: 900 });
      consoleErrors = [];
      await open("/app/products");
      await page.locator('button[aria-label*=" variants of "]').first().click(); // a product with several variants: their rows too
      await page.waitForFunction(() => document.querySelectorAll('[id*="|gid://shopify/ProductVariant/"]').length > 0);
      const rows = await page.locator("[data-agent-toggle]").count();
      expect(rows).toBeGreaterThanOrEqual(20);
      const outside = await page.evaluate(() => {
        const viewport = document.documentElement.clientWidth;
        return [...document.querySelectorAll("[data-agent-toggle] button")]
          .map((b) => ({ label: b.getAttribute("aria-label"), right: b.getBoundingClientRect().right, card: b.closest(".Polaris-ShadowBevel")!.getBoundingClientRect().right }))
          .filter((b) => b.right > viewport || b.right > b.card)
          .map((b) => b.label);
      });
      expect(outside, `at ${width} px`).toEqual([]);
      expect(await page.evaluate(findOverflows, TOLERANCE_PX), `at ${width} px`).toEqual([]);
      expect(consoleErrors, `at ${width} px`).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `products-${width}.png`) });
    }
  }, 120_000);

  it("takes a product out of the feed when its row's Exclude is clicked, and back with Include", async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    const [product] = await eligibleProducts(1);
    const variants = await variantIds(product.productId);
    expect(variants.length).toBeGreaterThan(0);
    expect(await feedItems()).toEqual(expect.arrayContaining(variants));

    await open("/app/products");
    await page.getByRole("button", { name: `Exclude ${product.title} from the feed for agents`, exact: true }).click();
    await page.getByText(`${product.title} is excluded`).waitFor();
    const row = page.locator("tr", { hasText: product.title }).first();
    await row.getByText("Excluded by you").waitFor(); // the table reloads after the banner
    expect(await row.locator('input[type="checkbox"]').first().isChecked()).toBe(false); // the click did not select the row
    const after = await feedItems();
    for (const v of variants) expect(after).not.toContain(v);

    await page.getByRole("button", { name: `Include ${product.title} in the feed for agents`, exact: true }).click();
    await page.getByText(`${product.title} will be offered to agents`).waitFor();
    expect(await feedItems()).toEqual(expect.arrayContaining(variants));
  });

  it("takes one variant out of the feed with its own row's Exclude, keeps its sibling, and brings it back with Include", async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    const products = await eligibleProducts(40);
    const counts = await Promise.all(products.map((p) => variantIds(p.productId).then((ids) => ids.length)));
    const product = products[counts.findIndex((n) => n >= 2)];
    expect(product, "an eligible product with two variants on the first page").toBeDefined();
    const [excluded, sibling] = await db.catalogItem.findMany({ where: { shopId, productId: product.productId, deletedAt: null }, orderBy: { position: "asc" }, select: { variantId: true, variantTitle: true } });
    const subject = `${product.title}: ${excluded.variantTitle}`;

    await open("/app/products");
    await page.getByRole("button", { name: new RegExp(`^\\d+ variants.* of ${product.title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).click();
    await page.getByRole("button", { name: `Exclude ${subject} from the feed for agents`, exact: true }).click();
    await page.getByText(`${subject} is excluded`).waitFor();
    const row = page.locator(`tr[id="${product.productId}|${excluded.variantId}"]`);
    await row.getByText("Excluded by you").waitFor();
    const after = await feedItems();
    expect(after).not.toContain(excluded.variantId);
    expect(after).toContain(sibling.variantId);
    expect(await db.variantExclusion.count({ where: { shopId, variantId: excluded.variantId } })).toBe(1);

    await row.getByRole("button", { name: `Include ${subject} in the feed for agents`, exact: true }).click();
    await page.getByText(`${subject} follows its product again`).waitFor();
    expect(await feedItems()).toEqual(expect.arrayContaining([excluded.variantId, sibling.variantId]));
    expect(await db.variantExclusion.count({ where: { shopId } })).toBe(0);
  });

  it("excludes the ticked rows with the bulk action, and hands them back to the shop rule", async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    const chosen = await eligibleProducts(3);
    const two = chosen.slice(1, 3);
    const variants = (await Promise.all(two.map((p) => variantIds(p.productId)))).flat();
    await open("/app/products");
    for (const p of two) await page.getByRole("checkbox", { name: `Select ${p.title}`, exact: true }).check({ force: true });
    await page.getByRole("button", { name: "Exclude", exact: true }).click();
    await page.getByText("2 products are excluded").waitFor();
    const after = await feedItems();
    for (const v of variants) expect(after).not.toContain(v);
    expect(await db.productSelection.count({ where: { shopId, productId: { in: two.map((p) => p.productId) }, included: false } })).toBe(2);

    for (const p of two) await page.getByRole("checkbox", { name: `Select ${p.title}`, exact: true }).check({ force: true });
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("button", { name: "Follow the shop rule" }).or(page.getByRole("menuitem", { name: "Follow the shop rule" })).first().click();
    await page.getByText("2 products follow the shop rule again").waitFor();
    expect(await feedItems()).toEqual(expect.arrayContaining(variants)); // the demo's rule is "all active products"
    expect(await db.productSelection.count({ where: { shopId, productId: { in: two.map((p) => p.productId) } } })).toBe(0);
  });

  it("shows a product's problems as a count, and every problem with its fix in the popover, none cut off", async () => {
    await page.setViewportSize({ width: 1024, height: 900 });
    const item = await db.catalogItem.findFirstOrThrow({ where: { shopId, deletedAt: null, feedStatus: "needs_attention" }, orderBy: { productTitle: "asc" } });
    const all = await db.catalogItem.findMany({ where: { shopId, productId: item.productId, deletedAt: null }, select: { problemsJson: true } });
    const problems = new Map(all.flatMap((v) => JSON.parse(v.problemsJson) as Array<{ code: string; message: string; fix: string }>).map((p) => [p.code, p]));
    await open(`/app/products?status=needs_attention&q=${encodeURIComponent(item.productTitle)}`);
    const count = `${problems.size} problem${problems.size === 1 ? "" : "s"}`;
    const button = page.getByRole("button", { name: `${count} with ${item.productTitle}: show them and how to fix them`, exact: true });
    await expect(button.innerText()).resolves.toContain(count); // with the badge's hidden tone word ("Critical")
    await button.click();
    const list = page.locator("[data-problems-list]");
    await list.waitFor();
    const text = await list.innerText();
    for (const p of problems.values()) {
      expect(text).toContain(p.message);
      expect(text).toContain(p.fix);
    }
    // Wrapped, not clipped: no line of the list is wider than the popover.
    expect(await list.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    const row = page.locator("tr", { hasText: item.productTitle }).first();
    expect(await row.locator('input[type="checkbox"]').first().isChecked()).toBe(false);
    await page.keyboard.press("Escape");
    await expect(list.count()).resolves.toBe(0);
  });
});

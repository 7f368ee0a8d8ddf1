// The products page's include/exclude (a row's switch or a bulk action over the ticked rows): what the form may ask
// for, and that a change only ever touches the signed-in shop's own catalog products (issue 16 item 1).
import { afterAll, describe, expect, it } from "vitest";
import { choiceOf, MAX_PRODUCTS_PER_CHANGE, parseSelectionChange } from "../../app/catalog/selection";
import { problemSummary, productsPageAction } from "../../app/catalog/products-page.server";
import type { AdminClient } from "../../app/shopify/admin-client";
import { freshDb } from "../support/db";
import { seedCatalogItems } from "../support/admin-seed";

const gid = (n: number) => `gid://shopify/Product/${n}`;

describe("parseSelectionChange", () => {
  it("reads include, exclude and reset over Shopify product ids, each once", () => {
    expect(parseSelectionChange("exclude", [gid(1), ` ${gid(2)} `, gid(1)])).toEqual({ ok: true, intent: "exclude", included: false, productIds: [gid(1), gid(2)] });
    expect(parseSelectionChange("include", [gid(3)])).toMatchObject({ ok: true, included: true });
    expect(parseSelectionChange("reset", [gid(3)])).toMatchObject({ ok: true, included: null });
  });

  it("refuses an unknown action, no products, too many, and ids that are not Shopify products", () => {
    expect(parseSelectionChange("delete", [gid(1)])).toEqual({ ok: false, message: "Unknown action." });
    expect(parseSelectionChange("exclude", [])).toEqual({ ok: false, message: "Choose at least one product." });
    const many = Array.from({ length: MAX_PRODUCTS_PER_CHANGE + 1 }, (_, i) => gid(i + 1));
    expect(parseSelectionChange("exclude", many)).toMatchObject({ ok: false, message: expect.stringContaining(`at most ${MAX_PRODUCTS_PER_CHANGE}`) });
    expect(parseSelectionChange("exclude", many.slice(1))).toMatchObject({ ok: true });
    for (const bad of ["gid://shopify/ProductVariant/1", "gid://shopify/Product/", "gid://shopify/Product/0", "gid://shopify/Product/1 OR 1=1", "1"]) {
      expect(parseSelectionChange("exclude", [gid(1), bad]), bad).toEqual({ ok: false, message: "One of the chosen products is not a Shopify product." });
    }
  });

  it("names the merchant's choice: included, excluded, or the shop rule", () => {
    expect([choiceOf(true), choiceOf(false), choiceOf(undefined)]).toEqual(["included", "excluded", "rule"]);
  });
});

describe("problemSummary", () => {
  const missingImage = { code: "missing_image", severity: "error", field: "image_url", message: "The product has no image.", fix: "Add a product image in Shopify." } as const;
  const noGtin = { code: "missing_gtin", severity: "warning", field: "gtin", message: "No barcode.", fix: "Add the barcode." } as const;
  it("counts each problem once with the variants that have it, errors first", () => {
    const summary = problemSummary([{ problems: [noGtin] }, { problems: [noGtin, missingImage, missingImage] }, { problems: [] }]);
    expect(summary).toEqual({ errors: 1, warnings: 1, list: [{ ...missingImage, variants: 1 }, { ...noGtin, variants: 2 }] });
    expect(problemSummary([{ problems: [] }])).toEqual({ errors: 0, warnings: 0, list: [] });
  });
});

describe("productsPageAction include/exclude", () => {
  const t = freshDb();
  afterAll(() => t.close());
  const admin = {} as AdminClient; // selection is applied from stored rows: no Shopify call
  const form = (intent: string, ids: string[]) => {
    const f = new FormData();
    f.set("intent", intent);
    for (const id of ids) f.append("productId", id);
    return f;
  };

  it("changes only the signed-in shop's own products, however many are sent", async () => {
    // Two shops whose catalogs hold the same product ids (seedCatalogItems numbers products from 0 in each).
    const [mine, other] = await Promise.all(["mine", "other"].map((name) => t.db.shop.create({ data: { domain: `${name}.myshopify.com`, selectionRule: "all" } })));
    await seedCatalogItems(t.db, mine.id, 20, 4); // products 0–4
    await seedCatalogItems(t.db, other.id, 20, 4);

    const res = await productsPageAction(t.db, mine, admin, form("exclude", [gid(1), gid(2), gid(404)]));
    expect(res).toEqual({ ok: true, message: "2 products are excluded: agents can no longer sell them." });
    const selectedOf = async (shopId: string, productId: string) => (await t.db.catalogItem.findMany({ where: { shopId, productId }, select: { selected: true } })).map((r) => r.selected);
    expect(await selectedOf(mine.id, gid(1))).toEqual([false, false, false, false]);
    expect(await selectedOf(mine.id, gid(3))).toEqual([true, true, true, true]);
    expect(await selectedOf(other.id, gid(1))).toEqual([true, true, true, true]);
    expect(await t.db.productSelection.findMany({ select: { shopId: true, productId: true, included: true }, orderBy: { productId: "asc" } })).toEqual([
      { shopId: mine.id, productId: gid(1), included: false },
      { shopId: mine.id, productId: gid(2), included: false },
    ]);

    // Only ids the shop does not have: nothing is stored, and the merchant is told why.
    expect(await productsPageAction(t.db, mine, admin, form("include", [gid(404)]))).toMatchObject({ ok: false, message: expect.stringContaining("None of the chosen products") });
    expect(await t.db.productSelection.count({ where: { productId: gid(404) } })).toBe(0);

    // One product is named; back to the shop rule removes the choice.
    expect(await productsPageAction(t.db, mine, admin, form("reset", [gid(1)]))).toEqual({ ok: true, message: "Product 000001 follows the shop rule again." });
    expect(await selectedOf(mine.id, gid(1))).toEqual([true, true, true, true]);
    expect(await t.db.productSelection.count({ where: { shopId: mine.id } })).toBe(1);

    expect(await productsPageAction(t.db, mine, admin, form("exclude", ["not-a-product"]))).toMatchObject({ ok: false });
  });
});

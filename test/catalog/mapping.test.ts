import { describe, expect, it } from "vitest";
import { mapProduct, availabilityOf } from "../../app/catalog/mapping";
import { composeRow, shopFeedFields } from "../../app/catalog/feed-item";
import { feedRowViolations } from "../../app/catalog/feed-rules";
import { evaluateProduct } from "../../app/catalog/catalog-item";
import { ctx, product, settings, variant } from "./fixtures";

const codes = (p: { problems: Array<{ code: string }> }) => p.problems.map((x) => x.code).sort();

describe("Shopify product → flat feed row", () => {
  it("maps every field Shopify can supply, one row per variant with group_id per product", () => {
    const p = product({}, [
      variant({ title: "Red / S", position: 1, selectedOptions: [{ name: "Color", value: "Red" }, { name: "Size", value: "S" }, { name: "Fit", value: "Slim" }], compareAtPrice: "99.99", price: "79.99" }),
      variant({ title: "Red / M", position: 2, selectedOptions: [{ name: "Color", value: "Red" }, { name: "Size", value: "M" }, { name: "Fit", value: "Slim" }], barcode: "036000291452" }),
    ]);
    const [a, b] = mapProduct(p, ctx);
    expect(a.fields).toMatchObject({
      item_id: p.variants[0].id,
      group_id: p.id,
      title: "Trail Jacket - Red / S",
      description: "A light jacket for wet trails.",
      url: `${p.onlineStoreUrl}?variant=${p.variants[0].id.split("/").pop()}`,
      brand: "Northwind",
      image_url: p.images[0].url,
      price: "99.99 USD",
      sale_price: "79.99 USD",
      availability: "in_stock",
      inventory_quantity: 5,
      listing_has_variations: true,
      item_group_title: "Trail Jacket",
      variant_dict: { Color: "Red", Size: "S", Fit: "Slim" },
      color: "Red",
      size: "S",
      custom_variant1_category: "Fit",
      custom_variant1_option: "Slim",
      gtin: "4006381333931",
      product_category: "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
      weight: "1.2",
      item_weight_unit: "kg",
    });
    expect(b.fields.group_id).toBe(a.fields.group_id);
    expect(b.fields.gtin).toBe("036000291452");
    expect(b.fields.sale_price).toBeUndefined();
    expect(a.problems).toEqual([]);
    for (const m of [a, b]) expect(feedRowViolations(composeRow(m.fields, shopFeedFields(settings)))).toEqual([]);
  });

  it("maps availability: in stock, sold out, backorder when policy CONTINUE, untracked", () => {
    expect(availabilityOf({ tracked: true, inventoryQuantity: 3, inventoryPolicy: "DENY" })).toBe("in_stock");
    expect(availabilityOf({ tracked: true, inventoryQuantity: 0, inventoryPolicy: "DENY" })).toBe("out_of_stock");
    expect(availabilityOf({ tracked: true, inventoryQuantity: -2, inventoryPolicy: "CONTINUE" })).toBe("backorder");
    expect(availabilityOf({ tracked: false, inventoryQuantity: 0, inventoryPolicy: "DENY" })).toBe("in_stock");
    const [m] = mapProduct(product({}, [variant({ inventoryQuantity: -2, inventoryPolicy: "CONTINUE" })]), ctx);
    expect(m.fields.inventory_quantity).toBe(0);
  });

  it("takes the GTIN from a configured metafield when told to", () => {
    const p = product({}, [variant({ barcode: "nonsense", gtinMetafield: "4006381333931" })]);
    const [m] = mapProduct(p, { ...ctx, settings: { ...settings, gtinSource: "metafield" } });
    expect(m.fields.gtin).toBe("4006381333931");
    expect(codes(m)).toEqual([]);
  });

  it("names each missing piece as its own problem, with a fix in Shopify", () => {
    const p = product({ images: [], descriptionHtml: "", vendor: "", categoryFullName: null, onlineStoreUrl: null }, [variant({ price: "0.00", barcode: "12345" })]);
    const [m] = mapProduct(p, ctx);
    expect(codes(m)).toEqual(["invalid_gtin", "missing_brand", "missing_category", "missing_description", "missing_image", "missing_url", "price_not_positive"]);
    const image = m.problems.find((x) => x.code === "missing_image")!;
    expect(image).toMatchObject({ severity: "error", field: "image_url", fix: "Add a product image in Shopify." });
    expect(m.problems.find((x) => x.code === "invalid_gtin")!.message).toMatch(/^Barcode is not a valid GTIN/);
  });

  it("uses the brand fallback when a product has no vendor", () => {
    const [m] = mapProduct(product({ vendor: "" }), { ...ctx, settings: { ...settings, brandFallback: "Demo Outfitters" } });
    expect(m.fields.brand).toBe("Demo Outfitters");
    expect(codes(m)).toEqual([]);
  });

  it("survives hostile data: huge HTML, script tags, emoji, duplicate SKUs, no images", () => {
    const huge = `<script>alert('x')</script><style>p{}</style>${"<p>Ünïcödé 🧥 &amp; more &lt;b&gt; text, with \"quotes\"</p>".repeat(250)}<img src=x onerror=alert(1)><!-- comment`;
    expect(huge.length).toBeGreaterThan(10_000);
    const p = product({ title: "🧥 <b>SUPER</b> JACKET 🔥🔥", descriptionHtml: huge, images: [] }, [
      variant({ sku: "DUP", title: "A", position: 1, selectedOptions: [{ name: "Size", value: "X".repeat(30) }] }),
      variant({ sku: "DUP", title: "B", position: 2 }),
    ]);
    const mapped = mapProduct(p, ctx);
    for (const m of mapped) {
      expect(m.fields.description).not.toMatch(/<script|alert\('x'\)|<p>|<img/);
      expect(m.fields.description.length).toBeLessThanOrEqual(5000);
      expect(codes(m)).toEqual(expect.arrayContaining(["description_truncated", "duplicate_sku", "missing_image", "title_all_caps"]));
      expect(m.fields.title).toContain("🧥");
      expect(m.fields.title).not.toContain("<b>");
    }
    expect(mapped[0].problems.some((x) => x.code === "option_too_long")).toBe(true);
    expect(mapped[0].fields.size).toBeUndefined();
  });

  it("keeps drafts out unless chosen, and then says why they are not eligible", () => {
    const draft = product({ status: "DRAFT" });
    const [byRule] = evaluateProduct(draft, ctx, { rule: "all", value: null }, undefined);
    expect(byRule.feedStatus).toBe("excluded");
    const [chosen] = evaluateProduct(draft, ctx, { rule: "all", value: null }, true);
    expect(chosen.feedStatus).toBe("needs_attention");
    expect(chosen.problems.map((x) => x.code)).toContain("product_not_active");
  });

  it("applies the shop rule (all, chosen, tag, collection) and overrides on top", () => {
    const p = product({ tags: ["Summer"], collectionIds: ["gid://shopify/Collection/7"] });
    const status = (rule: Parameters<typeof evaluateProduct>[2], o?: boolean) => evaluateProduct(p, ctx, rule, o)[0].feedStatus;
    expect(status({ rule: "all", value: null })).toBe("eligible");
    expect(status({ rule: "chosen", value: null })).toBe("excluded");
    expect(status({ rule: "chosen", value: null }, true)).toBe("eligible");
    expect(status({ rule: "tag", value: "summer" })).toBe("eligible");
    expect(status({ rule: "tag", value: "winter" })).toBe("excluded");
    expect(status({ rule: "collection", value: "gid://shopify/Collection/7" })).toBe("eligible");
    expect(status({ rule: "all", value: null }, false)).toBe("excluded");
  });
});

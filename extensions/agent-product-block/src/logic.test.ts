import { describe, expect, it } from "vitest";
import { productBlockView, productIdParam, type ProductAgentStatus } from "./logic";

const base: ProductAgentStatus = {
  productId: "gid://shopify/Product/1",
  title: "Trail Shoe",
  state: "eligible",
  choice: null,
  ruleIncludes: true,
  variants: 3,
  eligibleVariants: 3,
  problems: [],
  checkoutEnabled: true,
};
const missingImage = { code: "missing_image", severity: "error" as const, message: "The product has no image.", fix: "Add a product image in Shopify.", variants: 3 };
const missingGtin = { code: "missing_gtin", severity: "warning" as const, message: "No barcode.", fix: "Add the GTIN.", variants: 2 };

describe("product block", () => {
  it("shows a product in the feed as sold by agents, with the switch on", () => {
    const view = productBlockView(base);
    expect(view.badge).toEqual({ tone: "success", label: "Sold by agents" });
    expect(view.toggle).toEqual({ checked: true, label: "Sell through AI agents", disabled: false });
    expect(view.summary).toBe("All 3 variants are in the agent feed (by your shop rule); agents can buy it.");
    expect(productBlockView({ ...base, checkoutEnabled: false, choice: "included", variants: 1, eligibleVariants: 1 }).summary).toBe("This product is in the agent feed; checkout by agents is off in feed settings.");
  });

  it("lists blocking problems first with their fixes, and counts the rest", () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ ...missingGtin, code: `w${i}`, message: `Warning ${i}.`, variants: 1 }));
    const view = productBlockView({ ...base, state: "needs_attention", eligibleVariants: 0, problems: [missingGtin, missingImage, ...many] });
    expect(view.badge).toEqual({ tone: "critical", label: "Kept out of the feed" });
    expect(view.summary).toContain("no variant can be published");
    expect(view.problems[0]).toEqual({ tone: "critical", text: "The product has no image. (3 variants)", fix: "Add a product image in Shopify." });
    expect(view.problems[1].tone).toBe("warning");
    expect(view.problems).toHaveLength(5);
    expect(view.moreProblems).toBe(3);
    expect(productBlockView({ ...base, state: "needs_attention", eligibleVariants: 2, problems: [missingImage] }).collapsedSummary).toBe("2 of 3 in the feed");
  });

  it("shows an excluded product with the switch off and says who excluded it", () => {
    expect(productBlockView({ ...base, state: "excluded", choice: "excluded" })).toMatchObject({ toggle: { checked: false }, summary: "You excluded this product: agents cannot find or buy it." });
    expect(productBlockView({ ...base, state: "excluded", ruleIncludes: false }).summary).toContain("Your shop rule leaves this product out");
  });

  it("disables the switch until the product is synced", () => {
    expect(productBlockView({ ...base, state: "not_synced", variants: 0, eligibleVariants: 0 })).toMatchObject({ toggle: { disabled: true, checked: false }, badge: { label: "Not synced yet" } });
  });

  it("takes the numeric id from the product GID", () => {
    expect(productIdParam("gid://shopify/Product/8100000000033")).toBe("8100000000033");
    expect(productIdParam("gid://shopify/Order/1")).toBeNull();
  });
});

// In-memory stand-ins for the store's ports (clearly fakes): a tiny catalog and a pricer with 10 % tax,
// two US rates, no rates for "KP", and the code SAVE10 (10 % off).
import type { CatalogReader, CatalogVariant, Pricer, Quote, QuoteRequest } from "../../app/checkout/ports";

export const FAKE_VARIANTS: CatalogVariant[] = [
  { itemId: "item_123", variantId: "gid://shopify/ProductVariant/123", productId: "gid://shopify/Product/1", title: "Vintage Denim Jacket", unitAmount: 300, currency: "usd", availableForSale: true, inventoryQuantity: 50, optedIn: true, imageUrl: "https://cdn.example.com/jacket.jpg" },
  { itemId: "item_456", variantId: "gid://shopify/ProductVariant/456", productId: "gid://shopify/Product/2", title: "Leather Belt", unitAmount: 500, currency: "usd", availableForSale: true, optedIn: true },
  { itemId: "item_low", variantId: "gid://shopify/ProductVariant/789", productId: "gid://shopify/Product/3", title: "Wool Scarf", unitAmount: 1999, currency: "usd", availableForSale: true, inventoryQuantity: 3, optedIn: true },
  { itemId: "item_oos", variantId: "gid://shopify/ProductVariant/790", productId: "gid://shopify/Product/4", title: "Sold Out Cap", unitAmount: 1500, currency: "usd", availableForSale: false, inventoryQuantity: 0, optedIn: true },
  { itemId: "item_hidden", variantId: "gid://shopify/ProductVariant/791", productId: "gid://shopify/Product/5", title: "Staff Hoodie", unitAmount: 4500, currency: "usd", availableForSale: true, optedIn: false },
];

export class FakeCatalog implements CatalogReader {
  calls = 0;
  constructor(private readonly variants = FAKE_VARIANTS) {}
  async resolve(itemIds: string[]) {
    this.calls++;
    return new Map(itemIds.map((id) => [id, this.variants.find((v) => v.itemId === id) ?? null]));
  }
}

export class FakePricer implements Pricer {
  calls = 0;
  delayMs = 0;
  constructor(private readonly variants = FAKE_VARIANTS) {}
  async quote(request: QuoteRequest): Promise<Quote> {
    this.calls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const save10 = request.discountCodes.some((c) => c.toUpperCase() === "SAVE10");
    const lines = request.lines.map((l) => {
      const v = this.variants.find((x) => x.variantId === l.variantId)!;
      const base = v.unitAmount * l.quantity;
      return { variantId: l.variantId, quantity: l.quantity, unitAmount: v.unitAmount, baseAmount: base, discount: save10 ? Math.round(base / 10) : 0 };
    });
    const address = request.address;
    const rates = !address || address.country === "KP" ? [] : [
      { id: "ship_standard", title: "Standard", amount: 500, carrier: "USPS" },
      { id: "ship_express", title: "Express", amount: 1500, carrier: "UPS" },
    ];
    const applied = rates.find((r) => r.id === request.shippingOptionId);
    const itemsTax = address ? lines.reduce((a, l) => a + Math.round((l.baseAmount - l.discount) / 10), 0) : 0;
    const shippingTax = applied ? Math.round(applied.amount / 10) : 0;
    return {
      currency: "usd",
      lines,
      orderDiscount: 0,
      tax: itemsTax + shippingTax,
      taxesIncluded: false,
      shippingRates: rates,
      appliedShippingRateId: applied?.id,
      shippingAmount: applied?.amount,
      shippingTax: applied ? shippingTax : undefined,
      appliedDiscounts: save10 ? [{ code: "SAVE10", title: "10% off", amount: lines.reduce((a, l) => a + l.discount, 0), automatic: false }] : [],
      rejectedCodes: request.discountCodes.filter((c) => c.toUpperCase() !== "SAVE10"),
      addressProblem: address && address.postalCode === "00000" ? "invalid" : undefined,
    };
  }
}

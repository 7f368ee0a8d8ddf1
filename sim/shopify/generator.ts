// Large deterministic catalogs for benchmarks (e.g. 1,000 products × 100 variants = 100,000 variants).
// Built with the same buildProduct() as the demo fixture; strings are short and shared where possible
// so 100k variants stay in the tens of MB.
import { buildProduct, IdAllocator, isoSeconds, type ProductSpec } from "./fixtures/build.js";
import { defaultDiscountCodes, defaultLocations, defaultShippingZones, defaultTaxRates } from "./fixtures/demo-shop.js";
import type { ProductData, ShopSeed } from "./types.js";

export interface GenerateCatalogOptions {
  products: number;
  variantsPerProduct: number;
  seed?: number;
  /** location ids to stock (default: the demo locations) */
  locationIds?: number[];
}

/** mulberry32: tiny, fast, deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADJ = ["Alpine", "Summit", "Trail", "Ridge", "Canyon", "Glacier", "Forest", "Desert", "Coastal", "Storm", "Granite", "Cedar"];
const NOUN = ["Jacket", "Boot", "Tent", "Mug", "Pack", "Vest", "Sock", "Hat", "Lantern", "Stove", "Bottle", "Pant"];
const VENDORS = ["Northbound", "Ridgeline", "Woolpack", "Granite Footwear", "Summit Shelter Co.", "Campfire Goods"];
const TAGS = ["sale", "new", "bestseller", "ultralight", "waterproof", "winter", "summer"];

export function generateCatalog(opts: GenerateCatalogOptions): ProductData[] {
  const rand = prng(opts.seed ?? 42);
  const ids = new IdAllocator();
  const locationIds = opts.locationIds ?? defaultLocations().map((l) => l.id);
  const perProduct = Math.max(1, opts.variantsPerProduct);
  const values = Array.from({ length: perProduct }, (_, i) => `Style ${i + 1}`);
  const base = Date.parse("2026-01-01T00:00:00Z");
  const out: ProductData[] = new Array(opts.products);
  for (let i = 0; i < opts.products; i++) {
    const noun = NOUN[Math.floor(rand() * NOUN.length)];
    const title = `${ADJ[Math.floor(rand() * ADJ.length)]} ${noun} ${i + 1}`;
    const spec: ProductSpec = {
      title,
      handle: `gen-${i + 1}`,
      vendor: VENDORS[i % VENDORS.length],
      productType: noun,
      tags: [TAGS[i % TAGS.length]],
      descriptionHtml: `<p>${title}</p>`,
      price: (5 + Math.floor(rand() * 500) + 0.99).toFixed(2),
      options: perProduct > 1 ? [{ name: "Style", values }] : undefined,
      stock: Math.floor(rand() * 20),
      policy: rand() < 0.1 ? "CONTINUE" : "DENY",
      skuPrefix: `GEN-${i + 1}`,
      images: 1,
    };
    out[i] = buildProduct(spec, ids, locationIds, isoSeconds(base + i * 60_000));
  }
  return out;
}

/** A whole shop around a generated catalog, for benchmarks. */
export function generatedShopSeed(domain: string, opts: GenerateCatalogOptions & { accessToken?: string }): ShopSeed {
  return {
    domain,
    name: domain.replace(/\.myshopify\.com$/, ""),
    accessTokens: [opts.accessToken ?? `shpat_sim_${domain.replace(/\W/g, "_")}`],
    locations: defaultLocations(),
    shippingZones: defaultShippingZones(),
    taxRates: defaultTaxRates(),
    discountCodes: defaultDiscountCodes(),
    products: generateCatalog(opts),
    collections: [],
  };
}

// In-memory state for all simulated shops, plus the merchant's catalog actions (what a merchant
// would do in the Shopify admin). Every state change emits an event that webhooks.ts turns into
// signed deliveries. Order logic lives in domain/orders.ts.
import { randomBytes } from "node:crypto";
import { IdAllocator, slugify, buildProduct, isoSeconds, type IdKind, type ProductSpec } from "./fixtures/build.js";
import { defaultDiscountCodes, defaultLocations, defaultShippingZones, defaultTaxRates } from "./fixtures/demo-shop.js";
import { toCents, type Cents } from "./money.js";
import type {
  BulkOperationData,
  CollectionData,
  DiscountCodeDef,
  InventoryPolicy,
  LocationData,
  OrderData,
  ProductData,
  ProductStatus,
  ShippingZone,
  ShopPolicyData,
  ShopSeed,
  TaxRate,
  VariantData,
} from "./types.js";
import { LeakyBucket, type ThrottleConfig } from "./cost.js";

export type SimEvent =
  | { topic: "products/create" | "products/update"; product: ProductData }
  | { topic: "products/delete"; productId: number }
  | { topic: "inventory_levels/update"; inventoryItemId: number; locationId: number; available: number; updatedAt: string }
  | { topic: "orders/create" | "orders/updated" | "orders/cancelled" | "orders/fulfilled" | "orders/paid"; order: OrderData }
  | { topic: "fulfillments/create" | "fulfillments/update"; order: OrderData; fulfillmentId: number }
  | { topic: "refunds/create"; order: OrderData; refundId: number }
  | { topic: "bulk_operations/finish"; bulkOperation: BulkOperationData }
  | { topic: "app/uninstalled" };

export type EventListener = (shop: ShopState, event: SimEvent) => void;

export class ShopState {
  readonly domain: string;
  name: string;
  email: string;
  currencyCode: string;
  taxesIncluded: boolean;
  countryCode: string;
  provinceCode: string;
  primaryDomainUrl: string;
  ianaTimezone: string;
  readonly tokens = new Set<string>();
  locations: LocationData[];
  shippingZones: ShippingZone[];
  taxRates: TaxRate[];
  discountCodes: DiscountCodeDef[];
  readonly products = new Map<number, ProductData>();
  readonly variants = new Map<number, VariantData>();
  /** inventory item id -> owning variant */
  readonly inventoryItems = new Map<number, VariantData>();
  readonly collections = new Map<number, CollectionData>();
  readonly orders = new Map<number, OrderData>();
  readonly bulkOperations = new Map<number, BulkOperationData>();
  /** refundCreate @idempotent keys -> fingerprint of the input + the refund it created */
  readonly idempotency = new Map<string, { fingerprint: string; orderId: number; refundId: number | null; errors: Array<{ field: string[] | null; message: string }> }>();
  readonly ids = new IdAllocator();
  nextOrderNumber: number;
  bucket: LeakyBucket;
  readonly createdAt: string;

  constructor(
    seed: ShopSeed,
    throttle: ThrottleConfig,
    private readonly store: SimStore,
  ) {
    const sub = seed.domain.replace(/\.myshopify\.com$/, "");
    this.domain = seed.domain;
    this.name = seed.name ?? sub;
    this.email = seed.email ?? `owner@${sub}.example`;
    this.currencyCode = seed.currencyCode ?? "USD";
    this.taxesIncluded = seed.taxesIncluded ?? false;
    this.countryCode = seed.countryCode ?? "US";
    this.provinceCode = seed.provinceCode ?? "OR";
    this.primaryDomainUrl = seed.primaryDomainUrl ?? `https://${sub}.example`;
    this.ianaTimezone = seed.ianaTimezone ?? "America/Los_Angeles";
    for (const t of seed.accessTokens ?? [`shpat_sim_${sub.replace(/\W/g, "_")}_${randomBytes(8).toString("hex")}`]) this.tokens.add(t);
    this.locations = structuredClone(seed.locations ?? defaultLocations());
    this.shippingZones = structuredClone(seed.shippingZones ?? defaultShippingZones());
    this.taxRates = structuredClone(seed.taxRates ?? defaultTaxRates());
    this.discountCodes = structuredClone(seed.discountCodes ?? defaultDiscountCodes());
    this.nextOrderNumber = seed.orderNumberStart ?? 1001;
    // The bucket restores in real time even when the business clock (`now`) is frozen.
    this.bucket = new LeakyBucket(throttle, () => Date.now());
    this.createdAt = "2025-11-02T17:00:00Z";
    for (const l of this.locations) this.ids.observe("Location", l.id);
    // Seeds are shared by reference (e.g. one big generated catalog reused by reset()): we never mutate
    // seed objects, so clone products lazily would be ideal; structuredClone of 100k variants takes ~1 s,
    // which is acceptable and keeps the semantics simple.
    for (const p of structuredClone(seed.products ?? [])) this.insertProduct(p);
    for (const c of structuredClone(seed.collections ?? [])) {
      this.collections.set(c.id, c);
      this.ids.observe("Collection", c.id);
    }
  }

  get url(): string {
    return this.primaryDomainUrl;
  }

  now(): Date {
    return this.store.now();
  }
  nowIso(): string {
    return isoSeconds(this.store.now());
  }
  nextId(kind: IdKind): number {
    return this.ids.next(kind);
  }
  emit(event: SimEvent): void {
    this.store.emit(this, event);
  }

  policies(): ShopPolicyData[] {
    const u = this.primaryDomainUrl;
    return [
      { type: "REFUND_POLICY", title: "Refund policy", url: `${u}/policies/refund-policy`, body: "<p>Returns accepted within 30 days of delivery for unused items in original packaging. Refunds go to the original payment method.</p>" },
      { type: "PRIVACY_POLICY", title: "Privacy policy", url: `${u}/policies/privacy-policy`, body: `<p>${this.name} collects only the data needed to fulfil your order.</p>` },
      { type: "TERMS_OF_SERVICE", title: "Terms of service", url: `${u}/policies/terms-of-service`, body: `<p>By purchasing from ${this.name} you agree to these terms.</p>` },
      { type: "SHIPPING_POLICY", title: "Shipping policy", url: `${u}/policies/shipping-policy`, body: "<p>We ship to the United States and Canada. Standard shipping is free on orders over $75.</p>" },
      { type: "CONTACT_INFORMATION", title: "Contact", url: `${u}/policies/contact-information`, body: `<p>${this.name}, ${this.email}</p>` },
    ];
  }

  insertProduct(p: ProductData): void {
    this.products.set(p.id, p);
    this.ids.observe("Product", p.id);
    for (const img of p.images) this.ids.observe("MediaImage", img.id);
    for (const o of p.options) this.ids.observe("ProductOption", o.id);
    for (const v of p.variants) {
      this.variants.set(v.id, v);
      this.inventoryItems.set(v.inventoryItem.id, v);
      this.ids.observe("ProductVariant", v.id);
      this.ids.observe("InventoryItem", v.inventoryItem.id);
    }
  }

  // ---- derived inventory facts -------------------------------------------------------------------
  inventoryQuantity(v: VariantData): number {
    let n = 0;
    for (const q of Object.values(v.inventoryItem.levels)) n += q;
    return n;
  }
  sellableOnlineQuantity(v: VariantData): number {
    let n = 0;
    for (const l of this.locations) if (l.isActive && l.fulfillsOnlineOrders) n += v.inventoryItem.levels[l.id] ?? 0;
    return Math.max(0, n);
  }
  availableForSale(v: VariantData): boolean {
    const p = this.products.get(v.productId);
    if (!p || p.status !== "ACTIVE") return false;
    if (!v.inventoryItem.tracked || v.inventoryPolicy === "CONTINUE") return true;
    return this.sellableOnlineQuantity(v) > 0;
  }
  primaryLocation(): LocationData {
    return this.locations.find((l) => l.isActive && l.fulfillsOnlineOrders) ?? this.locations[0];
  }

  /** Change available quantity at a location by delta; emits inventory_levels/update. */
  adjustInventory(v: VariantData, locationId: number, delta: number): void {
    this.setAvailable(v, locationId, (v.inventoryItem.levels[locationId] ?? 0) + delta);
  }
  setAvailable(v: VariantData, locationId: number, available: number): void {
    const ts = this.nowIso();
    v.inventoryItem.levels[locationId] = available;
    v.inventoryItem.updatedAt = ts;
    this.emit({ topic: "inventory_levels/update", inventoryItemId: v.inventoryItem.id, locationId, available, updatedAt: ts });
  }
}

export interface ProductInput {
  title?: string;
  handle?: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: ProductStatus;
  tags?: string[];
}

export interface CreateProductInput extends ProductInput {
  title: string;
  price?: string;
  options?: Array<{ name: string; values: string[] }>;
  variants?: ProductSpec["variants"];
  stock?: number | number[];
  policy?: InventoryPolicy;
  skuPrefix?: string;
  images?: number;
}

export class SimStore {
  readonly shops = new Map<string, ShopState>();
  private listeners: EventListener[] = [];

  constructor(
    readonly now: () => Date,
    private throttle: ThrottleConfig,
  ) {}

  addShop(seed: ShopSeed): ShopState {
    if (this.shops.has(seed.domain)) throw new Error(`Shop ${seed.domain} already exists`);
    const shop = new ShopState(seed, this.throttle, this);
    this.shops.set(shop.domain, shop);
    return shop;
  }

  removeAllShops(): void {
    this.shops.clear();
  }

  shop(domain: string): ShopState {
    const s = this.shops.get(domain);
    if (!s) throw new Error(`Unknown shop ${domain}`);
    return s;
  }

  shopForToken(token: string): ShopState | undefined {
    for (const s of this.shops.values()) if (s.tokens.has(token)) return s;
    return undefined;
  }

  setThrottle(cfg: Partial<ThrottleConfig>, domain?: string): void {
    if (!domain) this.throttle = { ...this.throttle, ...cfg };
    for (const s of this.shops.values()) if (!domain || s.domain === domain) s.bucket.configure(cfg);
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }
  emit(shop: ShopState, event: SimEvent): void {
    for (const l of this.listeners) l(shop, event);
  }
}

// ---- merchant catalog actions ----------------------------------------------------------------------

export function findProduct(shop: ShopState, id: string | number): ProductData {
  const n = typeof id === "number" ? id : Number(String(id).replace(/^gid:\/\/shopify\/Product\//, ""));
  const p = shop.products.get(n);
  if (!p) throw new Error(`Product ${id} not found in ${shop.domain}`);
  return p;
}

export function findVariant(shop: ShopState, id: string | number): VariantData {
  const n = typeof id === "number" ? id : Number(String(id).replace(/^gid:\/\/shopify\/ProductVariant\//, ""));
  const v = shop.variants.get(n);
  if (!v) throw new Error(`Variant ${id} not found in ${shop.domain}`);
  return v;
}

export function createProduct(shop: ShopState, input: CreateProductInput): ProductData {
  const ts = shop.nowIso();
  const alloc = { next: (k: IdKind) => shop.nextId(k) };
  const p = buildProduct(
    {
      ...input,
      title: input.title,
      handle: input.handle ?? uniqueHandle(shop, slugify(input.title)),
      price: input.price ?? "0.00",
    },
    alloc,
    shop.locations.map((l) => l.id),
    ts,
  );
  shop.insertProduct(p);
  shop.emit({ topic: "products/create", product: p });
  return p;
}

function uniqueHandle(shop: ShopState, base: string): string {
  const taken = new Set([...shop.products.values()].map((p) => p.handle));
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function updateProduct(shop: ShopState, id: string | number, patch: ProductInput): ProductData {
  const p = findProduct(shop, id);
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
  if (patch.status === "ACTIVE" && !p.publishedAt) p.publishedAt = shop.nowIso();
  touch(shop, p);
  return p;
}

export function deleteProduct(shop: ShopState, id: string | number): void {
  const p = findProduct(shop, id);
  shop.products.delete(p.id);
  for (const v of p.variants) {
    shop.variants.delete(v.id);
    shop.inventoryItems.delete(v.inventoryItem.id);
  }
  for (const c of shop.collections.values()) c.productIds = c.productIds.filter((x) => x !== p.id);
  shop.emit({ topic: "products/delete", productId: p.id });
}

export function setVariantPrice(shop: ShopState, variantId: string | number, price: string | Cents, compareAtPrice?: string | null): VariantData {
  const v = findVariant(shop, variantId);
  v.price = typeof price === "number" ? price : toCents(price, shop.currencyCode);
  if (compareAtPrice !== undefined) v.compareAtPrice = compareAtPrice === null ? null : toCents(compareAtPrice, shop.currencyCode);
  v.updatedAt = shop.nowIso();
  touch(shop, shop.products.get(v.productId)!);
  return v;
}

/** Set the available quantity of a variant at a location (default: the primary location). */
export function setInventory(shop: ShopState, variantId: string | number, available: number, locationId?: string | number): VariantData {
  const v = findVariant(shop, variantId);
  const loc = locationId === undefined ? shop.primaryLocation().id : Number(String(locationId).replace(/^gid:\/\/shopify\/Location\//, ""));
  if (!shop.locations.some((l) => l.id === loc)) throw new Error(`Location ${locationId} not found in ${shop.domain}`);
  shop.setAvailable(v, loc, available);
  // Shopify also bumps the product's updated_at and sends products/update when inventory changes.
  touch(shop, shop.products.get(v.productId)!);
  return v;
}

function touch(shop: ShopState, p: ProductData): void {
  // updated_at must strictly increase so "updated_at:>" incremental syncs see every change,
  // even when the injected clock is frozen.
  const now = shop.now().getTime();
  const prev = Date.parse(p.updatedAt);
  p.updatedAt = isoSeconds(Math.max(now, prev + 1000));
  shop.emit({ topic: "products/update", product: p });
}

// Public entry point: startShopifySim() starts a local stand-in for Shopify's Admin GraphQL API
// (see README.md). Tests and the demo import only from this module.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLSchema } from "graphql";
import { BulkRunner } from "./bulk.js";
import { DEFAULT_THROTTLE, type ThrottleConfig } from "./cost.js";
import { cancelOrder, createOrder, fulfillOrder, merchantRefund, updateFulfillmentTracking, type CancelOptions, type OrderCreateInput, type OrderCreateOptions, type Tracking } from "./domain/orders.js";
import type { CallRecord } from "./execute.js";
import { demoShopSeed, DEMO_SHOP_DOMAIN } from "./fixtures/demo-shop.js";
import { gid } from "./ids.js";
import type { SimServices } from "./resolvers/context.js";
import { DEFAULT_API_VERSION, loadAdminSchema } from "./schema.js";
import { createHandler } from "./server.js";
import { createProduct, deleteProduct, setInventory, setVariantPrice, SimStore, updateProduct, type CreateProductInput, type ProductInput, type ShopState } from "./store.js";
import type { OrderData, ProductData, RefundData, ShopSeed, VariantData } from "./types.js";
import { FaultInjector, type FaultConfig, type FaultCounts } from "./faults.js";
import { WebhookDispatcher, type WebhookConfig, type WebhookDelivery, type WebhookSubscription } from "./webhooks.js";

export { shopifyHmac } from "./webhooks.js";
export { generateCatalog, generatedShopSeed } from "./generator.js";
export { demoShopSeed, DEMO_SHOP_DOMAIN, DEMO_ACCESS_TOKEN } from "./fixtures/demo-shop.js";
export { regionalShopSeed, type Region } from "./fixtures/regional-shops.js";
export type { ShopSeed, ProductData, VariantData, OrderData } from "./types.js";
export type { CallRecord } from "./execute.js";
export type { WebhookDelivery, WebhookConfig, WebhookSubscription } from "./webhooks.js";
export type { ShopState } from "./store.js";
export type { FaultConfig, FaultRule, WebhookFaults, FaultCounts } from "./faults.js";

export interface ShopifySimOptions {
  /** 0 (default) = a random free port */
  port?: number;
  host?: string;
  apiVersion?: string;
  /** default: the seeded demo shop demo-outfitters.myshopify.com */
  shops?: ShopSeed[];
  webhooks?: WebhookConfig;
  throttle?: Partial<ThrottleConfig>;
  /** business clock (createdAt/updatedAt/processedAt); throttling always uses real time */
  now?: () => Date;
}

export class ShopifySim {
  readonly schema: GraphQLSchema;
  readonly store: SimStore;
  readonly bulk: BulkRunner;
  readonly calls: CallRecord[] = [];
  readonly services: SimServices;
  /** Fault injection (faults.ts): off until setFaults. */
  readonly faults = new FaultInjector();
  private readonly webhooks: WebhookDispatcher;
  private server: Server | null = null;
  private origin = "";

  constructor(private readonly options: ShopifySimOptions = {}) {
    this.schema = loadAdminSchema(options.apiVersion ?? DEFAULT_API_VERSION);
    this.store = new SimStore(options.now ?? (() => new Date()), { ...DEFAULT_THROTTLE, ...options.throttle });
    this.webhooks = new WebhookDispatcher(options.webhooks ?? null, this.apiVersion, undefined, this.faults);
    this.store.onEvent((shop, event) => this.webhooks.handle(shop, event));
    this.bulk = new BulkRunner(this.schema, () => this.services);
    this.services = {
      origin: () => this.origin,
      apiVersion: this.apiVersion,
      startBulkQuery: (shop, query) => this.bulk.start(shop, query),
    };
    this.seedShops();
  }

  private seedShops(): void {
    for (const seed of this.options.shops ?? [demoShopSeed()]) this.store.addShop(seed);
  }

  get apiVersion(): string {
    return this.options.apiVersion ?? DEFAULT_API_VERSION;
  }

  async listen(): Promise<void> {
    const server = createServer(createHandler(this));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
    this.origin = `http://${host}:${addr.port}`;
  }

  /** Origin, e.g. http://127.0.0.1:4100 */
  get url(): string {
    return this.origin;
  }
  graphqlUrl(shop: string = DEMO_SHOP_DOMAIN): string {
    return `${this.origin}/shops/${shop}/admin/api/${this.apiVersion}/graphql.json`;
  }
  /** For the app's SHOPIFY_ADMIN_URL_TEMPLATE: `{shop}` and `{version}` are substituted by the client. */
  get adminUrlTemplate(): string {
    return `${this.origin}/shops/{shop}/admin/api/{version}/graphql.json`;
  }
  accessToken(shop: string = DEMO_SHOP_DOMAIN): string {
    const s = this.store.shops.get(shop);
    if (!s) throw new Error(`Unknown shop ${shop}; known: ${[...this.store.shops.keys()].join(", ")}`);
    return [...s.tokens][0];
  }
  shop(domain: string = DEMO_SHOP_DOMAIN): ShopState {
    return this.store.shop(domain);
  }
  addShop(seed: ShopSeed): ShopState {
    return this.store.addShop(seed);
  }
  listShops() {
    return [...this.store.shops.values()].map((s) => ({ domain: s.domain, name: s.name, accessTokens: [...s.tokens], graphqlUrl: this.graphqlUrl(s.domain), products: s.products.size, variants: s.variants.size, orders: s.orders.size }));
  }

  // ---- webhooks
  setWebhooks(config: WebhookConfig | null): void {
    this.webhooks.configure(config);
  }
  get webhookSubscriptions(): WebhookSubscription[] {
    return this.webhooks.subscriptions;
  }
  /** Every delivery so far (topic, uri, payload, attempts, statusCode, ok). */
  get webhookDeliveries(): WebhookDelivery[] {
    return this.webhooks.deliveries;
  }
  waitForWebhookDeliveries(): Promise<void> {
    return this.webhooks.idle();
  }
  waitForBulkOperations(): Promise<void> {
    return this.bulk.idle();
  }

  // ---- fault injection
  /** Replaces the fault configuration (`null` turns faults off); see faults.ts. */
  setFaults(config: FaultConfig | null): void {
    this.faults.set(config);
  }
  /** How many faults were injected since start (or the last reset). */
  faultCounts(): FaultCounts {
    return this.faults.stats();
  }

  // ---- throttling and the call log
  setThrottle(cfg: Partial<ThrottleConfig>, shop?: string): void {
    this.store.setThrottle(cfg, shop);
  }
  recordCall(record: CallRecord): void {
    this.calls.push(record);
  }
  /** Calls per operation name, e.g. {CatalogPage: 3, PriceCheckout: 1}. */
  callCounts(shop?: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) if (!shop || c.shop === shop) out[c.operationName ?? "(anonymous)"] = (out[c.operationName ?? "(anonymous)"] ?? 0) + 1;
    return out;
  }

  // ---- merchant actions (what a merchant does in the Shopify admin); each sends the webhooks Shopify would
  createProduct(shop: string, input: CreateProductInput): ProductData {
    return createProduct(this.store.shop(shop), input);
  }
  updateProduct(shop: string, productId: string | number, patch: ProductInput): ProductData {
    return updateProduct(this.store.shop(shop), productId, patch);
  }
  deleteProduct(shop: string, productId: string | number): void {
    deleteProduct(this.store.shop(shop), productId);
  }
  setVariantPrice(shop: string, variantId: string | number, price: string, compareAtPrice?: string | null): VariantData {
    return setVariantPrice(this.store.shop(shop), variantId, price, compareAtPrice);
  }
  setInventory(shop: string, variantId: string | number, available: number, locationId?: string | number): VariantData {
    return setInventory(this.store.shop(shop), variantId, available, locationId);
  }
  /** Creates an order directly (as if through orderCreate), for tests that need existing orders. */
  createOrder(shop: string, input: OrderCreateInput, options?: OrderCreateOptions): OrderData {
    const res = createOrder(this.store.shop(shop), input, options);
    if (!res.order) throw new Error(`orderCreate failed: ${res.userErrors.map((e) => e.message).join("; ")}`);
    return res.order;
  }
  fulfillOrder(shop: string, orderId: string | number, tracking: Tracking = {}, lineItems?: Array<{ lineItemId: string | number; quantity: number }>) {
    return fulfillOrder(this.store.shop(shop), orderId, tracking, lineItems);
  }
  updateFulfillmentTracking(shop: string, orderId: string | number, fulfillmentId: string | number, tracking: Tracking) {
    return updateFulfillmentTracking(this.store.shop(shop), orderId, fulfillmentId, tracking);
  }
  refundOrder(shop: string, orderId: string | number, opts: { amount?: string; lineItems?: Array<{ lineItemId: string | number; quantity: number; restock?: boolean }>; note?: string; shipping?: boolean } = {}): RefundData {
    return merchantRefund(this.store.shop(shop), orderId, opts);
  }
  cancelOrder(shop: string, orderId: string | number, opts: CancelOptions = {}): OrderData {
    const res = cancelOrder(this.store.shop(shop), orderId, { reason: "OTHER", restock: true, ...opts });
    if (!res.order) throw new Error(`Cancel failed: ${res.userErrors.map((e) => e.message).join("; ")}`);
    return res.order;
  }
  uninstallApp(shop: string): void {
    const s = this.store.shop(shop);
    s.emit({ topic: "app/uninstalled" });
  }

  // ---- reads
  product(shop: string, productId: string | number): ProductData | undefined {
    const n = Number(String(productId).replace(/^gid:\/\/shopify\/Product\//, ""));
    return this.store.shop(shop).products.get(n);
  }
  variant(shop: string, variantId: string | number): VariantData | undefined {
    const n = Number(String(variantId).replace(/^gid:\/\/shopify\/ProductVariant\//, ""));
    return this.store.shop(shop).variants.get(n);
  }
  orders(shop: string = DEMO_SHOP_DOMAIN): OrderData[] {
    return [...this.store.shop(shop).orders.values()];
  }
  order(shop: string, orderId: string | number): OrderData | undefined {
    const n = Number(String(orderId).replace(/^gid:\/\/shopify\/Order\//, ""));
    return this.store.shop(shop).orders.get(n);
  }
  /** Available quantity of a variant (all locations, or one). */
  inventory(shop: string, variantId: string | number, locationId?: string | number): number {
    const v = this.variant(shop, variantId);
    if (!v) throw new Error(`Variant ${variantId} not found`);
    if (locationId !== undefined) return v.inventoryItem.levels[Number(String(locationId).replace(/^gid:\/\/shopify\/Location\//, ""))] ?? 0;
    return this.store.shop(shop).inventoryQuantity(v);
  }
  gid = gid;

  /** Back to the initial seeds: shops, catalog, orders, buckets, call log and deliveries cleared. */
  async reset(): Promise<void> {
    await this.bulk.idle();
    await this.webhooks.idle();
    this.store.removeAllShops();
    this.calls.length = 0;
    this.webhooks.deliveries.length = 0;
    this.faults.set(null);
    this.faults.resetStats();
    this.seedShops();
  }

  async stop(): Promise<void> {
    await this.bulk.idle().catch(() => undefined);
    await this.webhooks.idle().catch(() => undefined);
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

export async function startShopifySim(options: ShopifySimOptions = {}): Promise<ShopifySim> {
  const sim = new ShopifySim(options);
  await sim.listen();
  return sim;
}

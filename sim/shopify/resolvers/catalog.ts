// GraphQL views over catalog state: Product, ProductVariant, InventoryItem, InventoryLevel, Location,
// Collection, media. Each view exposes Shopify field names as properties/methods; anything missing is
// reported as "not implemented" by the executor's default field resolver (see execute.ts).
import { gid, idOf } from "../ids.js";
import { fromCents, moneyV2 } from "../money.js";
import { compileSearch, type SearchSpec } from "../search.js";
import type { ShopState } from "../store.js";
import type { CollectionData, ImageData, LocationData, ProductData, VariantData } from "../types.js";
import type { GqlContext } from "./context.js";
import { cachedRoot, paginate, sortBy, type PageArgs } from "./connection.js";

type Args = Record<string, unknown>;

const emptyConnection = () => ({ edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } });
const count = (n: number) => ({ count: n, precision: "EXACT" });

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
}

// ---- search specs ------------------------------------------------------------------------------------

export function productSearchSpec(shop: ShopState): SearchSpec<ProductData> {
  return {
    fields: {
      id: { kind: "id", get: (p) => p.id },
      title: { kind: "text", get: (p) => p.title },
      handle: { kind: "string", get: (p) => p.handle },
      status: { kind: "string", get: (p) => p.status },
      vendor: { kind: "string", get: (p) => p.vendor },
      product_type: { kind: "string", get: (p) => p.productType },
      tag: { kind: "list", get: (p) => p.tags },
      tag_not: { kind: "list", get: (p) => p.tags },
      sku: { kind: "list", get: (p) => p.variants.map((v) => v.sku).filter(Boolean) },
      barcode: { kind: "list", get: (p) => p.variants.map((v) => v.barcode).filter(Boolean) },
      variant_id: { kind: "list", get: (p) => p.variants.map((v) => String(v.id)) },
      created_at: { kind: "date", get: (p) => p.createdAt },
      updated_at: { kind: "date", get: (p) => p.updatedAt },
      published_at: { kind: "date", get: (p) => p.publishedAt },
      published_status: { kind: "string", get: (p) => (p.status === "ACTIVE" && p.publishedAt ? "published" : "unpublished") },
      inventory_total: { kind: "number", get: (p) => p.variants.reduce((a, v) => a + shop.inventoryQuantity(v), 0) },
      gift_card: { kind: "boolean", get: (p) => p.isGiftCard },
      out_of_stock_somewhere: { kind: "boolean", get: (p) => p.variants.some((v) => shop.inventoryQuantity(v) <= 0) },
      category_id: { kind: "string", get: (p) => p.category?.id.replace(/^gid:\/\/shopify\/TaxonomyCategory\//, "") ?? null },
      collection_id: { kind: "list", get: (p) => [...shop.collections.values()].filter((c) => c.productIds.includes(p.id)).map((c) => String(c.id)) },
    },
    text: (p) => [p.title, p.vendor, p.productType, p.handle, ...p.tags, ...p.variants.map((v) => v.sku)],
  };
}

export function variantSearchSpec(shop: ShopState): SearchSpec<VariantData> {
  const prod = (v: VariantData) => shop.products.get(v.productId)!;
  return {
    fields: {
      id: { kind: "id", get: (v) => v.id },
      product_id: { kind: "id", get: (v) => v.productId },
      title: { kind: "text", get: (v) => v.title },
      sku: { kind: "string", get: (v) => v.sku },
      barcode: { kind: "string", get: (v) => v.barcode },
      product_status: { kind: "string", get: (v) => prod(v).status },
      product_type: { kind: "string", get: (v) => prod(v).productType },
      vendor: { kind: "string", get: (v) => prod(v).vendor },
      tag: { kind: "list", get: (v) => prod(v).tags },
      taxable: { kind: "boolean", get: (v) => v.taxable },
      inventory_quantity: { kind: "number", get: (v) => shop.inventoryQuantity(v) },
      inventory_item_id: { kind: "id", get: (v) => v.inventoryItem.id },
      created_at: { kind: "date", get: (v) => v.createdAt },
      updated_at: { kind: "date", get: (v) => v.updatedAt },
      location_id: { kind: "list", get: (v) => Object.keys(v.inventoryItem.levels) },
    },
    text: (v) => [v.title, prod(v).title, v.sku, v.barcode],
  };
}

// ---- list queries ------------------------------------------------------------------------------------

export function productsConnection(shop: ShopState, args: Args, ctx: GqlContext, source: Iterable<ProductData> = shop.products.values(), root = false) {
  const sortKey = (args.sortKey as string) ?? "ID";
  const val = productSortValue(shop, sortKey);
  const items = cachedRoot(ctx, root, () => {
    const search = compileSearch(args.query as string | undefined, productSearchSpec(shop), shop.now());
    const list = [...source].filter(search.match);
    return sortKey !== "ID" && sortKey !== "RELEVANCE" ? sortBy(list, val, (p) => p.id) : list.sort((a, b) => a.id - b.id);
  });
  return paginate(items, args as PageArgs, (p) => [p.id, val(p)], (p) => new ProductView(shop, p), ctx, { root });
}

function productSortValue(shop: ShopState, sortKey: string): (p: ProductData) => string | number {
  switch (sortKey) {
    case "TITLE":
      return (p) => p.title.toLowerCase();
    case "UPDATED_AT":
      return (p) => p.updatedAt;
    case "CREATED_AT":
      return (p) => p.createdAt;
    case "PUBLISHED_AT":
      return (p) => p.publishedAt ?? "";
    case "PRODUCT_TYPE":
      return (p) => p.productType.toLowerCase();
    case "VENDOR":
      return (p) => p.vendor.toLowerCase();
    case "INVENTORY_TOTAL":
      return (p) => p.variants.reduce((a, v) => a + shop.inventoryQuantity(v), 0);
    default:
      return (p) => p.id;
  }
}

export function variantsConnection(shop: ShopState, args: Args, ctx: GqlContext, source: Iterable<VariantData> = shop.variants.values(), root = false) {
  const sortKey = (args.sortKey as string) ?? "ID";
  let val: (v: VariantData) => string | number;
  switch (sortKey) {
    case "TITLE":
      val = (v) => v.title.toLowerCase();
      break;
    case "NAME":
    case "FULL_TITLE":
      val = (v) => `${shop.products.get(v.productId)?.title ?? ""} ${v.title}`.toLowerCase();
      break;
    case "SKU":
      val = (v) => (v.sku ?? "").toLowerCase();
      break;
    case "POSITION":
      val = (v) => v.position;
      break;
    case "INVENTORY_QUANTITY":
    case "INVENTORY_LEVELS_AVAILABLE":
      val = (v) => shop.inventoryQuantity(v);
      break;
    default:
      val = (v) => v.id;
  }
  const items = cachedRoot(ctx, root, () => {
    const search = compileSearch(args.query as string | undefined, variantSearchSpec(shop), shop.now());
    const list = [...source].filter(search.match);
    return sortKey === "ID" || sortKey === "RELEVANCE" ? list.sort((a, b) => a.id - b.id) : sortBy(list, val, (v) => v.id);
  });
  return paginate(items, args as PageArgs, (v) => [v.id, val(v)], (v) => new VariantView(shop, v), ctx, { root });
}

// ---- views -------------------------------------------------------------------------------------------

export class ImageView {
  constructor(private readonly img: ImageData) {}
  get id() {
    return gid("ProductImage", this.img.id);
  }
  url() {
    return this.img.url;
  }
  get src() {
    return this.img.url;
  }
  get originalSrc() {
    return this.img.url;
  }
  transformedSrc() {
    return this.img.url;
  }
  get altText() {
    return this.img.altText;
  }
  get width() {
    return this.img.width;
  }
  get height() {
    return this.img.height;
  }
  get thumbhash() {
    return null;
  }
}

export class MediaImageView {
  readonly __typename = "MediaImage";
  constructor(
    private readonly img: ImageData,
    private readonly created: string,
  ) {}
  get id() {
    return gid("MediaImage", this.img.id);
  }
  get alt() {
    return this.img.altText;
  }
  get mediaContentType() {
    return "IMAGE";
  }
  get status() {
    return "READY";
  }
  get fileStatus() {
    return "READY";
  }
  get mimeType() {
    return "image/jpeg";
  }
  get mediaErrors() {
    return [];
  }
  get mediaWarnings() {
    return [];
  }
  get fileErrors() {
    return [];
  }
  get image() {
    return new ImageView(this.img);
  }
  get preview() {
    return { image: new ImageView(this.img), status: "READY" };
  }
  get createdAt() {
    return this.created;
  }
  get updatedAt() {
    return this.created;
  }
}

export class ProductView {
  readonly __typename = "Product";
  constructor(
    private readonly shop: ShopState,
    readonly data: ProductData,
  ) {}
  private get p() {
    return this.data;
  }
  get id() {
    return gid("Product", this.p.id);
  }
  get legacyResourceId() {
    return String(this.p.id);
  }
  get handle() {
    return this.p.handle;
  }
  get title() {
    return this.p.title;
  }
  description(args: Args) {
    const text = stripHtml(this.p.descriptionHtml);
    const n = args.truncateAt as number | undefined;
    return n && text.length > n ? `${text.slice(0, Math.max(0, n - 3))}...` : text;
  }
  get descriptionHtml() {
    return this.p.descriptionHtml;
  }
  get bodyHtml() {
    return this.p.descriptionHtml;
  }
  get vendor() {
    return this.p.vendor;
  }
  get productType() {
    return this.p.productType;
  }
  get status() {
    return this.p.status;
  }
  get tags() {
    return this.p.tags;
  }
  get createdAt() {
    return this.p.createdAt;
  }
  get updatedAt() {
    return this.p.updatedAt;
  }
  get publishedAt() {
    return this.p.status === "ACTIVE" ? this.p.publishedAt : null;
  }
  get onlineStoreUrl() {
    return this.p.status === "ACTIVE" && this.p.publishedAt ? `${this.shop.url}/products/${this.p.handle}` : null;
  }
  get onlineStorePreviewUrl() {
    return `${this.shop.url}/products/${this.p.handle}`;
  }
  get templateSuffix() {
    return null;
  }
  get giftCardTemplateSuffix() {
    return null;
  }
  get isGiftCard() {
    return this.p.isGiftCard;
  }
  get requiresSellingPlan() {
    return false;
  }
  get hasOnlyDefaultVariant() {
    return this.p.variants.length === 1 && this.p.variants[0].title === "Default Title";
  }
  get hasOutOfStockVariants() {
    return this.p.variants.some((v) => this.shop.inventoryQuantity(v) <= 0);
  }
  get totalInventory() {
    return this.p.variants.reduce((a, v) => a + this.shop.inventoryQuantity(v), 0);
  }
  get tracksInventory() {
    return this.p.variants.some((v) => v.inventoryItem.tracked);
  }
  get category() {
    return this.p.category ? { ...this.p.category, __typename: "TaxonomyCategory", isLeaf: true, isRoot: false, isArchived: false, level: this.p.category.fullName.split(" > ").length, parentId: null, ancestorIds: [], childrenIds: [] } : null;
  }
  get seo() {
    return { title: null, description: null };
  }
  get featuredMedia() {
    return this.p.images[0] ? new MediaImageView(this.p.images[0], this.p.createdAt) : null;
  }
  get featuredImage() {
    return this.p.images[0] ? new ImageView(this.p.images[0]) : null;
  }
  get mediaCount() {
    return count(this.p.images.length);
  }
  media(args: Args, ctx: GqlContext) {
    return paginate(this.p.images, args as PageArgs, (i) => [i.id, i.id], (i) => new MediaImageView(i, this.p.createdAt), ctx);
  }
  images(args: Args, ctx: GqlContext) {
    return paginate(this.p.images, args as PageArgs, (i) => [i.id, i.id], (i) => new ImageView(i), ctx);
  }
  options(args: Args) {
    const opts = this.p.options.map((o, i) => ({
      __typename: "ProductOption",
      id: gid("ProductOption", o.id),
      name: o.name,
      position: i + 1,
      values: o.values,
      linkedMetafield: null,
      optionValues: o.values.map((v, vi) => ({ id: gid("ProductOptionValue", o.id * 100 + vi + 1), name: v, hasVariants: true, linkedMetafieldValue: null, swatch: null })),
    }));
    return typeof args.first === "number" ? opts.slice(0, args.first) : opts;
  }
  variants(args: Args, ctx: GqlContext) {
    return variantsConnection(this.shop, { sortKey: "POSITION", ...args }, ctx, this.p.variants);
  }
  get variantsCount() {
    return count(this.p.variants.length);
  }
  get totalVariants() {
    return this.p.variants.length;
  }
  get priceRangeV2() {
    const prices = this.p.variants.map((v) => v.price);
    return { minVariantPrice: moneyV2(Math.min(...prices), this.shop.currencyCode), maxVariantPrice: moneyV2(Math.max(...prices), this.shop.currencyCode) };
  }
  get priceRange() {
    return this.priceRangeV2;
  }
  get compareAtPriceRange() {
    const prices = this.p.variants.map((v) => v.compareAtPrice).filter((x): x is number => x !== null);
    if (!prices.length) return null;
    return { minVariantCompareAtPrice: moneyV2(Math.min(...prices), this.shop.currencyCode), maxVariantCompareAtPrice: moneyV2(Math.max(...prices), this.shop.currencyCode) };
  }
  collections(args: Args, ctx: GqlContext) {
    return collectionsConnection(this.shop, args, ctx, [...this.shop.collections.values()].filter((c) => c.productIds.includes(this.p.id)));
  }
  inCollection(args: Args) {
    const id = idOf(String(args.id), "Collection");
    return !!id && !!this.shop.collections.get(id)?.productIds.includes(this.p.id);
  }
  // No metafields are stored by the simulator: "no such metafield" is a real, common answer.
  metafield() {
    return null;
  }
  metafields() {
    return emptyConnection();
  }
  get defaultCursor() {
    return Buffer.from(JSON.stringify({ last_id: this.p.id, last_value: this.p.id })).toString("base64");
  }
}

export class VariantView {
  readonly __typename = "ProductVariant";
  constructor(
    private readonly shop: ShopState,
    readonly data: VariantData,
  ) {}
  private get v() {
    return this.data;
  }
  get id() {
    return gid("ProductVariant", this.v.id);
  }
  get legacyResourceId() {
    return String(this.v.id);
  }
  get title() {
    return this.v.title;
  }
  get displayName() {
    return `${this.shop.products.get(this.v.productId)?.title} - ${this.v.title}`;
  }
  get sku() {
    return this.v.sku;
  }
  get barcode() {
    return this.v.barcode;
  }
  get price() {
    return fromCents(this.v.price, this.shop.currencyCode);
  }
  get compareAtPrice() {
    return this.v.compareAtPrice === null ? null : fromCents(this.v.compareAtPrice, this.shop.currencyCode);
  }
  get availableForSale() {
    return this.shop.availableForSale(this.v);
  }
  get inventoryPolicy() {
    return this.v.inventoryPolicy;
  }
  get inventoryQuantity() {
    return this.v.inventoryItem.tracked ? this.shop.inventoryQuantity(this.v) : 0;
  }
  get sellableOnlineQuantity() {
    return this.shop.sellableOnlineQuantity(this.v);
  }
  get selectedOptions() {
    return this.v.selectedOptions.map((o) => ({ ...o, optionValue: { id: gid("ProductOptionValue", 0), name: o.value, hasVariants: true, linkedMetafieldValue: null, swatch: null } }));
  }
  get taxable() {
    return this.v.taxable;
  }
  get taxCode() {
    return null;
  }
  get position() {
    return this.v.position;
  }
  get createdAt() {
    return this.v.createdAt;
  }
  get updatedAt() {
    return this.v.updatedAt;
  }
  get requiresComponents() {
    return false;
  }
  get showUnitPrice() {
    return false;
  }
  get unitPrice() {
    return null;
  }
  get unitPriceMeasurement() {
    return null;
  }
  get product() {
    return new ProductView(this.shop, this.shop.products.get(this.v.productId)!);
  }
  get inventoryItem() {
    return new InventoryItemView(this.shop, this.v);
  }
  get image() {
    const p = this.shop.products.get(this.v.productId);
    return p?.images[0] ? new ImageView(p.images[0]) : null;
  }
  media(args: Args, ctx: GqlContext) {
    const p = this.shop.products.get(this.v.productId)!;
    return paginate(p.images.slice(0, 1), args as PageArgs, (i) => [i.id, i.id], (i) => new MediaImageView(i, p.createdAt), ctx);
  }
  metafield() {
    return null;
  }
  metafields() {
    return emptyConnection();
  }
  get defaultCursor() {
    return Buffer.from(JSON.stringify({ last_id: this.v.id, last_value: this.v.id })).toString("base64");
  }
}

export class InventoryItemView {
  readonly __typename = "InventoryItem";
  constructor(
    private readonly shop: ShopState,
    private readonly v: VariantData,
  ) {}
  get id() {
    return gid("InventoryItem", this.v.inventoryItem.id);
  }
  get legacyResourceId() {
    return String(this.v.inventoryItem.id);
  }
  get sku() {
    return this.v.sku;
  }
  get tracked() {
    return this.v.inventoryItem.tracked;
  }
  get requiresShipping() {
    return this.v.inventoryItem.requiresShipping;
  }
  get measurement() {
    return { id: gid("InventoryItemMeasurement", this.v.inventoryItem.id), weight: this.v.inventoryItem.weight };
  }
  get createdAt() {
    return this.v.inventoryItem.createdAt;
  }
  get updatedAt() {
    return this.v.inventoryItem.updatedAt;
  }
  get countryCodeOfOrigin() {
    return null;
  }
  get provinceCodeOfOrigin() {
    return null;
  }
  get harmonizedSystemCode() {
    return null;
  }
  get unitCost() {
    return null;
  }
  get duplicateSkuCount() {
    if (!this.v.sku) return 0;
    let n = 0;
    for (const o of this.shop.variants.values()) if (o.sku === this.v.sku && o.id !== this.v.id) n++;
    return n;
  }
  get locationsCount() {
    return count(Object.keys(this.v.inventoryItem.levels).length);
  }
  get variant() {
    return new VariantView(this.shop, this.v);
  }
  variants(args: Args, ctx: GqlContext) {
    return variantsConnection(this.shop, args, ctx, [this.v]);
  }
  inventoryLevels(args: Args, ctx: GqlContext) {
    const locs = this.shop.locations.filter((l) => this.v.inventoryItem.levels[l.id] !== undefined);
    return paginate(locs, args as PageArgs, (l) => [l.id, l.id], (l) => new InventoryLevelView(this.shop, this.v, l), ctx);
  }
  inventoryLevel(args: Args) {
    const id = idOf(String(args.locationId), "Location");
    const l = this.shop.locations.find((x) => x.id === id);
    return l && this.v.inventoryItem.levels[l.id] !== undefined ? new InventoryLevelView(this.shop, this.v, l) : null;
  }
}

export class InventoryLevelView {
  readonly __typename = "InventoryLevel";
  constructor(
    private readonly shop: ShopState,
    private readonly v: VariantData,
    private readonly l: LocationData,
  ) {}
  get id() {
    return `${gid("InventoryLevel", this.l.id)}?inventory_item_id=${this.v.inventoryItem.id}`;
  }
  get isActive() {
    return this.l.isActive;
  }
  get canDeactivate() {
    return true;
  }
  get deactivationAlert() {
    return null;
  }
  get createdAt() {
    return this.v.inventoryItem.createdAt;
  }
  get updatedAt() {
    return this.v.inventoryItem.updatedAt;
  }
  get item() {
    return new InventoryItemView(this.shop, this.v);
  }
  get location() {
    return new LocationView(this.shop, this.l);
  }
  quantities(args: Args) {
    const available = this.v.inventoryItem.levels[this.l.id] ?? 0;
    const byName: Record<string, number> = { available, on_hand: available, committed: 0, incoming: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0 };
    return ((args.names as string[]) ?? []).map((name) => ({ id: `gid://shopify/InventoryQuantity/${this.l.id}?inventory_item_id=${this.v.inventoryItem.id}&name=${name}`, name, quantity: byName[name] ?? 0, updatedAt: this.v.inventoryItem.updatedAt }));
  }
}

export class LocationView {
  readonly __typename = "Location";
  constructor(
    private readonly shop: ShopState,
    private readonly l: LocationData,
  ) {}
  get id() {
    return gid("Location", this.l.id);
  }
  get legacyResourceId() {
    return String(this.l.id);
  }
  get name() {
    return this.l.name;
  }
  get isActive() {
    return this.l.isActive;
  }
  get fulfillsOnlineOrders() {
    return this.l.fulfillsOnlineOrders;
  }
  get shipsInventory() {
    return true;
  }
  get hasActiveInventory() {
    return true;
  }
  get isFulfillmentService() {
    return false;
  }
  get fulfillmentService() {
    return null;
  }
  get activatable() {
    return !this.l.isActive;
  }
  get deactivatable() {
    return this.l.isActive;
  }
  get deletable() {
    return false;
  }
  get deactivatedAt() {
    return null;
  }
  get addressVerified() {
    return true;
  }
  get createdAt() {
    return this.shop.createdAt;
  }
  get updatedAt() {
    return this.shop.createdAt;
  }
  get address() {
    const a = this.l.address;
    return { ...a, address2: null, country: a.countryCode === "US" ? "United States" : a.countryCode, province: a.provinceCode, phone: null, latitude: null, longitude: null, formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.countryCode === "US" ? "United States" : a.countryCode] };
  }
  inventoryLevels(args: Args, ctx: GqlContext) {
    const vs = [...this.shop.variants.values()].filter((v) => v.inventoryItem.levels[this.l.id] !== undefined);
    return paginate(vs, args as PageArgs, (v) => [v.inventoryItem.id, v.inventoryItem.id], (v) => new InventoryLevelView(this.shop, v, this.l), ctx);
  }
  inventoryLevel(args: Args) {
    const id = idOf(String(args.inventoryItemId), "InventoryItem");
    const v = id ? this.shop.inventoryItems.get(id) : undefined;
    return v && v.inventoryItem.levels[this.l.id] !== undefined ? new InventoryLevelView(this.shop, v, this.l) : null;
  }
  metafield() {
    return null;
  }
}

export function collectionsConnection(shop: ShopState, args: Args, ctx: GqlContext, source: CollectionData[] = [...shop.collections.values()], root = false) {
  const search = compileSearch<CollectionData>(
    args.query as string | undefined,
    {
      fields: { id: { kind: "id", get: (c) => c.id }, title: { kind: "text", get: (c) => c.title }, handle: { kind: "string", get: (c) => c.handle }, updated_at: { kind: "date", get: (c) => c.updatedAt } },
      text: (c) => [c.title, c.handle],
    },
    shop.now(),
  );
  const sortKey = (args.sortKey as string) ?? "ID";
  const val = sortKey === "TITLE" ? (c: CollectionData) => c.title.toLowerCase() : sortKey === "UPDATED_AT" ? (c: CollectionData) => c.updatedAt : (c: CollectionData) => c.id;
  const items = sortBy(source.filter(search.match), val, (c) => c.id);
  return paginate(items, args as PageArgs, (c) => [c.id, val(c)], (c) => new CollectionView(shop, c), ctx, { root });
}

export class CollectionView {
  readonly __typename = "Collection";
  constructor(
    private readonly shop: ShopState,
    private readonly c: CollectionData,
  ) {}
  get id() {
    return gid("Collection", this.c.id);
  }
  get legacyResourceId() {
    return String(this.c.id);
  }
  get handle() {
    return this.c.handle;
  }
  get title() {
    return this.c.title;
  }
  get descriptionHtml() {
    return this.c.descriptionHtml;
  }
  description() {
    return stripHtml(this.c.descriptionHtml);
  }
  get updatedAt() {
    return this.c.updatedAt;
  }
  get sortOrder() {
    return "MANUAL";
  }
  get templateSuffix() {
    return null;
  }
  get image() {
    return null;
  }
  get seo() {
    return { title: null, description: null };
  }
  get productsCount() {
    return count(this.c.productIds.filter((id) => this.shop.products.has(id)).length);
  }
  hasProduct(args: Args) {
    const id = idOf(String(args.id), "Product");
    return !!id && this.c.productIds.includes(id);
  }
  products(args: Args, ctx: GqlContext) {
    const items = this.c.productIds.map((id) => this.shop.products.get(id)).filter((p): p is ProductData => !!p);
    const sortKey = args.sortKey === "COLLECTION_DEFAULT" || args.sortKey === "MANUAL" || args.sortKey === undefined ? "ID" : (args.sortKey as string);
    return productsConnection(this.shop, { ...args, sortKey: sortKey === "BEST_SELLING" ? "ID" : sortKey }, ctx, items);
  }
  metafield() {
    return null;
  }
}

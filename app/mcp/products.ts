// What the discovery tools return: products as an agent and a buyer see them, built from the synced catalog's
// feed rows. Money is integer minor units in the shop's currency (lower case, as in ACP checkout). A variant's
// `item_id` is what create_checkout_session takes as `line_items[].id`.

export type Availability = "in_stock" | "backorder" | "pre_order" | "out_of_stock";
export const AVAILABILITIES: Availability[] = ["in_stock", "backorder", "pre_order", "out_of_stock"];

export interface ProductVariant {
  item_id: string;
  title: string;
  sku?: string;
  /** What the buyer pays per unit, minor units. */
  price: number;
  /** The regular price when the variant is on sale (Shopify's compare-at price), minor units. */
  regular_price?: number;
  availability: Availability;
  inventory_quantity?: number;
  options: { name: string; value: string }[];
  image_url?: string;
}

export interface Product {
  id: string;
  title: string;
  brand?: string;
  description: string;
  url?: string;
  image_url?: string;
  currency: string;
  /** The best availability among the variants. */
  availability: Availability;
  price_range: { min: number; max: number };
  variant_count: number;
  /** The variant to buy when the buyer names no option: the first one in stock, else the first. */
  default_item_id: string;
  variants: ProductVariant[];
}

export interface ProductSearch {
  shopId: string;
  currency: string;
  text?: string;
  minPrice?: number;
  maxPrice?: number;
  availability?: Availability[];
  limit: number;
  after?: { title: string; productId: string };
}

/** The port the discovery tools read through; the Prisma implementation reads CatalogItem rows only. */
export interface ProductCatalog {
  search(query: ProductSearch): Promise<{ products: Product[]; last?: { title: string; productId: string }; more: boolean }>;
  /** A product by product id or by one of its variants' item ids, with every sellable variant; null if not sellable. */
  product(shopId: string, currency: string, id: string): Promise<Product | null>;
}

const RANK: Record<Availability, number> = { in_stock: 0, backorder: 1, pre_order: 2, out_of_stock: 3 };

export function bestAvailability(values: Availability[]): Availability {
  return values.reduce<Availability>((best, v) => (RANK[v] < RANK[best] ? v : best), "out_of_stock");
}

export function asAvailability(value: string): Availability {
  return (AVAILABILITIES as string[]).includes(value) ? (value as Availability) : "out_of_stock";
}

/** Assembles a product from its variants (already in position order). */
export function productOf(head: Omit<Product, "availability" | "price_range" | "variant_count" | "default_item_id" | "variants">, variants: ProductVariant[]): Product {
  const prices = variants.map((v) => v.price);
  const available = variants.find((v) => v.availability === "in_stock") ?? variants.find((v) => v.availability !== "out_of_stock") ?? variants[0];
  return {
    ...head,
    availability: bestAvailability(variants.map((v) => v.availability)),
    price_range: { min: Math.min(...prices), max: Math.max(...prices) },
    variant_count: variants.length,
    default_item_id: available.item_id,
    variants,
  };
}

/** Opaque paging cursor: the last product's sort key. */
export function encodeCursor(last: { title: string; productId: string }): string {
  return Buffer.from(JSON.stringify([last.title, last.productId]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { title: string; productId: string } | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") return { title: value[0], productId: value[1] };
  } catch {}
  return null;
}

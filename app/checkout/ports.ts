// The seams the checkout domain is written against (docs design.md "Ports"). Adapters live elsewhere:
// Shopify (app/shopify), Prisma (app/db), in-memory fakes (test/acp/fakes).
import type { Address, CheckoutSession, PlacedOrderRef, PolicyLink } from "./model";

/** A sellable variant as the store knows it right now. */
export interface CatalogVariant {
  itemId: string; // the id the agent used
  variantId: string; // Shopify variant GID
  productId: string;
  title: string; // product title
  variantTitle?: string;
  sku?: string;
  imageUrl?: string;
  unitAmount: number; // minor units
  currency: string; // lower case
  availableForSale: boolean;
  /** Units that can be sold now; undefined when inventory is not tracked or overselling is allowed. */
  inventoryQuantity?: number;
  optedIn: boolean; // the merchant chose to sell it through agents
}

export interface CatalogReader {
  /** Resolves item ids; an id the store does not know maps to null. */
  resolve(itemIds: string[]): Promise<Map<string, CatalogVariant | null>>;
}

export interface QuoteRequest {
  currency: string;
  lines: { variantId: string; quantity: number }[];
  address?: Address;
  email?: string;
  shippingOptionId?: string;
  discountCodes: string[];
}

export interface QuotedLine {
  variantId: string;
  quantity: number;
  unitAmount: number;
  baseAmount: number; // unit × quantity before discounts
  discount: number; // line-level discounts (automatic or code) allocated to this line
  /** The store ships this line (false: a gift card or digital product, which needs no address or shipping rate). */
  requiresShipping?: boolean;
  /** The store charges tax on this line (the cart's tax is spread over taxable lines only). */
  taxable?: boolean;
  /** Live variant facts read in the same call, when the pricer can provide them. */
  variant?: Omit<CatalogVariant, "itemId" | "optedIn">;
}

export interface ShippingRate {
  id: string; // the store's rate handle
  title: string;
  amount: number;
  carrier?: string;
}

export interface Quote {
  currency: string;
  lines: QuotedLine[];
  orderDiscount: number; // order-level discounts not allocated to lines
  tax: number;
  /** The store's prices (lines and shipping) include `tax`; the total does not add it (docs/decisions/0150). */
  taxesIncluded: boolean;
  shippingRates: ShippingRate[];
  /** The rate priced into `tax`/totals, if `shippingOptionId` was one of the store's rates. */
  appliedShippingRateId?: string;
  /** What the cart pays for the applied rate (after shipping discounts), and the tax on it (part of `tax`). */
  shippingAmount?: number;
  shippingTax?: number;
  appliedDiscounts: { code?: string; title: string; amount: number; automatic: boolean }[];
  rejectedCodes: string[];
  /** The store cannot ship to the address (no rates), or the address itself is not valid. */
  addressProblem?: "invalid" | "region_restricted";
  addressProblemMessage?: string;
  /** The address field the store refused (ACP name: country, state, postal_code…), when it says which. */
  addressProblemField?: string;
  /** Requested variants the store refused to price (deleted or no longer for sale there); quoted without them. */
  unavailableVariantIds?: string[];
  /** Other inputs the store refused (e.g. the email); quoted without them. `param` is the ACP request path. */
  inputProblems?: { param?: string; message: string }[];
}

export interface Pricer {
  quote(request: QuoteRequest): Promise<Quote>;
}

/** The session row could not be written because another request changed it first. */
export class ConcurrentUpdateError extends Error {
  constructor(readonly sessionId: string) {
    super(`Checkout session ${sessionId} was changed by another request`);
    this.name = "ConcurrentUpdateError";
  }
}

export interface SessionStore {
  insert(session: CheckoutSession): Promise<void>;
  get(shopId: string, id: string): Promise<CheckoutSession | null>;
  /** Writes `session` only if the stored revision is `expectedRevision`; else ConcurrentUpdateError. */
  update(session: CheckoutSession, expectedRevision: number): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type IdGenerator = (prefix: "cs" | "li") => string;

/** What the checkout needs to know about the shop selling. */
export interface ShopProfile {
  id: string;
  domain: string; // myshopify domain
  name?: string;
  countryCode?: string; // ISO 3166-1 alpha-2
  /** Payments run in the PSP's test mode: orders are created with `test: true`. */
  testMode?: boolean;
  primaryUrl?: string; // storefront primary domain URL
  currency: string; // lower case
  links: PolicyLink[];
  checkoutMode: "agent_payment" | "handoff";
  stripeAccountId?: string;
  sessionTtlMinutes: number;
  shipsToCountries?: string[]; // when known, region_restricted is decided without asking the store
}

/** What the store needs to record a paid checkout as an order (docs/decisions/0078). */
export interface PaidOrder {
  session: CheckoutSession;
  paymentIntentId: string;
  amount: number; // what was charged, minor units
  currency: string;
  test: boolean;
  billingAddress?: Address;
  agentName?: string;
  sendReceipt: boolean;
}

export type OrderCreation =
  | { kind: "created"; order: PlacedOrderRef }
  /** The store refused the order (it will refuse again): e.g. stock claimed by someone else. */
  | { kind: "rejected"; reason: "out_of_stock" | "invalid"; message: string; lineIndex?: number };

/**
 * The store's order book. `create` has no idempotency in Shopify: callers look the order up with
 * `findBySession` before any retry. Transport failures throw (the outcome is then unknown).
 */
export interface OrderSink {
  findBySession(checkoutSessionId: string): Promise<PlacedOrderRef | null>;
  create(order: PaidOrder): Promise<OrderCreation>;
}

/**
 * Commits a completed session together with its agent order record and the first order event, in one
 * transaction; ConcurrentUpdateError if the session's revision moved.
 */
export interface CompletionRecorder {
  commit(session: CheckoutSession, expectedRevision: number): Promise<void>;
}

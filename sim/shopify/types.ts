// The simulator's in-memory state model. Plain data only: the GraphQL layer (resolvers/*) turns it
// into Shopify's object shapes, the webhook layer (webhooks.ts) into REST payloads.
import type { Cents } from "./money.js";

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";
export type InventoryPolicy = "DENY" | "CONTINUE";

export interface ImageData {
  id: number;
  url: string;
  altText: string | null;
  width: number;
  height: number;
}

export interface InventoryItemData {
  id: number;
  tracked: boolean;
  requiresShipping: boolean;
  weight: { value: number; unit: "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS" } | null;
  /** available quantity per location id */
  levels: Record<number, number>;
  createdAt: string;
  updatedAt: string;
}

export interface VariantData {
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: Cents;
  compareAtPrice: Cents | null;
  inventoryPolicy: InventoryPolicy;
  taxable: boolean;
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItem: InventoryItemData;
  createdAt: string;
  updatedAt: string;
}

export interface ProductData {
  id: number;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  images: ImageData[];
  category: { id: string; name: string; fullName: string } | null;
  options: Array<{ id: number; name: string; values: string[] }>;
  variants: VariantData[];
  isGiftCard: boolean;
}

export interface CollectionData {
  id: number;
  handle: string;
  title: string;
  descriptionHtml: string;
  productIds: number[];
  updatedAt: string;
}

export interface LocationData {
  id: number;
  name: string;
  address: { address1: string; city: string; provinceCode: string; countryCode: string; zip: string };
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
}

export interface ShippingRateDef {
  title: string;
  price: Cents;
  /** free when the discounted merchandise subtotal is at least this amount */
  freeAbove?: Cents;
}
export interface ShippingZone {
  name: string;
  countries: string[];
  rates: ShippingRateDef[];
}

export interface TaxRate {
  countryCode: string;
  /** undefined = whole country (fallback when no province-specific rate) */
  provinceCode?: string;
  rate: number;
  title: string;
  shippingTaxable: boolean;
}

export interface DiscountCodeDef {
  code: string;
  title: string;
  kind: "percentage" | "fixed_amount" | "free_shipping";
  /** percentage as 0.10, or fixed amount in cents */
  value: number;
  minimumSubtotal?: Cents;
  startsAt?: string;
  endsAt?: string;
}

export interface ShopPolicyData {
  type: "REFUND_POLICY" | "PRIVACY_POLICY" | "TERMS_OF_SERVICE" | "SHIPPING_POLICY" | "CONTACT_INFORMATION";
  title: string;
  url: string;
  body: string;
}

export interface AddressData {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  provinceCode?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface TaxLineData {
  title: string;
  rate: number;
  amount: Cents;
}

export interface OrderLineItemData {
  id: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  unitPrice: Cents;
  /** order-level + line discounts allocated to this line */
  discount: Cents;
  taxLines: TaxLineData[];
  requiresShipping: boolean;
  taxable: boolean;
  /** quantities already refunded / fulfilled */
  refundedQuantity: number;
  fulfilledQuantity: number;
}

export interface TransactionData {
  id: number;
  kind: "AUTHORIZATION" | "CAPTURE" | "SALE" | "REFUND" | "VOID" | "CHANGE" | "EMV_AUTHORIZATION" | "SUGGESTED_REFUND";
  status: "SUCCESS" | "PENDING" | "FAILURE" | "ERROR" | "AWAITING_RESPONSE" | "UNKNOWN";
  gateway: string;
  amount: Cents;
  authorizationCode: string | null;
  parentId: number | null;
  test: boolean;
  createdAt: string;
  processedAt: string;
}

export interface FulfillmentData {
  id: number;
  status: "SUCCESS" | "CANCELLED" | "ERROR" | "FAILURE";
  trackingCompany: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  lineItems: Array<{ id: number; lineItemId: number; quantity: number }>;
  locationId: number;
  createdAt: string;
  updatedAt: string;
}

export interface RefundData {
  id: number;
  createdAt: string;
  note: string | null;
  lineItems: Array<{ id: number; lineItemId: number; quantity: number; restockType: "CANCEL" | "NO_RESTOCK" | "RETURN" | "LEGACY_RESTOCK"; subtotal: Cents; tax: Cents; locationId: number | null }>;
  shipping: Cents;
  transactionIds: number[];
}

export interface ShippingLineData {
  id: number;
  title: string;
  code: string | null;
  source: string | null;
  price: Cents;
  discount: Cents;
  taxLines: TaxLineData[];
}

export interface OrderData {
  id: number;
  number: number;
  name: string;
  token: string;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  email: string | null;
  phone: string | null;
  currency: string;
  sourceName: string | null;
  sourceIdentifier: string | null;
  sourceUrl: string | null;
  tags: string[];
  note: string | null;
  customAttributes: Array<{ key: string; value: string }>;
  test: boolean;
  taxesIncluded: boolean;
  lineItems: OrderLineItemData[];
  shippingLines: ShippingLineData[];
  /** order-level tax lines given at creation (in addition to line/shipping tax lines) */
  orderTaxLines: TaxLineData[];
  discountCodes: string[];
  shippingAddress: AddressData | null;
  billingAddress: AddressData | null;
  transactions: TransactionData[];
  fulfillments: FulfillmentData[];
  refunds: RefundData[];
  /** explicit financial status from orderCreate, if any; otherwise derived from transactions */
  financialStatusOverride: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
}

export interface BulkOperationData {
  id: number;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  filePath: string | null;
  fileToken: string;
  createdAt: string;
  completedAt: string | null;
}

/** What callers pass to create a shop. Everything but `domain` has a sensible default. */
export interface ShopSeed {
  domain: string;
  name?: string;
  email?: string;
  currencyCode?: string;
  /** Shop.taxesIncluded: product prices and shipping rates include tax (default false) */
  taxesIncluded?: boolean;
  countryCode?: string;
  provinceCode?: string;
  primaryDomainUrl?: string;
  ianaTimezone?: string;
  accessTokens?: string[];
  locations?: LocationData[];
  shippingZones?: ShippingZone[];
  taxRates?: TaxRate[];
  discountCodes?: DiscountCodeDef[];
  products?: ProductData[];
  collections?: CollectionData[];
  /** next order number (default 1001) */
  orderNumberStart?: number;
}

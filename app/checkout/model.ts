// The internal checkout session: one model, whatever ACP version the agent speaks. Money in minor units,
// currency lower-case (acp.md §2.5). Serializers in app/acp turn it into each version's wire shape.

export type CheckoutStatus =
  | "not_ready_for_payment"
  | "ready_for_payment"
  | "authentication_required"
  | "complete_in_progress" // durable lock while `complete` charges and creates the order (app/checkout/complete.ts)
  | "requires_escalation" // answer-only: hand-off mode sends the buyer to continue_url (docs/decisions/0073)
  | "completed"
  | "canceled"
  | "expired";

export interface Address {
  name: string;
  lineOne: string;
  lineTwo?: string;
  city: string;
  state: string;
  country: string; // ISO 3166-1 alpha-2
  postalCode: string;
  company?: string;
}

export interface Buyer {
  email?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  phoneNumber?: string;
}

export interface FulfillmentDetails {
  name?: string;
  phoneNumber?: string;
  email?: string;
  address?: Address;
}

/** What the agent asked for, kept so every re-price re-reads the same items. */
export interface RequestedLine {
  itemId: string;
  quantity: number;
}

export type Availability = "in_stock" | "low_stock" | "out_of_stock" | "backorder";

export interface SessionLine {
  id: string; // li_…, stable per item id within a session
  itemId: string;
  variantId: string;
  productId: string;
  quantity: number;
  name: string;
  productTitle?: string;
  variantTitle?: string;
  sku?: string;
  imageUrl?: string;
  unitAmount: number;
  baseAmount: number;
  discount: number;
  subtotal: number;
  tax: number;
  total: number;
  availability: Availability;
  availableQuantity?: number;
  /** false for a line the store does not ship (gift card, digital product); undefined means it ships. */
  requiresShipping?: boolean;
}

export interface FulfillmentOption {
  id: string;
  type: "shipping";
  title: string;
  carrier?: string;
  subtotal: number;
  tax: number;
  total: number;
}

export type MessageErrorCode =
  | "missing"
  | "invalid"
  | "out_of_stock"
  | "quantity_exceeded"
  | "region_restricted"
  | "not_found"
  | "unsupported"
  | "coupon_invalid"
  | "expired"
  | "payment_declined"
  | "requires_3ds"
  | "intervention_required"
  | "conflict";
export type MessageWarningCode = "low_stock" | "price_change" | "discount_code_invalid" | "discount_code_expired";

export type CheckoutMessage =
  | { type: "error"; code: MessageErrorCode; param?: string; content: string; resolution?: Resolution }
  | { type: "warning"; code: MessageWarningCode; param?: string; content: string; resolution?: Resolution }
  | { type: "info"; param?: string; content: string };
export type Resolution = "recoverable" | "requires_buyer_input" | "requires_buyer_review";

/** Cart totals; the arithmetic is acp.md §2.5 and is checked by `totalsAreConsistent`. */
export interface CartTotals {
  itemsBaseAmount: number;
  itemsDiscount: number;
  subtotal: number;
  discount: number; // order-level discount not allocated to lines
  fulfillment: number;
  tax: number;
  fee: number;
  total: number;
}

export type LinkType = "terms_of_use" | "privacy_policy" | "return_policy" | "shipping_policy" | "contact_us";
export interface PolicyLink {
  type: LinkType;
  url: string;
  title?: string;
}

export interface AppliedDiscount {
  id: string;
  code?: string;
  title: string;
  amount: number;
  automatic: boolean;
}
export interface RejectedDiscount {
  code: string;
  reason: "discount_code_invalid" | "discount_code_expired";
  message: string;
}

/** The Stripe shared-payment-token handler advertised in `capabilities` (absent in handoff mode). */
export interface PaymentHandlerConfig {
  id: string;
  psp: "stripe";
  merchantId: string;
}

export interface CheckoutSession {
  id: string; // cs_…
  shopId: string;
  apiVersion: string; // the version the session was created with
  status: CheckoutStatus;
  currency: string; // lower case
  requestedLines: RequestedLine[];
  lines: SessionLine[];
  buyer?: Buyer;
  fulfillmentDetails?: FulfillmentDetails;
  fulfillmentOptions: FulfillmentOption[];
  selectedFulfillmentOptionId?: string;
  totals: CartTotals;
  /** The store's prices include tax: lines and shipping are shown net of the tax they hold (docs/decisions/0150). */
  taxesIncluded?: boolean;
  messages: CheckoutMessage[];
  links: PolicyLink[];
  discountCodes: string[];
  appliedDiscounts: AppliedDiscount[];
  rejectedDiscounts: RejectedDiscount[];
  paymentHandler?: PaymentHandlerConfig;
  interventionsSupported: string[];
  locale?: string;
  orderNotes?: string;
  metadata?: Record<string, unknown>;
  continueUrl: string;
  createdAt: string; // RFC 3339
  updatedAt: string;
  expiresAt: string;
  revision: number; // optimistic concurrency
  cancelReason?: string;
  /** The agent's `intent_trace` on cancel (2026-04-17), stored as sent. */
  intentTrace?: Record<string, unknown>;
  order?: { id: string; permalinkUrl: string };
  /** Charges tried so far (declines, refused tokens): the next charge's PSP idempotency key uses it. */
  paymentAttempts?: number;
  /** Durable progress of `complete` (docs/decisions/0070); absent until the first complete. */
  completion?: Completion;
  /** Present while `authentication_required` (ACP 2026-04-17 AuthenticationMetadata). */
  authenticationMetadata?: AuthenticationMetadata;
}

/** The named steps of completing a checkout, in order; each is written before the next starts. */
export type CompletionStep = "locked" | "charging" | "ordering" | "refunding";

export interface Completion {
  step: CompletionStep;
  /** Charge attempts so far; the PSP idempotency key is derived from the session id and this number. */
  attempt: number;
  chargeKey: string;
  amount: number;
  currency: string;
  /** Until then the request holding the lock is presumed alive; after it, recovery takes over. */
  lockedUntil: string;
  startedAt: string;
  paymentIntentId?: string;
  cardBrand?: string;
  cardLast4?: string;
  /** orderCreate calls started (a crash may hide whether one succeeded: look the order up first). */
  orderAttempts: number;
  firstOrderAttemptAt?: string;
  order?: PlacedOrderRef;
  lastError?: string;
  billingAddress?: Address;
  agentName?: string;
}

export interface PlacedOrderRef {
  id: string; // Shopify order GID
  name: string; // "#1001"
  statusUrl: string;
}

export interface AuthenticationMetadata {
  acquirerBin: string;
  acquirerCountry: string;
  acquirerMerchantId: string;
  merchantName: string;
  directoryServer: "visa" | "mastercard" | "american_express";
  /** The PSP's intent waiting for authentication (voided when the agent comes back). */
  paymentIntentId?: string;
}

export const TERMINAL_STATUSES: ReadonlySet<CheckoutStatus> = new Set(["completed", "canceled", "expired"]);

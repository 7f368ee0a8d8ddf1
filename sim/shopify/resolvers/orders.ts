// GraphQL views and mutations for orders: Order, LineItem, transactions, fulfillments, refunds;
// orders/order queries; orderCreate, orderCancel, refundCreate (@idempotent required).
import { createHash, randomUUID } from "node:crypto";
import type { GraphQLResolveInfo } from "graphql";
import { Kind, valueFromASTUntyped } from "graphql";
import { gid } from "../ids.js";
import { moneyBag } from "../money.js";
import { compileSearch, isSearchable, noteIndexedWrite } from "../search.js";
import { orderIdByCustomId, orderMetafield, recordOrderMetafields } from "./custom-ids.js";
import { noteApiOrder } from "./order-limits.js";
import { noteOrderNotifications } from "./order-notifications.js";
import type { ShopState } from "../store.js";
import type { AddressData, OrderData, OrderLineItemData, RefundData, TransactionData } from "../types.js";
import {
  cancelOrder,
  createOrder,
  createRefund,
  currentQuantity,
  financialStatus,
  findOrder,
  fulfillableQuantity,
  fulfillmentStatus,
  orderTotals,
  statusPageUrl,
  type OrderCreateInput,
  type OrderCreateOptions,
  type RefundInputData,
} from "../domain/orders.js";
import { ShopifyError, type GqlContext } from "./context.js";
import { cachedRoot, paginate, sortBy, type PageArgs } from "./connection.js";
import { LocationView, ProductView, VariantView } from "./catalog.js";

type Args = Record<string, unknown>;

function addressView(a: AddressData | null, id: number) {
  if (!a) return null;
  return {
    __typename: "MailingAddress",
    id: gid("MailingAddress", id),
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.provinceCode ?? null,
    provinceCode: a.provinceCode ?? null,
    country: a.countryCode ?? null,
    countryCodeV2: a.countryCode ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    timeZone: null,
    formattedArea: [a.city, a.provinceCode, a.countryCode].filter(Boolean).join(", "),
    formatted: () => [a.address1, a.address2, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), a.countryCode].filter(Boolean),
  };
}

const taxLineView = (cur: string) => (t: { title: string; rate: number; amount: number }) => ({ title: t.title, rate: t.rate, ratePercentage: Math.round(t.rate * 100_000) / 1000, priceSet: moneyBag(t.amount, cur), channelLiable: false, source: null });

export class OrderView {
  readonly __typename = "Order";
  constructor(
    private readonly shop: ShopState,
    readonly o: OrderData,
  ) {}
  private bag(c: number) {
    return moneyBag(c, this.o.currency);
  }
  private get t() {
    return orderTotals(this.o);
  }
  get id() {
    return gid("Order", this.o.id);
  }
  get legacyResourceId() {
    return String(this.o.id);
  }
  get name() {
    return this.o.name;
  }
  get confirmationNumber() {
    return this.o.token.slice(0, 9).toUpperCase();
  }
  get createdAt() {
    return this.o.createdAt;
  }
  get updatedAt() {
    return this.o.updatedAt;
  }
  get processedAt() {
    return this.o.processedAt;
  }
  get email() {
    return this.o.email;
  }
  get phone() {
    return this.o.phone;
  }
  get sourceIdentifier() {
    return this.o.sourceIdentifier;
  }
  get sourceName() {
    return this.o.sourceName;
  }
  get tags() {
    return this.o.tags;
  }
  get note() {
    return this.o.note;
  }
  get customAttributes() {
    return this.o.customAttributes.map((a) => ({ key: a.key, value: a.value }));
  }
  get displayFinancialStatus() {
    return financialStatus(this.o);
  }
  get displayFulfillmentStatus() {
    return fulfillmentStatus(this.o);
  }
  get cancelledAt() {
    return this.o.cancelledAt;
  }
  get cancelReason() {
    return this.o.cancelReason;
  }
  get closed() {
    return this.o.closedAt !== null;
  }
  get closedAt() {
    return this.o.closedAt;
  }
  get test() {
    return this.o.test;
  }
  get taxesIncluded() {
    return this.o.taxesIncluded;
  }
  get confirmed() {
    return true;
  }
  statusPageUrl() {
    return statusPageUrl(this.shop, this.o);
  }
  get currencyCode() {
    return this.o.currency;
  }
  get presentmentCurrencyCode() {
    return this.o.currency;
  }
  get discountCode() {
    return this.o.discountCodes[0] ?? null;
  }
  get discountCodes() {
    return this.o.discountCodes;
  }
  get subtotalPriceSet() {
    return this.bag(this.t.subtotal);
  }
  get currentSubtotalPriceSet() {
    return this.bag(this.t.currentSubtotal);
  }
  get totalPriceSet() {
    return this.bag(this.t.total);
  }
  get currentTotalPriceSet() {
    return this.bag(this.t.currentTotal);
  }
  get totalTaxSet() {
    return this.bag(this.t.tax);
  }
  get currentTotalTaxSet() {
    return this.bag(this.t.currentTax);
  }
  get totalShippingPriceSet() {
    return this.bag(this.t.shipping);
  }
  get totalDiscountsSet() {
    return this.bag(this.t.discounts);
  }
  get totalRefundedSet() {
    return this.bag(this.t.refunded);
  }
  get totalRefundedShippingSet() {
    return this.bag(this.t.refundedShipping);
  }
  get totalReceivedSet() {
    return this.bag(this.t.received);
  }
  get netPaymentSet() {
    return this.bag(this.t.netPayment);
  }
  get totalOutstandingSet() {
    return this.bag(this.o.cancelledAt ? 0 : this.t.outstanding);
  }
  get fullyPaid() {
    return this.t.received >= this.t.total;
  }
  get unpaid() {
    return this.t.received === 0;
  }
  get refundable() {
    return this.t.received - this.t.refunded > 0;
  }
  get returnStatus() {
    return "NO_RETURN";
  }
  get customer() {
    return null;
  }
  get shippingAddress() {
    return addressView(this.o.shippingAddress, this.o.id * 10 + 1);
  }
  get billingAddress() {
    return addressView(this.o.billingAddress, this.o.id * 10 + 2);
  }
  get taxLines() {
    const all = new Map<string, { title: string; rate: number; amount: number }>();
    const add = (t: { title: string; rate: number; amount: number }) => {
      const k = `${t.title}|${t.rate}`;
      const cur = all.get(k) ?? { title: t.title, rate: t.rate, amount: 0 };
      cur.amount += t.amount;
      all.set(k, cur);
    };
    this.o.lineItems.forEach((l) => l.taxLines.forEach(add));
    this.o.shippingLines.forEach((s) => s.taxLines.forEach(add));
    this.o.orderTaxLines.forEach(add);
    return [...all.values()].map(taxLineView(this.o.currency));
  }
  lineItems(args: Args, ctx: GqlContext) {
    return paginate(this.o.lineItems, args as PageArgs, (l) => [l.id, l.id], (l) => new LineItemView(this.shop, this.o, l), ctx);
  }
  shippingLines(args: Args, ctx: GqlContext) {
    const cur = this.o.currency;
    return paginate(this.o.shippingLines, args as PageArgs, (s) => [s.id, s.id], (s) => ({
      __typename: "ShippingLine",
      id: gid("ShippingLine", s.id),
      title: s.title,
      code: s.code,
      source: s.source,
      custom: !s.source,
      carrierIdentifier: null,
      deliveryCategory: null,
      phone: null,
      shippingRateHandle: null,
      isRemoved: false,
      originalPriceSet: moneyBag(s.price, cur),
      discountedPriceSet: moneyBag(s.price - s.discount, cur),
      currentDiscountedPriceSet: moneyBag(s.price - s.discount, cur),
      taxLines: s.taxLines.map(taxLineView(cur)),
      discountAllocations: [],
    }), ctx);
  }
  transactions(args: Args) {
    const list = this.o.transactions.map((t) => new TransactionView(this.shop, this.o, t));
    return typeof args.first === "number" ? list.slice(0, args.first) : list;
  }
  fulfillments(args: Args) {
    const list = this.o.fulfillments.map((f) => new FulfillmentView(this.shop, this.o, f));
    return typeof args.first === "number" ? list.slice(0, args.first) : list;
  }
  refunds(args: Args) {
    const list = this.o.refunds.map((r) => new RefundView(this.shop, this.o, r));
    return typeof args.first === "number" ? list.slice(0, args.first) : list;
  }
  metafield(args: Args) {
    return orderMetafield(this.shop, this.o.id, args);
  }
}

export class LineItemView {
  readonly __typename = "LineItem";
  constructor(
    private readonly shop: ShopState,
    private readonly o: OrderData,
    private readonly l: OrderLineItemData,
  ) {}
  private bag(c: number) {
    return moneyBag(c, this.o.currency);
  }
  get id() {
    return gid("LineItem", this.l.id);
  }
  get title() {
    return this.l.title;
  }
  get name() {
    return this.l.variantTitle ? `${this.l.title} - ${this.l.variantTitle}` : this.l.title;
  }
  get variantTitle() {
    return this.l.variantTitle;
  }
  get vendor() {
    return this.l.vendor;
  }
  get sku() {
    return this.l.sku;
  }
  get quantity() {
    return this.l.quantity;
  }
  get currentQuantity() {
    return currentQuantity(this.o, this.l);
  }
  get fulfillableQuantity() {
    return fulfillableQuantity(this.o, this.l);
  }
  get unfulfilledQuantity() {
    return fulfillableQuantity(this.o, this.l);
  }
  get refundableQuantity() {
    return this.l.quantity - this.l.refundedQuantity;
  }
  get nonFulfillableQuantity() {
    return this.l.quantity - fulfillableQuantity(this.o, this.l) - this.l.fulfilledQuantity;
  }
  get requiresShipping() {
    return this.l.requiresShipping;
  }
  get taxable() {
    return this.l.taxable;
  }
  get isGiftCard() {
    return false;
  }
  get restockable() {
    return !!this.l.variantId;
  }
  get merchantEditable() {
    return true;
  }
  get customAttributes() {
    return [];
  }
  get discountAllocations() {
    return [];
  }
  get duties() {
    return [];
  }
  get variant() {
    const v = this.l.variantId ? this.shop.variants.get(this.l.variantId) : undefined;
    return v ? new VariantView(this.shop, v) : null;
  }
  get product() {
    const p = this.l.productId ? this.shop.products.get(this.l.productId) : undefined;
    return p ? new ProductView(this.shop, p) : null;
  }
  get originalUnitPriceSet() {
    return this.bag(this.l.unitPrice);
  }
  get originalTotalSet() {
    return this.bag(this.l.unitPrice * this.l.quantity);
  }
  get discountedUnitPriceSet() {
    return this.bag(Math.round((this.l.unitPrice * this.l.quantity - this.l.discount) / this.l.quantity));
  }
  get discountedUnitPriceAfterAllDiscountsSet() {
    return this.discountedUnitPriceSet;
  }
  discountedTotalSet() {
    return this.bag(this.l.unitPrice * this.l.quantity - this.l.discount);
  }
  get totalDiscountSet() {
    return this.bag(this.l.discount);
  }
  get unfulfilledDiscountedTotalSet() {
    return this.bag(Math.round(((this.l.unitPrice * this.l.quantity - this.l.discount) * fulfillableQuantity(this.o, this.l)) / this.l.quantity));
  }
  get unfulfilledOriginalTotalSet() {
    return this.bag(this.l.unitPrice * fulfillableQuantity(this.o, this.l));
  }
  taxLines() {
    return this.l.taxLines.map(taxLineView(this.o.currency));
  }
  get image() {
    return null;
  }
}

export class TransactionView {
  readonly __typename = "OrderTransaction";
  constructor(
    private readonly shop: ShopState,
    private readonly o: OrderData,
    private readonly t: TransactionData,
  ) {}
  get id() {
    return gid("OrderTransaction", this.t.id);
  }
  get kind() {
    return this.t.kind;
  }
  get status() {
    return this.t.status;
  }
  get gateway() {
    return this.t.gateway;
  }
  get formattedGateway() {
    return this.t.gateway;
  }
  get amountSet() {
    return moneyBag(this.t.amount, this.o.currency);
  }
  get authorizationCode() {
    return this.t.authorizationCode;
  }
  get test() {
    return this.t.test;
  }
  get createdAt() {
    return this.t.createdAt;
  }
  get processedAt() {
    return this.t.processedAt;
  }
  get errorCode() {
    return null;
  }
  get manualPaymentGateway() {
    return this.t.gateway === "manual";
  }
  get manuallyCapturable() {
    return false;
  }
  get multiCapturable() {
    return false;
  }
  get receiptJson() {
    return null;
  }
  get paymentId() {
    return `sim-${this.t.id}`;
  }
  get fees() {
    return [];
  }
  get parentTransaction() {
    const p = this.o.transactions.find((x) => x.id === this.t.parentId);
    return p ? new TransactionView(this.shop, this.o, p) : null;
  }
  get order() {
    return new OrderView(this.shop, this.o);
  }
}

export class FulfillmentView {
  readonly __typename = "Fulfillment";
  constructor(
    private readonly shop: ShopState,
    private readonly o: OrderData,
    private readonly f: OrderData["fulfillments"][number],
  ) {}
  get id() {
    return gid("Fulfillment", this.f.id);
  }
  get legacyResourceId() {
    return String(this.f.id);
  }
  get name() {
    return `${this.o.name}-F${this.o.fulfillments.indexOf(this.f) + 1}`;
  }
  get status() {
    return this.f.status;
  }
  get displayStatus() {
    return this.f.status === "SUCCESS" ? "FULFILLED" : "CANCELED";
  }
  get createdAt() {
    return this.f.createdAt;
  }
  get updatedAt() {
    return this.f.updatedAt;
  }
  get deliveredAt() {
    return null;
  }
  get inTransitAt() {
    return null;
  }
  get estimatedDeliveryAt() {
    return null;
  }
  get requiresShipping() {
    return true;
  }
  get totalQuantity() {
    return this.f.lineItems.reduce((a, l) => a + l.quantity, 0);
  }
  get location() {
    const l = this.shop.locations.find((x) => x.id === this.f.locationId);
    return l ? new LocationView(this.shop, l) : null;
  }
  trackingInfo() {
    if (!this.f.trackingNumber && !this.f.trackingCompany && !this.f.trackingUrl) return [];
    return [{ company: this.f.trackingCompany, number: this.f.trackingNumber, url: this.f.trackingUrl }];
  }
  fulfillmentLineItems(args: Args, ctx: GqlContext) {
    return paginate(this.f.lineItems, args as PageArgs, (x) => [x.id, x.id], (x) => {
      const line = this.o.lineItems.find((l) => l.id === x.lineItemId)!;
      const net = Math.round(((line.unitPrice * line.quantity - line.discount) * x.quantity) / line.quantity);
      return { __typename: "FulfillmentLineItem", id: gid("FulfillmentLineItem", x.id), quantity: x.quantity, lineItem: new LineItemView(this.shop, this.o, line), originalTotalSet: moneyBag(line.unitPrice * x.quantity, this.o.currency), discountedTotalSet: moneyBag(net, this.o.currency) };
    }, ctx);
  }
  get order() {
    return new OrderView(this.shop, this.o);
  }
}

export class RefundView {
  readonly __typename = "Refund";
  constructor(
    private readonly shop: ShopState,
    private readonly o: OrderData,
    private readonly r: RefundData,
  ) {}
  get id() {
    return gid("Refund", this.r.id);
  }
  get legacyResourceId() {
    return String(this.r.id);
  }
  get createdAt() {
    return this.r.createdAt;
  }
  get processedAt() {
    return this.r.createdAt;
  }
  get updatedAt() {
    return this.r.createdAt;
  }
  get note() {
    return this.r.note;
  }
  get totalRefundedSet() {
    const amount = this.o.transactions.filter((t) => this.r.transactionIds.includes(t.id)).reduce((a, t) => a + t.amount, 0);
    return moneyBag(amount, this.o.currency);
  }
  get order() {
    return new OrderView(this.shop, this.o);
  }
  get staffMember() {
    return null;
  }
  get return() {
    return null;
  }
  get duties() {
    return [];
  }
  refundLineItems(args: Args, ctx: GqlContext) {
    return paginate(this.r.lineItems, args as PageArgs, (x) => [x.id, x.id], (x) => {
      const line = this.o.lineItems.find((l) => l.id === x.lineItemId)!;
      const loc = this.shop.locations.find((l) => l.id === (x.locationId ?? (x.restockType !== "NO_RESTOCK" ? this.shop.primaryLocation().id : -1)));
      return {
        __typename: "RefundLineItem",
        id: gid("RefundLineItem", x.id),
        quantity: x.quantity,
        restockType: x.restockType,
        restocked: x.restockType !== "NO_RESTOCK",
        lineItem: new LineItemView(this.shop, this.o, line),
        location: loc ? new LocationView(this.shop, loc) : null,
        priceSet: moneyBag(Math.round(x.subtotal / x.quantity), this.o.currency),
        subtotalSet: moneyBag(x.subtotal, this.o.currency),
        totalTaxSet: moneyBag(x.tax, this.o.currency),
      };
    }, ctx);
  }
  refundShippingLines(args: Args, ctx: GqlContext) {
    const items = this.r.shipping > 0 ? [{ id: this.r.id }] : [];
    return paginate(items, args as PageArgs, (x) => [x.id, x.id], () => ({ __typename: "RefundShippingLine", id: gid("RefundShippingLine", this.r.id), subtotalAmountSet: moneyBag(this.r.shipping, this.o.currency), taxAmountSet: moneyBag(0, this.o.currency) }), ctx);
  }
  transactions(args: Args, ctx: GqlContext) {
    const txs = this.o.transactions.filter((t) => this.r.transactionIds.includes(t.id));
    return paginate(txs, args as PageArgs, (t) => [t.id, t.id], (t) => new TransactionView(this.shop, this.o, t), ctx);
  }
}

// ---- queries -------------------------------------------------------------------------------------------

export function ordersConnection(shop: ShopState, args: Args, ctx: GqlContext, root = false) {
  const search = compileSearch<OrderData>(
    args.query as string | undefined,
    {
      fields: {
        id: { kind: "id", get: (o) => o.id },
        // Shopify accepts name:1001 as well as name:#1001.
        name: { kind: "list", get: (o) => [o.name, o.name.replace(/^#/, "")] },
        source_identifier: { kind: "string", get: (o) => o.sourceIdentifier },
        source_name: { kind: "string", get: (o) => o.sourceName },
        tag: { kind: "list", get: (o) => o.tags },
        tag_not: { kind: "list", get: (o) => o.tags },
        email: { kind: "string", get: (o) => o.email },
        created_at: { kind: "date", get: (o) => o.createdAt },
        updated_at: { kind: "date", get: (o) => o.updatedAt },
        processed_at: { kind: "date", get: (o) => o.processedAt },
        financial_status: { kind: "string", get: (o) => financialStatus(o).toLowerCase() },
        fulfillment_status: { kind: "string", get: (o) => ({ FULFILLED: "shipped", PARTIALLY_FULFILLED: "partial", UNFULFILLED: "unshipped" })[fulfillmentStatus(o)] ?? "unshipped" },
        status: { kind: "string", get: (o) => (o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open") },
        test: { kind: "boolean", get: (o) => o.test },
        sku: { kind: "list", get: (o) => o.lineItems.map((l) => l.sku).filter(Boolean) },
      },
      text: (o) => [o.name, o.email, o.sourceIdentifier, ...o.tags],
    },
    shop.now(),
  );
  // A search reads the index, which may not have caught up with the latest orderCreate (search.ts).
  const searching = typeof args.query === "string" && args.query.trim() !== "";
  const now = Date.now();
  const items = [...shop.orders.values()].filter((o) => (!searching || isSearchable(shop, o.id, now)) && search.match(o));
  const sortKey = (args.sortKey as string) ?? "PROCESSED_AT";
  const val =
    sortKey === "CREATED_AT"
      ? (o: OrderData) => o.createdAt
      : sortKey === "UPDATED_AT"
        ? (o: OrderData) => o.updatedAt
        : sortKey === "ORDER_NUMBER"
          ? (o: OrderData) => o.number
          : sortKey === "TOTAL_PRICE"
            ? (o: OrderData) => orderTotals(o).total
            : sortKey === "ID" || sortKey === "RELEVANCE"
              ? (o: OrderData) => o.id
              : (o: OrderData) => o.processedAt;
  return paginate(cachedRoot(ctx, root, () => sortBy(items, val, (o) => o.id)), args as PageArgs, (o) => [o.id, val(o)], (o) => new OrderView(shop, o), ctx, { root });
}

export function orderById(shop: ShopState, id: string) {
  const o = findOrder(shop, id);
  return o ? new OrderView(shop, o) : null;
}

/** orderByIdentifier: by id, or by a custom ID (a unique-valued metafield); a direct read, never the search index. */
export function orderByIdentifier(shop: ShopState, identifier: { id?: string | null; customId?: { namespace?: string | null; key: string; value: string } | null }) {
  if (identifier.id) return orderById(shop, identifier.id);
  const id = identifier.customId ? orderIdByCustomId(shop, identifier.customId) : null;
  const o = id !== null ? shop.orders.get(id) : undefined;
  return o ? new OrderView(shop, o) : null;
}

// ---- mutations -----------------------------------------------------------------------------------------

export function orderCreateMutation(shop: ShopState, args: Args) {
  const input = args.order as OrderCreateInput & { metafields?: Parameters<typeof recordOrderMetafields>[2] };
  const res = createOrder(shop, input, (args.options as OrderCreateOptions) ?? {});
  if (res.order) {
    recordOrderMetafields(shop, res.order.id, input.metafields);
    noteIndexedWrite(shop, res.order.id);
    noteApiOrder(shop);
    noteOrderNotifications(shop, res.order, (args.options as OrderCreateOptions) ?? {});
  }
  return { order: res.order ? new OrderView(shop, res.order) : null, userErrors: res.userErrors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? null })) };
}

export function orderCancelMutation(shop: ShopState, args: Args) {
  // 2026-10: `refund` is deprecated ("Use `refundMethod` instead"); `refundMethod` is its successor and wins when
  // both are given. The simulator's orders have no customer, so store credit cannot be their refund
  // (STORE_CREDIT_REFUND_MISSING_CUSTOMER; docs/decisions/0157).
  const method = args.refundMethod as { originalPaymentMethodsRefund?: boolean | null; storeCreditRefund?: unknown } | null | undefined;
  if (method?.storeCreditRefund) {
    if (findOrder(shop, args.orderId as string)) {
      const errs = [{ field: ["refundMethod", "storeCreditRefund"], message: "A store credit refund needs the order's customer.", code: "STORE_CREDIT_REFUND_MISSING_CUSTOMER" }];
      return { job: null, jobResult: null, orderCancelUserErrors: errs, userErrors: errs.map((e) => ({ field: e.field, message: e.message })) };
    }
  }
  const refund = method ? !!method.originalPaymentMethodsRefund : ((args.refund as boolean | null) ?? false);
  const res = cancelOrder(shop, args.orderId as string, { reason: args.reason as string, restock: args.restock as boolean, refund, staffNote: args.staffNote as string | null });
  const errs = res.userErrors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? "INVALID" }));
  // The cancellation itself is done synchronously; Shopify still hands back an (unfinished) Job.
  return { job: res.order ? { id: gid("Job", randomUUID()), done: false, query: null } : null, jobResult: null, orderCancelUserErrors: errs, userErrors: errs.map((e) => ({ field: e.field, message: e.message })) };
}

function idempotencyKey(info: GraphQLResolveInfo): string | null {
  const dir = info.fieldNodes[0].directives?.find((d) => d.name.value === "idempotent");
  if (!dir) return null;
  const arg = dir.arguments?.find((a) => a.name.value === "key");
  if (!arg) return null;
  const v = arg.value.kind === Kind.VARIABLE ? info.variableValues[arg.value.name.value] : valueFromASTUntyped(arg.value);
  return typeof v === "string" ? v : null;
}

export function refundCreateMutation(shop: ShopState, args: Args, info: GraphQLResolveInfo) {
  const key = idempotencyKey(info);
  if (!key) {
    // Mandatory since 2026-04 (docs/shopify.md §4.5). Message/code are our best rendering of Shopify's error.
    throw new ShopifyError("The @idempotent directive is required for this mutation. Provide a unique key, e.g. refundCreate(input: $input) @idempotent(key: $key).", { code: "BAD_REQUEST" });
  }
  const input = args.input as RefundInputData;
  const fingerprint = createHash("sha256").update(JSON.stringify(input)).digest("hex");
  const prior = shop.idempotency.get(key);
  if (prior) {
    if (prior.fingerprint !== fingerprint) throw new ShopifyError("The idempotency key has already been used with different parameters.", { code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" });
    // Replay: the same result, nothing new is created.
    const order = shop.orders.get(prior.orderId);
    const refund = order?.refunds.find((r) => r.id === prior.refundId);
    return { refund: order && refund ? new RefundView(shop, order, refund) : null, order: order ? new OrderView(shop, order) : null, userErrors: prior.errors };
  }
  const res = createRefund(shop, input);
  const errors = res.userErrors.map((e) => ({ field: e.field, message: e.message }));
  shop.idempotency.set(key, { fingerprint, orderId: res.order?.id ?? findOrder(shop, input.orderId)?.id ?? 0, refundId: res.refund?.id ?? null, errors });
  return { refund: res.refund && res.order ? new RefundView(shop, res.order, res.refund) : null, order: res.order ? new OrderView(shop, res.order) : null, userErrors: errors };
}

// Order lifecycle: create (orderCreate), cancel, refund, fulfil. Amounts in cents. Used both by the
// GraphQL mutations and by the merchant actions of the programmatic/control API.
import { randomBytes } from "node:crypto";
import { idOf } from "../ids.js";
import { allocate, applyRate, includedTax, toCents, type Cents } from "../money.js";
import type { ShopState } from "../store.js";
import type { AddressData, OrderData, OrderLineItemData, RefundData, TaxLineData, TransactionData, VariantData } from "../types.js";

export interface UserErr {
  field: string[] | null;
  message: string;
  code?: string | null;
}

// ---- derived totals ------------------------------------------------------------------------------------

export function lineTax(l: OrderLineItemData): Cents {
  return l.taxLines.reduce((a, t) => a + t.amount, 0);
}

export function orderTotals(o: OrderData) {
  const lineItemsTotal = o.lineItems.reduce((a, l) => a + l.unitPrice * l.quantity, 0);
  const lineDiscounts = o.lineItems.reduce((a, l) => a + l.discount, 0);
  const subtotal = lineItemsTotal - lineDiscounts;
  const shipping = o.shippingLines.reduce((a, s) => a + s.price - s.discount, 0);
  const shippingDiscounts = o.shippingLines.reduce((a, s) => a + s.discount, 0);
  const tax =
    o.lineItems.reduce((a, l) => a + lineTax(l), 0) +
    o.shippingLines.reduce((a, s) => a + s.taxLines.reduce((b, t) => b + t.amount, 0), 0) +
    o.orderTaxLines.reduce((a, t) => a + t.amount, 0);
  // Tax-inclusive orders: the line and shipping prices already hold the tax (Order.taxesIncluded).
  const total = subtotal + shipping + (o.taxesIncluded ? 0 : tax);
  const ok = (t: TransactionData) => t.status === "SUCCESS";
  const received = o.transactions.filter((t) => ok(t) && (t.kind === "SALE" || t.kind === "CAPTURE")).reduce((a, t) => a + t.amount, 0);
  const authorized = o.transactions.filter((t) => ok(t) && t.kind === "AUTHORIZATION").reduce((a, t) => a + t.amount, 0);
  const voided = o.transactions.some((t) => ok(t) && t.kind === "VOID");
  const refunded = o.transactions.filter((t) => ok(t) && t.kind === "REFUND").reduce((a, t) => a + t.amount, 0);
  const refundedLines = o.refunds.flatMap((r) => r.lineItems);
  const refundedSubtotal = refundedLines.reduce((a, r) => a + r.subtotal, 0);
  const refundedTax = refundedLines.reduce((a, r) => a + r.tax, 0);
  const refundedShipping = o.refunds.reduce((a, r) => a + r.shipping, 0);
  return {
    lineItemsTotal,
    subtotal,
    shipping,
    discounts: lineDiscounts + shippingDiscounts,
    tax,
    total,
    received,
    authorized,
    voided,
    refunded,
    refundedShipping,
    currentSubtotal: subtotal - refundedSubtotal,
    currentTax: tax - refundedTax,
    currentTotal: total - refundedSubtotal - (o.taxesIncluded ? 0 : refundedTax) - refundedShipping,
    netPayment: received - refunded,
    outstanding: Math.max(0, total - received),
  };
}

export function financialStatus(o: OrderData): string {
  const t = orderTotals(o);
  if (t.refunded > 0) return t.refunded >= t.received ? "REFUNDED" : "PARTIALLY_REFUNDED";
  if (t.received > 0) return t.received >= t.total ? "PAID" : "PARTIALLY_PAID";
  if (t.voided) return "VOIDED";
  if (t.authorized > 0) return "AUTHORIZED";
  return o.financialStatusOverride ?? "PENDING";
}

export function fulfillableQuantity(o: OrderData, l: OrderLineItemData): number {
  if (o.cancelledAt) return 0;
  return Math.max(0, l.quantity - l.refundedQuantity - l.fulfilledQuantity);
}

export function currentQuantity(o: OrderData, l: OrderLineItemData): number {
  if (o.cancelledAt) return 0;
  return Math.max(0, l.quantity - l.refundedQuantity);
}

export function fulfillmentStatus(o: OrderData): string {
  const lines = o.lineItems.filter((l) => l.requiresShipping);
  if (!lines.length) return "FULFILLED";
  const fulfilled = lines.reduce((a, l) => a + l.fulfilledQuantity, 0);
  const open = lines.reduce((a, l) => a + fulfillableQuantity(o, l), 0);
  if (fulfilled === 0) return o.cancelledAt && lines.every((l) => currentQuantity(o, l) === 0) ? "UNFULFILLED" : "UNFULFILLED";
  return open === 0 ? "FULFILLED" : "PARTIALLY_FULFILLED";
}

export function statusPageUrl(shop: ShopState, o: OrderData): string {
  const shopNumber = [...shop.domain].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 100_000_000, 7);
  return `${shop.primaryDomainUrl}/${shopNumber}/orders/${o.token}/authenticate?key=${o.token.slice(0, 16)}${o.token.slice(-16)}`;
}

// ---- orderCreate ---------------------------------------------------------------------------------------

interface MoneyBagIn {
  shopMoney: { amount: string; currencyCode: string };
}
interface TaxLineIn {
  title: string;
  rate: string | number;
  priceSet?: MoneyBagIn | null;
}
export interface OrderCreateInput {
  lineItems?: Array<{ variantId?: string | null; productId?: string | null; quantity: number; priceSet?: MoneyBagIn | null; title?: string | null; variantTitle?: string | null; sku?: string | null; vendor?: string | null; taxable?: boolean | null; requiresShipping?: boolean | null; taxLines?: TaxLineIn[] | null }> | null;
  shippingLines?: Array<{ title: string; code?: string | null; source?: string | null; priceSet: MoneyBagIn; taxLines?: TaxLineIn[] | null }> | null;
  taxLines?: TaxLineIn[] | null;
  discountCode?: {
    itemPercentageDiscountCode?: { code: string; percentage?: number | null } | null;
    itemFixedDiscountCode?: { code: string; amountSet?: MoneyBagIn | null } | null;
    freeShippingDiscountCode?: { code: string } | null;
  } | null;
  shippingAddress?: AddressData | null;
  billingAddress?: AddressData | null;
  email?: string | null;
  phone?: string | null;
  transactions?: Array<{ kind?: string | null; status?: string | null; gateway?: string | null; amountSet: MoneyBagIn; authorizationCode?: string | null; test?: boolean | null; processedAt?: string | null }> | null;
  financialStatus?: string | null;
  currency?: string | null;
  sourceName?: string | null;
  sourceIdentifier?: string | null;
  sourceUrl?: string | null;
  tags?: string[] | null;
  note?: string | null;
  customAttributes?: Array<{ key: string; value: string }> | null;
  test?: boolean | null;
  taxesIncluded?: boolean | null;
  processedAt?: string | null;
  name?: string | null;
}
export interface OrderCreateOptions {
  inventoryBehaviour?: "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY" | null;
  sendReceipt?: boolean | null;
  sendFulfillmentReceipt?: boolean | null;
}

function taxLinesFrom(input: TaxLineIn[] | null | undefined, base: Cents, currency: string, included = false): TaxLineData[] {
  return (input ?? []).map((t) => {
    const rate = Number(t.rate);
    // A rate without an amount: the tax on `base`, or the part of `base` that is tax when prices include it.
    return { title: t.title, rate, amount: t.priceSet ? toCents(t.priceSet.shopMoney.amount, currency) : included ? includedTax(base, rate) : applyRate(base, rate) };
  });
}

export function createOrder(shop: ShopState, input: OrderCreateInput, options: OrderCreateOptions = {}): { order?: OrderData; userErrors: UserErr[] } {
  const errors: UserErr[] = [];
  const ts = shop.nowIso();
  if (input.currency && input.currency !== shop.currencyCode) errors.push({ field: ["order", "currency"], message: `Currency ${input.currency} is not supported by this shop`, code: "INVALID" });
  if (!input.lineItems?.length) errors.push({ field: ["order", "lineItems"], message: "Line items must have at least one line item", code: "INVALID" });
  const lines: OrderLineItemData[] = [];
  (input.lineItems ?? []).forEach((li, i) => {
    const field = ["order", "lineItems", String(i)];
    if (li.quantity < 1) {
      errors.push({ field: [...field, "quantity"], message: "Quantity must be greater than or equal to 1", code: "INVALID" });
      return;
    }
    let variant: VariantData | undefined;
    if (li.variantId) {
      const id = idOf(li.variantId, "ProductVariant");
      variant = id ? shop.variants.get(id) : undefined;
      if (!variant) {
        errors.push({ field: [...field, "variantId"], message: "The variant does not exist", code: "INVALID" });
        return;
      }
    } else if (!li.title) {
      errors.push({ field: [...field, "title"], message: "Title can't be blank for a custom line item", code: "INVALID" });
      return;
    }
    const product = variant ? shop.products.get(variant.productId) : undefined;
    const unit = li.priceSet ? toCents(li.priceSet.shopMoney.amount, shop.currencyCode) : (variant?.price ?? 0);
    lines.push({
      id: shop.nextId("LineItem"),
      variantId: variant?.id ?? null,
      productId: product?.id ?? null,
      title: li.title ?? product?.title ?? "",
      variantTitle: li.variantTitle ?? (variant && variant.title !== "Default Title" ? variant.title : null),
      sku: li.sku ?? variant?.sku ?? null,
      vendor: li.vendor ?? (product?.vendor || null),
      quantity: li.quantity,
      unitPrice: unit,
      discount: 0,
      taxLines: taxLinesFrom(li.taxLines, unit * li.quantity, shop.currencyCode, input.taxesIncluded ?? false),
      // The schema defaults requiresShipping to false, so after coercion we cannot tell "not given" from
      // false; for variant lines the variant's own setting wins (what the admin shows for such orders).
      requiresShipping: variant ? variant.inventoryItem.requiresShipping : (li.requiresShipping ?? false),
      taxable: li.taxable ?? variant?.taxable ?? true,
      refundedQuantity: 0,
      fulfilledQuantity: 0,
    });
  });
  // Inventory claims come before anything is persisted, as in Shopify.
  const behaviour = options.inventoryBehaviour ?? "BYPASS";
  if (behaviour === "DECREMENT_OBEYING_POLICY") {
    const want = new Map<number, number>();
    for (const l of lines) if (l.variantId) want.set(l.variantId, (want.get(l.variantId) ?? 0) + l.quantity);
    for (const [vid, qty] of want) {
      const v = shop.variants.get(vid)!;
      if (!v.inventoryItem.tracked || v.inventoryPolicy === "CONTINUE") continue;
      const available = shop.sellableOnlineQuantity(v);
      if (available < qty) {
        const idx = (input.lineItems ?? []).findIndex((li) => li.variantId && idOf(li.variantId, "ProductVariant") === vid);
        const p = shop.products.get(v.productId)!;
        errors.push({ field: ["order", "lineItems", String(idx)], message: `${p.title}${v.title === "Default Title" ? "" : ` - ${v.title}`} is out of stock. Only ${available} available, ${qty} requested.`, code: "INVENTORY_CLAIM_FAILED" });
      }
    }
  }
  if (errors.length) return { userErrors: errors };

  const shippingLines = (input.shippingLines ?? []).map((s) => {
    const price = toCents(s.priceSet.shopMoney.amount, shop.currencyCode);
    return { id: shop.nextId("ShippingLine"), title: s.title, code: s.code ?? s.title, source: s.source ?? null, price, discount: 0, taxLines: taxLinesFrom(s.taxLines, price, shop.currencyCode, input.taxesIncluded ?? false) };
  });
  const discountCodes: string[] = [];
  const dc = input.discountCode;
  const lineTotals = lines.map((l) => l.unitPrice * l.quantity);
  const merchandise = lineTotals.reduce((a, b) => a + b, 0);
  let orderDiscount = 0;
  if (dc?.itemPercentageDiscountCode) {
    discountCodes.push(dc.itemPercentageDiscountCode.code);
    orderDiscount = applyRate(merchandise, (dc.itemPercentageDiscountCode.percentage ?? 0) / 100);
  } else if (dc?.itemFixedDiscountCode) {
    discountCodes.push(dc.itemFixedDiscountCode.code);
    orderDiscount = Math.min(merchandise, dc.itemFixedDiscountCode.amountSet ? toCents(dc.itemFixedDiscountCode.amountSet.shopMoney.amount, shop.currencyCode) : 0);
  } else if (dc?.freeShippingDiscountCode) {
    discountCodes.push(dc.freeShippingDiscountCode.code);
    for (const s of shippingLines) s.discount = s.price;
  }
  if (orderDiscount) allocate(orderDiscount, lineTotals).forEach((d, i) => (lines[i].discount = d));
  const number = shop.nextOrderNumber++;
  const order: OrderData = {
    id: shop.nextId("Order"),
    number,
    name: input.name ?? `#${number}`,
    token: randomBytes(16).toString("hex"),
    createdAt: ts,
    updatedAt: ts,
    processedAt: input.processedAt ?? ts,
    email: input.email ?? null,
    phone: input.phone ?? null,
    currency: shop.currencyCode,
    sourceName: input.sourceName ?? null,
    sourceIdentifier: input.sourceIdentifier ?? null,
    sourceUrl: input.sourceUrl ?? null,
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    note: input.note ?? null,
    customAttributes: input.customAttributes ?? [],
    test: input.test ?? false,
    taxesIncluded: input.taxesIncluded ?? false,
    lineItems: lines,
    shippingLines,
    orderTaxLines: taxLinesFrom(input.taxLines, merchandise - orderDiscount, shop.currencyCode, input.taxesIncluded ?? false),
    discountCodes,
    shippingAddress: input.shippingAddress ?? null,
    billingAddress: input.billingAddress ?? null,
    transactions: [],
    fulfillments: [],
    refunds: [],
    financialStatusOverride: input.financialStatus ?? null,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
  };
  for (const t of input.transactions ?? []) {
    order.transactions.push({
      id: shop.nextId("OrderTransaction"),
      kind: (t.kind ?? "SALE") as TransactionData["kind"],
      status: (t.status ?? "SUCCESS") as TransactionData["status"],
      gateway: t.gateway ?? "manual",
      amount: toCents(t.amountSet.shopMoney.amount, shop.currencyCode),
      authorizationCode: t.authorizationCode ?? null,
      parentId: null,
      test: t.test ?? order.test,
      createdAt: ts,
      processedAt: t.processedAt ?? ts,
    });
  }
  // financialStatus PAID without transactions: Shopify records a manual sale for the total.
  if (!order.transactions.length && input.financialStatus === "PAID") {
    order.transactions.push({ id: shop.nextId("OrderTransaction"), kind: "SALE", status: "SUCCESS", gateway: "manual", amount: orderTotals(order).total, authorizationCode: null, parentId: null, test: order.test, createdAt: ts, processedAt: ts });
  }
  shop.orders.set(order.id, order);
  if (behaviour !== "BYPASS") for (const l of lines) if (l.variantId) decrement(shop, shop.variants.get(l.variantId)!, l.quantity);
  shop.emit({ topic: "orders/create", order });
  if (financialStatus(order) === "PAID") shop.emit({ topic: "orders/paid", order });
  return { order, userErrors: [] };
}

/** Takes stock from online locations in order; whatever is missing goes negative at the primary one. */
function decrement(shop: ShopState, v: VariantData, qty: number): void {
  if (!v.inventoryItem.tracked) return;
  let left = qty;
  for (const l of shop.locations) {
    if (!l.isActive || !l.fulfillsOnlineOrders || left <= 0) continue;
    const have = v.inventoryItem.levels[l.id] ?? 0;
    const take = Math.min(have, left);
    if (take > 0) {
      shop.adjustInventory(v, l.id, -take);
      left -= take;
    }
  }
  if (left > 0) shop.adjustInventory(v, shop.primaryLocation().id, -left);
}

function restock(shop: ShopState, variantId: number | null, qty: number, locationId?: number | null): void {
  const v = variantId ? shop.variants.get(variantId) : undefined;
  if (!v || !v.inventoryItem.tracked || qty <= 0) return;
  shop.adjustInventory(v, locationId ?? shop.primaryLocation().id, qty);
}

export function findOrder(shop: ShopState, id: string | number): OrderData | undefined {
  const n = typeof id === "number" ? id : idOf(id, "Order");
  return n ? shop.orders.get(n) : undefined;
}

// ---- refunds -------------------------------------------------------------------------------------------

export interface RefundInputData {
  orderId: string;
  note?: string | null;
  refundLineItems?: Array<{ lineItemId: string; quantity: number; restockType?: "CANCEL" | "NO_RESTOCK" | "RETURN" | "LEGACY_RESTOCK" | null; locationId?: string | null }> | null;
  shipping?: { fullRefund?: boolean | null; amount?: string | null } | null;
  transactions?: Array<{ orderId: string; parentId?: string | null; amount: string; gateway: string; kind: string }> | null;
  allowOverRefunding?: boolean | null;
}

export function createRefund(shop: ShopState, input: RefundInputData, opts: { emit?: boolean } = {}): { refund?: RefundData; order?: OrderData; userErrors: UserErr[] } {
  const order = findOrder(shop, input.orderId);
  if (!order) return { userErrors: [{ field: ["orderId"], message: "Order does not exist" }] };
  const errors: UserErr[] = [];
  const ts = shop.nowIso();
  const lineRefunds: RefundData["lineItems"] = [];
  (input.refundLineItems ?? []).forEach((r, i) => {
    const lid = idOf(r.lineItemId, "LineItem");
    const line = order.lineItems.find((l) => l.id === lid);
    if (!line) {
      errors.push({ field: ["refundLineItems", String(i), "lineItemId"], message: "Line item does not exist" });
      return;
    }
    const refundable = line.quantity - line.refundedQuantity;
    if (r.quantity < 1 || r.quantity > refundable) {
      errors.push({ field: ["refundLineItems", String(i), "quantity"], message: `Quantity cannot refund more items than were purchased (refundable: ${refundable})` });
      return;
    }
    const lineNet = line.unitPrice * line.quantity - line.discount;
    lineRefunds.push({
      id: shop.nextId("RefundLineItem"),
      lineItemId: line.id,
      quantity: r.quantity,
      restockType: r.restockType ?? "NO_RESTOCK",
      subtotal: Math.round((lineNet * r.quantity) / line.quantity),
      tax: Math.round((lineTax(line) * r.quantity) / line.quantity),
      locationId: r.locationId ? idOf(r.locationId, "Location") : null,
    });
  });
  const totals = orderTotals(order);
  let shipping = 0;
  if (input.shipping?.fullRefund) shipping = totals.shipping - totals.refundedShipping;
  else if (input.shipping?.amount) shipping = toCents(input.shipping.amount, shop.currencyCode);
  if (shipping > totals.shipping - totals.refundedShipping) errors.push({ field: ["shipping", "amount"], message: "Shipping refund amount is greater than the refundable shipping amount" });
  const txIn = input.transactions ?? [];
  const amount = txIn.reduce((a, t) => a + toCents(t.amount, shop.currencyCode), 0);
  const refundable = totals.received - totals.refunded;
  if (amount > refundable && !input.allowOverRefunding) {
    errors.push({ field: ["transactions"], message: `Refund amount $${(amount / 100).toFixed(2)} is greater than net payment received $${(refundable / 100).toFixed(2)}` });
  }
  const parentDefault = order.transactions.find((t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE"));
  txIn.forEach((t, i) => {
    if (t.kind !== "REFUND" && t.kind !== "SUGGESTED_REFUND") errors.push({ field: ["transactions", String(i), "kind"], message: "Transaction kind must be REFUND" });
    if (t.parentId && !order.transactions.some((x) => x.id === idOf(t.parentId!, "OrderTransaction"))) errors.push({ field: ["transactions", String(i), "parentId"], message: "Parent transaction does not exist" });
  });
  if (txIn.length && !parentDefault && !txIn.every((t) => t.parentId)) errors.push({ field: ["transactions"], message: "There is no payment to refund" });
  if (errors.length) return { userErrors: errors };

  const refund: RefundData = { id: shop.nextId("Refund"), createdAt: ts, note: input.note ?? null, lineItems: lineRefunds, shipping, transactionIds: [] };
  for (const t of txIn) {
    const tx: TransactionData = {
      id: shop.nextId("OrderTransaction"),
      kind: "REFUND",
      status: "SUCCESS",
      gateway: t.gateway,
      amount: toCents(t.amount, shop.currencyCode),
      authorizationCode: null,
      parentId: t.parentId ? idOf(t.parentId, "OrderTransaction") : parentDefault!.id,
      test: order.test,
      createdAt: ts,
      processedAt: ts,
    };
    order.transactions.push(tx);
    refund.transactionIds.push(tx.id);
  }
  for (const r of lineRefunds) {
    const line = order.lineItems.find((l) => l.id === r.lineItemId)!;
    line.refundedQuantity += r.quantity;
    if (r.restockType !== "NO_RESTOCK") restock(shop, line.variantId, r.quantity, r.locationId);
  }
  order.refunds.push(refund);
  order.updatedAt = ts;
  if (opts.emit !== false) {
    shop.emit({ topic: "refunds/create", order, refundId: refund.id });
    shop.emit({ topic: "orders/updated", order });
  }
  return { refund, order, userErrors: [] };
}

/** Merchant refund from the admin: by amount, by line items, or (neither) everything still refundable. */
export function merchantRefund(
  shop: ShopState,
  orderId: string | number,
  opts: { amount?: string; lineItems?: Array<{ lineItemId: string | number; quantity: number; restock?: boolean }>; note?: string; shipping?: boolean } = {},
) {
  const order = findOrder(shop, orderId);
  if (!order) throw new Error(`Order ${orderId} not found in ${shop.domain}`);
  const totals = orderTotals(order);
  const lineItems = (opts.lineItems ?? []).map((l) => ({ lineItemId: String(l.lineItemId), quantity: l.quantity, restockType: (l.restock === false ? "NO_RESTOCK" : "RETURN") as "NO_RESTOCK" | "RETURN" }));
  let amount: Cents;
  if (opts.amount !== undefined) amount = toCents(opts.amount, shop.currencyCode);
  else if (lineItems.length) {
    amount = lineItems.reduce((a, r) => {
      const line = order.lineItems.find((l) => l.id === idOf(r.lineItemId, "LineItem"));
      if (!line) return a;
      return a + Math.round(((line.unitPrice * line.quantity - line.discount + lineTax(line)) * r.quantity) / line.quantity);
    }, 0);
    if (opts.shipping) amount += totals.shipping - totals.refundedShipping;
  } else amount = totals.received - totals.refunded;
  const parent = order.transactions.find((t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE"));
  const res = createRefund(shop, {
    orderId: String(order.id),
    note: opts.note ?? null,
    refundLineItems: lineItems,
    shipping: opts.shipping || (!opts.amount && !lineItems.length) ? { fullRefund: true } : null,
    transactions: amount > 0 && parent ? [{ orderId: String(order.id), parentId: String(parent.id), amount: (amount / 100).toFixed(2), gateway: parent.gateway, kind: "REFUND" }] : [],
  });
  if (res.userErrors.length) throw new Error(`Refund failed: ${res.userErrors.map((e) => e.message).join("; ")}`);
  return res.refund!;
}

// ---- cancel --------------------------------------------------------------------------------------------

export interface CancelOptions {
  reason?: string;
  restock?: boolean;
  refund?: boolean;
  staffNote?: string | null;
}

export function cancelOrder(shop: ShopState, orderId: string | number, opts: CancelOptions = {}): { order?: OrderData; userErrors: UserErr[] } {
  const order = findOrder(shop, orderId);
  if (!order) return { userErrors: [{ field: ["orderId"], message: "Order does not exist", code: "NOT_FOUND" }] };
  if (order.cancelledAt) return { userErrors: [{ field: ["orderId"], message: "Order has already been cancelled", code: "INVALID" }] };
  if (order.fulfillments.some((f) => f.status === "SUCCESS")) return { userErrors: [{ field: ["orderId"], message: "Cannot cancel an order that has fulfillments", code: "INVALID" }] };
  const ts = shop.nowIso();
  const totals = orderTotals(order);
  if (opts.refund) {
    const remaining = order.lineItems.filter((l) => l.quantity - l.refundedQuantity > 0);
    const parent = order.transactions.find((t) => t.status === "SUCCESS" && (t.kind === "SALE" || t.kind === "CAPTURE"));
    const amount = totals.received - totals.refunded;
    const res = createRefund(
      shop,
      {
        orderId: String(order.id),
        note: opts.staffNote ?? null,
        refundLineItems: remaining.map((l) => ({ lineItemId: String(l.id), quantity: l.quantity - l.refundedQuantity, restockType: opts.restock ? "CANCEL" : "NO_RESTOCK" })),
        shipping: totals.shipping - totals.refundedShipping > 0 ? { fullRefund: true } : null,
        transactions: amount > 0 && parent ? [{ orderId: String(order.id), parentId: String(parent.id), amount: (amount / 100).toFixed(2), gateway: parent.gateway, kind: "REFUND" }] : [],
      },
      { emit: false },
    );
    if (res.userErrors.length) return { userErrors: res.userErrors.map((e) => ({ ...e, code: "INVALID" })) };
    shop.emit({ topic: "refunds/create", order, refundId: res.refund!.id });
  } else if (opts.restock) {
    for (const l of order.lineItems) restock(shop, l.variantId, l.quantity - l.refundedQuantity - l.fulfilledQuantity);
  }
  // Void an uncaptured authorization, as Shopify does on cancel.
  const auth = order.transactions.find((t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS");
  if (auth && totals.received === 0) order.transactions.push({ ...auth, id: shop.nextId("OrderTransaction"), kind: "VOID", parentId: auth.id, createdAt: ts, processedAt: ts });
  order.cancelledAt = ts;
  order.cancelReason = opts.reason ?? "OTHER";
  order.closedAt = ts;
  order.updatedAt = ts;
  if (opts.staffNote) order.note = order.note ? `${order.note}\n${opts.staffNote}` : opts.staffNote;
  shop.emit({ topic: "orders/cancelled", order });
  shop.emit({ topic: "orders/updated", order });
  return { order, userErrors: [] };
}

// ---- fulfilment ----------------------------------------------------------------------------------------

export interface Tracking {
  trackingCompany?: string | null;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
}

export function fulfillOrder(shop: ShopState, orderId: string | number, tracking: Tracking = {}, lineItems?: Array<{ lineItemId: string | number; quantity: number }>) {
  const order = findOrder(shop, orderId);
  if (!order) throw new Error(`Order ${orderId} not found in ${shop.domain}`);
  if (order.cancelledAt) throw new Error(`Order ${order.name} is cancelled`);
  const ts = shop.nowIso();
  const items = (lineItems ?? order.lineItems.map((l) => ({ lineItemId: l.id, quantity: fulfillableQuantity(order, l) })))
    .map((x) => ({ line: order.lineItems.find((l) => l.id === (typeof x.lineItemId === "number" ? x.lineItemId : idOf(x.lineItemId, "LineItem"))), quantity: x.quantity }))
    .filter((x) => x.line && x.quantity > 0);
  for (const x of items) if (x.quantity > fulfillableQuantity(order, x.line!)) throw new Error(`Cannot fulfil ${x.quantity} of line ${x.line!.id}`);
  if (!items.length) throw new Error(`Order ${order.name} has nothing left to fulfil`);
  const f = {
    id: shop.nextId("Fulfillment"),
    status: "SUCCESS" as const,
    trackingCompany: tracking.trackingCompany ?? null,
    trackingNumber: tracking.trackingNumber ?? null,
    trackingUrl: tracking.trackingUrl ?? null,
    lineItems: items.map((x) => ({ id: shop.nextId("FulfillmentLineItem"), lineItemId: x.line!.id, quantity: x.quantity })),
    locationId: shop.primaryLocation().id,
    createdAt: ts,
    updatedAt: ts,
  };
  for (const x of items) x.line!.fulfilledQuantity += x.quantity;
  order.fulfillments.push(f);
  order.updatedAt = ts;
  shop.emit({ topic: "fulfillments/create", order, fulfillmentId: f.id });
  if (fulfillmentStatus(order) === "FULFILLED") shop.emit({ topic: "orders/fulfilled", order });
  shop.emit({ topic: "orders/updated", order });
  return f;
}

export function updateFulfillmentTracking(shop: ShopState, orderId: string | number, fulfillmentId: string | number, tracking: Tracking) {
  const order = findOrder(shop, orderId);
  const fid = typeof fulfillmentId === "number" ? fulfillmentId : idOf(fulfillmentId, "Fulfillment");
  const f = order?.fulfillments.find((x) => x.id === fid);
  if (!order || !f) throw new Error(`Fulfillment ${fulfillmentId} not found`);
  if (tracking.trackingCompany !== undefined) f.trackingCompany = tracking.trackingCompany;
  if (tracking.trackingNumber !== undefined) f.trackingNumber = tracking.trackingNumber;
  if (tracking.trackingUrl !== undefined) f.trackingUrl = tracking.trackingUrl;
  f.updatedAt = shop.nowIso();
  shop.emit({ topic: "fulfillments/update", order, fulfillmentId: f.id });
  return f;
}

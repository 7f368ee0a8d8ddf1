// Webhooks: REST-shaped payloads (snake_case, numeric ids + admin_graphql_api_id) signed with the app's
// API secret exactly as Shopify does (base64 HMAC-SHA256 of the raw body), delivered asynchronously to
// the configured subscriptions with retries on non-2xx, and recorded for tests.
import { createHmac, randomUUID } from "node:crypto";
import { gid } from "./ids.js";
import { fromCents } from "./money.js";
import { financialStatus, fulfillableQuantity, currentQuantity, fulfillmentStatus, lineTax, orderTotals, statusPageUrl } from "./domain/orders.js";
import type { ShopState, SimEvent } from "./store.js";
import type { FaultInjector } from "./faults.js";
import type { AddressData, OrderData, OrderLineItemData, ProductData, VariantData } from "./types.js";

export interface WebhookSubscription {
  topic: string;
  uri: string;
}
export interface WebhookConfig {
  secret: string;
  subscriptions: WebhookSubscription[];
}

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  uri: string;
  payload: unknown;
  attempts: number;
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  triggeredAt: string;
  deliveredAt: string | null;
}

/** Base64 HMAC-SHA256 of the raw body, the value of X-Shopify-Hmac-Sha256. */
export function shopifyHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

// ---- REST payloads -------------------------------------------------------------------------------------

const lower = (s: string | null) => (s ? s.toLowerCase() : null);

export function restVariant(shop: ShopState, v: VariantData) {
  return {
    id: v.id,
    product_id: v.productId,
    title: v.title,
    price: fromCents(v.price, shop.currencyCode),
    sku: v.sku ?? "",
    position: v.position,
    inventory_policy: lower(v.inventoryPolicy),
    compare_at_price: v.compareAtPrice === null ? null : fromCents(v.compareAtPrice, shop.currencyCode),
    option1: v.selectedOptions[0]?.value ?? null,
    option2: v.selectedOptions[1]?.value ?? null,
    option3: v.selectedOptions[2]?.value ?? null,
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    taxable: v.taxable,
    barcode: v.barcode,
    inventory_item_id: v.inventoryItem.id,
    inventory_quantity: shop.inventoryQuantity(v),
    old_inventory_quantity: shop.inventoryQuantity(v),
    inventory_management: v.inventoryItem.tracked ? "shopify" : null,
    requires_shipping: v.inventoryItem.requiresShipping,
    grams: v.inventoryItem.weight?.unit === "GRAMS" ? Math.round(v.inventoryItem.weight.value) : 0,
    weight: v.inventoryItem.weight?.value ?? 0,
    weight_unit: v.inventoryItem.weight?.unit === "GRAMS" ? "g" : "kg",
    image_id: null,
    admin_graphql_api_id: gid("ProductVariant", v.id),
  };
}

export function restProduct(shop: ShopState, p: ProductData) {
  const images = p.images.map((img, i) => ({ id: img.id, product_id: p.id, position: i + 1, created_at: p.createdAt, updated_at: p.updatedAt, alt: img.altText, width: img.width, height: img.height, src: img.url, variant_ids: [], admin_graphql_api_id: gid("ProductImage", img.id) }));
  return {
    id: p.id,
    title: p.title,
    body_html: p.descriptionHtml,
    vendor: p.vendor,
    product_type: p.productType,
    created_at: p.createdAt,
    handle: p.handle,
    updated_at: p.updatedAt,
    published_at: p.status === "ACTIVE" ? p.publishedAt : null,
    template_suffix: null,
    published_scope: "global",
    tags: p.tags.join(", "),
    status: p.status.toLowerCase(),
    admin_graphql_api_id: gid("Product", p.id),
    variants: p.variants.map((v) => restVariant(shop, v)),
    options: p.options.map((o, i) => ({ id: o.id, product_id: p.id, name: o.name, position: i + 1, values: o.values })),
    images,
    image: images[0] ?? null,
    media: p.images.map((img, i) => ({ id: img.id, product_id: p.id, position: i + 1, media_content_type: "IMAGE", admin_graphql_api_id: gid("MediaImage", img.id) })),
    variant_gids: p.variants.map((v) => ({ admin_graphql_api_id: gid("ProductVariant", v.id), updated_at: v.updatedAt })),
    has_variants_that_requires_components: false,
    category: p.category ? { admin_graphql_api_id: p.category.id, name: p.category.name, full_name: p.category.fullName } : null,
  };
}

function restAddress(a: AddressData | null) {
  if (!a) return null;
  return {
    first_name: a.firstName ?? null,
    last_name: a.lastName ?? null,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province_code: a.provinceCode ?? null,
    province: a.provinceCode ?? null,
    country_code: a.countryCode ?? null,
    country: a.countryCode ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
  };
}

const moneySet = (cents: number, cur: string) => ({ shop_money: { amount: fromCents(cents, cur), currency_code: cur }, presentment_money: { amount: fromCents(cents, cur), currency_code: cur } });

function restLineItem(o: OrderData, l: OrderLineItemData, quantityOverride?: number) {
  return {
    id: l.id,
    admin_graphql_api_id: gid("LineItem", l.id),
    variant_id: l.variantId,
    product_id: l.productId,
    title: l.title,
    variant_title: l.variantTitle,
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    quantity: quantityOverride ?? l.quantity,
    current_quantity: currentQuantity(o, l),
    fulfillable_quantity: fulfillableQuantity(o, l),
    fulfillment_status: l.fulfilledQuantity >= l.quantity - l.refundedQuantity && l.fulfilledQuantity > 0 ? "fulfilled" : l.fulfilledQuantity > 0 ? "partial" : null,
    price: fromCents(l.unitPrice, o.currency),
    price_set: moneySet(l.unitPrice, o.currency),
    total_discount: fromCents(l.discount, o.currency),
    total_discount_set: moneySet(l.discount, o.currency),
    sku: l.sku,
    vendor: l.vendor,
    requires_shipping: l.requiresShipping,
    taxable: l.taxable,
    gift_card: false,
    tax_lines: l.taxLines.map((t) => ({ title: t.title, price: fromCents(t.amount, o.currency), rate: t.rate, price_set: moneySet(t.amount, o.currency) })),
    properties: [],
  };
}

function restFulfillment(o: OrderData, f: OrderData["fulfillments"][number]) {
  return {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    order_id: o.id,
    name: `${o.name}.${o.fulfillments.indexOf(f) + 1}`,
    status: f.status.toLowerCase(),
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    service: "manual",
    shipment_status: null,
    location_id: f.locationId,
    tracking_company: f.trackingCompany,
    tracking_number: f.trackingNumber,
    tracking_numbers: f.trackingNumber ? [f.trackingNumber] : [],
    tracking_url: f.trackingUrl,
    tracking_urls: f.trackingUrl ? [f.trackingUrl] : [],
    line_items: f.lineItems.map((x) => restLineItem(o, o.lineItems.find((l) => l.id === x.lineItemId)!, x.quantity)),
  };
}

function restTransaction(o: OrderData, t: OrderData["transactions"][number]) {
  return {
    id: t.id,
    admin_graphql_api_id: gid("OrderTransaction", t.id),
    order_id: o.id,
    kind: t.kind.toLowerCase(),
    status: t.status.toLowerCase(),
    gateway: t.gateway,
    amount: fromCents(t.amount, o.currency),
    currency: o.currency,
    parent_id: t.parentId,
    authorization: t.authorizationCode,
    test: t.test,
    created_at: t.createdAt,
    processed_at: t.processedAt,
  };
}

function restRefund(o: OrderData, r: OrderData["refunds"][number]) {
  return {
    id: r.id,
    admin_graphql_api_id: gid("Refund", r.id),
    order_id: o.id,
    created_at: r.createdAt,
    processed_at: r.createdAt,
    note: r.note,
    restock: r.lineItems.some((x) => x.restockType !== "NO_RESTOCK"),
    refund_line_items: r.lineItems.map((x) => ({
      id: x.id,
      line_item_id: x.lineItemId,
      quantity: x.quantity,
      restock_type: x.restockType.toLowerCase(),
      location_id: x.locationId,
      subtotal: fromCents(x.subtotal, o.currency),
      subtotal_set: moneySet(x.subtotal, o.currency),
      total_tax: fromCents(x.tax, o.currency),
      total_tax_set: moneySet(x.tax, o.currency),
      line_item: restLineItem(o, o.lineItems.find((l) => l.id === x.lineItemId)!),
    })),
    transactions: o.transactions.filter((t) => r.transactionIds.includes(t.id)).map((t) => restTransaction(o, t)),
    order_adjustments: r.shipping ? [{ kind: "shipping_refund", amount: fromCents(-r.shipping, o.currency), tax_amount: "0.00", reason: "Shipping refund" }] : [],
  };
}

export function restOrder(shop: ShopState, o: OrderData) {
  const t = orderTotals(o);
  const fs = fulfillmentStatus(o);
  const cur = o.currency;
  return {
    id: o.id,
    admin_graphql_api_id: gid("Order", o.id),
    name: o.name,
    number: o.number - 1000,
    order_number: o.number,
    token: o.token,
    confirmation_number: o.token.slice(0, 9).toUpperCase(),
    email: o.email,
    contact_email: o.email,
    phone: o.phone,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt,
    cancelled_at: o.cancelledAt,
    cancel_reason: lower(o.cancelReason),
    closed_at: o.closedAt,
    confirmed: true,
    test: o.test,
    currency: cur,
    presentment_currency: cur,
    financial_status: financialStatus(o).toLowerCase(),
    fulfillment_status: fs === "FULFILLED" ? "fulfilled" : fs === "PARTIALLY_FULFILLED" ? "partial" : null,
    taxes_included: o.taxesIncluded,
    total_price: fromCents(t.total, o.currency),
    total_price_set: moneySet(t.total, cur),
    subtotal_price: fromCents(t.subtotal, o.currency),
    subtotal_price_set: moneySet(t.subtotal, cur),
    total_line_items_price: fromCents(t.lineItemsTotal, o.currency),
    total_tax: fromCents(t.tax, o.currency),
    total_tax_set: moneySet(t.tax, cur),
    total_discounts: fromCents(t.discounts, o.currency),
    total_discounts_set: moneySet(t.discounts, cur),
    total_shipping_price_set: moneySet(t.shipping, cur),
    current_total_price: fromCents(t.currentTotal, o.currency),
    current_total_price_set: moneySet(t.currentTotal, cur),
    current_subtotal_price: fromCents(t.currentSubtotal, o.currency),
    current_total_tax: fromCents(t.currentTax, o.currency),
    total_outstanding: fromCents(o.cancelledAt ? 0 : t.outstanding, o.currency),
    source_identifier: o.sourceIdentifier,
    source_name: o.sourceName,
    source_url: o.sourceUrl,
    tags: o.tags.join(", "),
    note: o.note,
    note_attributes: o.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    order_status_url: statusPageUrl(shop, o),
    discount_codes: o.discountCodes.map((code) => ({ code, amount: fromCents(t.discounts, o.currency), type: "fixed_amount" })),
    line_items: o.lineItems.map((l) => restLineItem(o, l)),
    shipping_lines: o.shippingLines.map((s) => ({ id: s.id, title: s.title, code: s.code, source: s.source, price: fromCents(s.price, o.currency), discounted_price: fromCents(s.price - s.discount, o.currency), tax_lines: s.taxLines.map((x) => ({ title: x.title, rate: x.rate, price: fromCents(x.amount, o.currency) })) })),
    tax_lines: [...o.lineItems.flatMap((l) => l.taxLines), ...o.shippingLines.flatMap((s) => s.taxLines), ...o.orderTaxLines].map((x) => ({ title: x.title, rate: x.rate, price: fromCents(x.amount, o.currency) })),
    total_line_items_tax: fromCents(o.lineItems.reduce((a, l) => a + lineTax(l), 0), o.currency),
    shipping_address: restAddress(o.shippingAddress),
    billing_address: restAddress(o.billingAddress),
    customer: null,
    fulfillments: o.fulfillments.map((f) => restFulfillment(o, f)),
    refunds: o.refunds.map((r) => restRefund(o, r)),
  };
}

/** Event → REST payload, snapshotted at emit time (later state changes must not leak into it). */
export function payloadFor(shop: ShopState, event: SimEvent): unknown {
  switch (event.topic) {
    case "products/create":
    case "products/update":
      return restProduct(shop, event.product);
    case "products/delete":
      return { id: event.productId };
    case "inventory_levels/update":
      return { inventory_item_id: event.inventoryItemId, location_id: event.locationId, available: event.available, updated_at: event.updatedAt, admin_graphql_api_id: `gid://shopify/InventoryLevel/${event.locationId}?inventory_item_id=${event.inventoryItemId}` };
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
    case "orders/fulfilled":
    case "orders/paid":
      return restOrder(shop, event.order);
    case "fulfillments/create":
    case "fulfillments/update":
      return restFulfillment(event.order, event.order.fulfillments.find((f) => f.id === event.fulfillmentId)!);
    case "refunds/create":
      return restRefund(event.order, event.order.refunds.find((r) => r.id === event.refundId)!);
    case "bulk_operations/finish":
      return {
        admin_graphql_api_id: gid("BulkOperation", event.bulkOperation.id),
        completed_at: event.bulkOperation.completedAt,
        created_at: event.bulkOperation.createdAt,
        error_code: lower(event.bulkOperation.errorCode),
        status: event.bulkOperation.status.toLowerCase(),
        type: "query",
      };
    case "app/uninstalled":
      return { id: 1, name: shop.name, email: shop.email, domain: new URL(shop.primaryDomainUrl).host, myshopify_domain: shop.domain, currency: shop.currencyCode, country_code: shop.countryCode, iana_timezone: shop.ianaTimezone };
  }
}

// ---- delivery ------------------------------------------------------------------------------------------

export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  private pending = new Set<Promise<void>>();

  constructor(
    private config: WebhookConfig | null,
    private readonly apiVersion: string,
    private readonly retryDelaysMs = [50, 150, 400],
    private readonly faults?: FaultInjector,
  ) {}

  configure(config: WebhookConfig | null): void {
    this.config = config;
  }

  get subscriptions(): WebhookSubscription[] {
    return this.config?.subscriptions ?? [];
  }

  handle(shop: ShopState, event: SimEvent): void {
    const subs = this.config?.subscriptions.filter((s) => s.topic === event.topic) ?? [];
    if (!subs.length || !this.config) return;
    const payload = payloadFor(shop, event);
    const body = JSON.stringify(payload);
    const eventId = randomUUID();
    const triggeredAt = new Date().toISOString();
    for (const sub of subs) {
      const d: WebhookDelivery = { webhookId: randomUUID(), eventId, topic: event.topic, shop: shop.domain, uri: sub.uri, payload, attempts: 0, statusCode: null, ok: false, error: null, triggeredAt, deliveredAt: null };
      this.deliveries.push(d);
      const fault = this.faults?.forWebhook(event.topic) ?? "none";
      if (fault === "drop") {
        d.error = "dropped by fault injection";
        continue;
      }
      // A duplicate is a second delivery of the same webhook (same webhook id and event id).
      const copies = fault === "duplicate" ? [d, { ...d }] : [d];
      if (copies.length > 1) this.deliveries.push(copies[1]);
      for (const copy of copies) {
        const p = this.send(copy, body, this.config.secret).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }
    }
  }

  private async send(d: WebhookDelivery, body: string, secret: string): Promise<void> {
    // Deliver after the current request finishes, as Shopify does (never inline with the API call).
    await new Promise((r) => setImmediate(r));
    const maxAttempts = this.retryDelaysMs.length + 1;
    while (d.attempts < maxAttempts) {
      d.attempts++;
      try {
        const res = await fetch(d.uri, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": d.topic,
            "X-Shopify-Hmac-Sha256": shopifyHmac(body, secret),
            "X-Shopify-Shop-Domain": d.shop,
            "X-Shopify-API-Version": this.apiVersion,
            "X-Shopify-Webhook-Id": d.webhookId,
            "X-Shopify-Triggered-At": d.triggeredAt,
            "X-Shopify-Event-Id": d.eventId,
            "User-Agent": "Shopify-Captain-Hook",
          },
          body,
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer().catch(() => undefined);
        d.statusCode = res.status;
        d.error = null;
        if (res.ok) {
          d.ok = true;
          d.deliveredAt = new Date().toISOString();
          return;
        }
      } catch (e) {
        d.error = (e as Error).message;
      }
      const delay = this.retryDelaysMs[d.attempts - 1];
      if (delay === undefined) return;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** Resolves once every delivery started so far (including retries) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

// OrderSink on the Admin API: `orderCreate` with the quoted lines, shipping, taxes, discount, addresses and the
// Stripe charge as a SALE transaction; lookup by `source_identifier` (docs/decisions/0003, 0078). Decimals
// appear only here, at the boundary.
import type { OrderCreation, OrderSink, PaidOrder } from "../checkout/ports";
import { minorToDecimal } from "../money";
import { contactEmail } from "../checkout/status";
import { mailingAddress } from "./mailing-address";
import { AdminApiError, type AdminClient } from "./admin-client";
import {
  AGENT_ORDER_BY_CUSTOM_ID_QUERY,
  AGENT_ORDER_BY_SOURCE_QUERY,
  AGENT_ORDER_CREATE_MUTATION,
  AGENT_ORDER_ID_DEFINITION_MUTATION,
  AGENT_ORDER_SESSION_METAFIELD,
  type AgentOrderByCustomIdResult,
  type AgentOrderBySourceResult,
  type AgentOrderCreateResult,
  type AgentOrderIdDefinitionResult,
  type PlacedOrderNode,
} from "./documents/orders";

export const AGENT_ORDER_TAGS = ["agentic-checkout", "acp"];

/** Shops whose custom-ID definition exists (created now or found taken), per process. */
const definedShops = new Set<string>();

/**
 * Creates the order custom-ID definition once per shop and process. Best effort: without it the order is still
 * created (the metafield is then unstructured) and found by search instead.
 */
async function ensureSessionIdDefinition(admin: AdminClient): Promise<void> {
  if (definedShops.has(admin.shop)) return;
  const { namespace, key, type } = AGENT_ORDER_SESSION_METAFIELD;
  try {
    const { metafieldDefinitionCreate: res } = await admin.request<AgentOrderIdDefinitionResult>(AGENT_ORDER_ID_DEFINITION_MUTATION, {
      definition: { name: "Agent checkout session", namespace, key, type, ownerType: "ORDER", description: "The ACP checkout session this order was created for." },
    });
    if (res.createdDefinition || res.userErrors.some((e) => e.code === "TAKEN")) definedShops.add(admin.shop);
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
  }
}

const placed = (node: PlacedOrderNode) => ({ id: node.id, name: node.name, statusUrl: node.statusPageUrl });

export function createShopifyOrderSink(admin: AdminClient | (() => Promise<AdminClient>)): OrderSink {
  const client = typeof admin === "function" ? admin : async () => admin;
  return {
    async findBySession(checkoutSessionId) {
      const api = await client();
      // First the custom ID: a direct read that sees an order the moment orderCreate made it. Search reads an index
      // that can lag behind orderCreate by seconds, so on its own it would miss an order made just before a crash
      // or a lost answer, and the retry would create a second one (docs/decisions/0156).
      const { namespace, key } = AGENT_ORDER_SESSION_METAFIELD;
      try {
        const { orderByIdentifier: node } = await api.request<AgentOrderByCustomIdResult>(AGENT_ORDER_BY_CUSTOM_ID_QUERY, { identifier: { customId: { namespace, key, value: checkoutSessionId } } });
        if (node && node.sourceIdentifier === checkoutSessionId) return placed(node);
      } catch (error) {
        // A shop where the definition could not be made answers with an error: search is then all we have.
        if (!(error instanceof AdminApiError) || error.kind !== "graphql") throw error;
      }
      // Orders made before the custom ID existed are found by search. Only an order that carries this session's id
      // is ours: search is a filter we do not control (a term it does not honour widens it), and taking a walk-in
      // order of the same buyer would leave a paid session orderless.
      const { orders } = await api.request<AgentOrderBySourceResult>(AGENT_ORDER_BY_SOURCE_QUERY, { query: `source_identifier:'${checkoutSessionId.replace(/[^A-Za-z0-9_-]/g, "")}'` });
      const node = orders.nodes.find((o) => o.sourceIdentifier === checkoutSessionId);
      return node ? placed(node) : null;
    },
    async create(paid): Promise<OrderCreation> {
      const api = await client();
      await ensureSessionIdDefinition(api);
      let orderCreate: AgentOrderCreateResult["orderCreate"];
      try {
        ({ orderCreate } = await api.request<AgentOrderCreateResult>(AGENT_ORDER_CREATE_MUTATION, orderCreateVariables(paid)));
      } catch (error) {
        // A development or trial store takes at most five API orders a minute; Shopify refused this one before
        // making it. The store said no: the charge is refunded and the reason kept (docs/decisions/0157).
        if (isDevelopmentStoreOrderLimit(error)) return { kind: "rejected", reason: "invalid", message: DEVELOPMENT_STORE_LIMIT_MESSAGE };
        throw error;
      }
      if (orderCreate.order) return { kind: "created", order: placed(orderCreate.order) };
      const stock = orderCreate.userErrors.find((e) => e.code === "INVENTORY_CLAIM_FAILED");
      if (stock) return { kind: "rejected", reason: "out_of_stock", message: stock.message, lineIndex: lineIndexOf(stock.field) };
      return { kind: "rejected", reason: "invalid", message: orderCreate.userErrors.map((e) => e.message).join("; ") || "orderCreate returned no order" };
    },
  };
}

export function orderCreateVariables(paid: PaidOrder): { order: Record<string, unknown>; options: Record<string, unknown> } {
  const s = paid.session;
  const cur = s.currency;
  const money = (minor: number) => ({ shopMoney: { amount: minorToDecimal(minor, cur), currencyCode: cur.toUpperCase() } });
  const taxLine = (tax: number, base: number) => (tax > 0 ? [{ title: "Tax", rate: taxRate(tax, base), priceSet: money(tax) }] : []);
  const shipping = s.fulfillmentOptions.find((o) => o.id === s.selectedFulfillmentOptionId);
  const discount = s.totals.itemsDiscount + s.totals.discount;
  const code = s.appliedDiscounts.find((d) => d.code)?.code ?? s.appliedDiscounts[0]?.title ?? "AGENT-DISCOUNT";
  const shippingAddress = s.fulfillmentDetails?.address;
  const phone = [s.fulfillmentDetails?.phoneNumber, s.buyer?.phoneNumber].find((p) => p && /^\+[1-9]\d{6,14}$/.test(p));
  const order: Record<string, unknown> = {
    currency: cur.toUpperCase(),
    taxesIncluded: s.taxesIncluded ?? false,
    lineItems: s.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity, priceSet: money(l.unitAmount), taxLines: taxLine(l.tax, l.subtotal) })),
    // Tax-inclusive stores: the shipping line's price is what the buyer pays for it, its tax inside (0150).
    ...(shipping ? { shippingLines: [{ title: shipping.title, code: shipping.id, source: "shopify", priceSet: money(s.taxesIncluded ? shipping.total : shipping.subtotal), taxLines: taxLine(shipping.tax, shipping.subtotal) }] } : {}),
    ...(discount > 0 ? { discountCode: { itemFixedDiscountCode: { code, amountSet: money(discount) } } } : {}),
    ...(shippingAddress ? { shippingAddress: mailingAddress(shippingAddress, phone) } : {}),
    ...(paid.billingAddress ?? shippingAddress ? { billingAddress: mailingAddress((paid.billingAddress ?? shippingAddress)!, phone) } : {}),
    email: contactEmail(s),
    ...(phone ? { phone } : {}),
    financialStatus: "PAID",
    transactions: [{ kind: "SALE", status: "SUCCESS", gateway: "stripe", amountSet: money(paid.amount), authorizationCode: paid.paymentIntentId, test: paid.test }],
    sourceIdentifier: s.id,
    // sourceName must be a sales channel's attribution handle (shopify.md §4.4); agent orders are marked by tags.
    tags: [...AGENT_ORDER_TAGS, ...(paid.agentName ? [tagOf(paid.agentName)] : [])],
    metafields: [{ ...AGENT_ORDER_SESSION_METAFIELD, value: s.id }],
    customAttributes: [
      { key: "acp_checkout_session_id", value: s.id },
      { key: "acp_payment_intent_id", value: paid.paymentIntentId },
    ],
    ...(s.orderNotes ? { note: s.orderNotes.slice(0, 5000) } : {}),
    test: paid.test,
  };
  // Claim stock obeying each variant's policy (a sold-out DENY variant is INVENTORY_CLAIM_FAILED, not oversold). The
  // order confirmation follows the shop's policy; a shipping confirmation belongs to a fulfillment, and the order is
  // created unfulfilled: Shopify sends that one when the merchant fulfils (docs/decisions/0157).
  return { order, options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY", sendReceipt: paid.sendReceipt, sendFulfillmentReceipt: false } };
}


export const DEVELOPMENT_STORE_LIMIT_MESSAGE =
  "Shopify refused the order: on a development or trial store, apps can create at most five orders a minute. Use a store on a paid plan to sell through agents.";

/** Shopify's answer past a development store's order limit: HTTP 429 "Exceeded order API rate limit…". */
export function isDevelopmentStoreOrderLimit(error: unknown): boolean {
  if (!(error instanceof AdminApiError) || !(error.tooManyRequests || error.kind === "graphql")) return false;
  const errors = error.details.errors;
  const text = typeof errors === "string" ? errors : JSON.stringify(errors ?? "");
  return /order API rate limit/i.test(text);
}

/** tax / base as a decimal with 4 places, from integers (no float money). */
export function taxRate(tax: number, base: number): string {
  if (base <= 0) return "0";
  const tenThousandths = Math.round((tax * 10_000) / base);
  return (tenThousandths / 10_000).toFixed(4);
}

function tagOf(agentName: string): string {
  return `agent:${agentName.replace(/[,]/g, " ").trim().slice(0, 40)}`;
}

function lineIndexOf(field: string[] | null): number | undefined {
  const i = field?.indexOf("lineItems") ?? -1;
  const n = i >= 0 ? Number(field![i + 1]) : NaN;
  return Number.isInteger(n) ? n : undefined;
}


// ACP 2026-04-17: request readers and the session serializer (spec/acp/2026-04-17/json-schema).
import type { CheckoutSession, SessionLine } from "../../checkout/model";
import type { CreateCheckout, UpdateCheckout } from "../../checkout/service";
import type { CompleteCommand } from "../../checkout/complete";
import { V2026_04_17 } from "../versions";
import { compact, readAddress, readBuyer, readFulfillmentDetails, readQuantity, writeAddress, writeLinks, writeMessage, type Json, type WireAddress } from "./common";
import type { PreparedBody, WireVersion } from "./version";

const LINK_TYPES = ["terms_of_use", "privacy_policy", "return_policy", "shipping_policy", "contact_us", "about_us", "faq", "support"] as const;

/**
 * `line_items` is typed `Item`, which has no `quantity` (upstream issue #264; acp.md §8.1). We accept
 * `{id, quantity?}` and `{item: {id}, quantity}`, validate the Item part against the schema and the quantity
 * ourselves (docs/decisions/0020).
 */
function liftQuantities(body: Json): PreparedBody {
  const lines = body.line_items;
  if (!Array.isArray(lines)) return { body, quantities: [] };
  const quantities: unknown[] = [];
  const items = lines.map((entry) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) return entry;
    const { quantity, item, ...rest } = entry as Json;
    quantities.push(quantity);
    if (item && typeof item === "object" && !Array.isArray(item) && rest.id === undefined) return { ...(item as Json), ...rest };
    return item === undefined ? rest : { ...rest, item };
  });
  return { body: { ...body, line_items: items }, quantities };
}

function readLines(body: Json, quantities: unknown[]): { itemId: string; quantity: number }[] | undefined {
  const lines = body.line_items as { id: string }[] | undefined;
  return lines?.map((l, i) => ({ itemId: l.id, quantity: readQuantity(quantities[i], `$.line_items[${i}].quantity`) }));
}

function discountCodes(body: Json): string[] | undefined {
  const codes = (body.discounts as { codes?: string[] } | undefined)?.codes ?? (body.coupons as string[] | undefined);
  return codes?.map((c) => c.trim()).filter(Boolean);
}

export const v20260417: WireVersion = {
  version: V2026_04_17,

  prepareCreate(body) {
    // The official multi-item example omits the required `capabilities`; read its absence as "none" (0020).
    const prepared = liftQuantities(body);
    if (prepared.body.capabilities === undefined) prepared.body = { ...prepared.body, capabilities: {} };
    return prepared;
  },
  prepareUpdate: liftQuantities,

  readCreate(body, quantities): CreateCheckout {
    return {
      currency: body.currency as string,
      lines: readLines(body, quantities) ?? [],
      buyer: readBuyer(body.buyer as Json | undefined),
      fulfillmentDetails: readFulfillmentDetails(body.fulfillment_details as Json | undefined),
      discountCodes: discountCodes(body),
      locale: body.locale as string | undefined,
      orderNotes: body.order_notes as string | undefined,
      metadata: body.metadata as Record<string, unknown> | undefined,
    };
  },

  readUpdate(body, quantities): UpdateCheckout {
    const selected = body.selected_fulfillment_options as { option_id: string }[] | undefined;
    return {
      lines: readLines(body, quantities),
      buyer: readBuyer(body.buyer as Json | undefined),
      fulfillmentDetails: readFulfillmentDetails(body.fulfillment_details as Json | undefined),
      selectedFulfillmentOptionId: selected?.[0]?.option_id,
      discountCodes: discountCodes(body),
      orderNotes: body.order_notes as string | undefined,
    };
  },

  readCancelReason(body) {
    return (body.intent_trace as { reason_code?: string } | undefined)?.reason_code;
  },

  readIntentTrace(body) {
    const trace = body.intent_trace;
    return trace && typeof trace === "object" && !Array.isArray(trace) ? (trace as Record<string, unknown>) : undefined;
  },

  readComplete(body): CompleteCommand {
    const payment = body.payment_data as { handler_id?: string; instrument?: { credential?: { token?: string } }; billing_address?: WireAddress };
    const token = payment.instrument?.credential?.token;
    return {
      payment: token ? { token, handlerId: payment.handler_id, billingAddress: payment.billing_address ? readAddress(payment.billing_address, "$.payment_data.billing_address") : undefined } : undefined,
      buyer: readBuyer(body.buyer as Json | undefined),
      authenticationResult: body.authentication_result as { outcome: string } | undefined,
      orderNotes: body.order_notes as string | undefined,
    };
  },

  mapParam: (param) => param,

  serialize(s: CheckoutSession): Json {
    return compact({
      id: s.id,
      protocol: { version: V2026_04_17 },
      capabilities: {
        payment: { handlers: s.paymentHandler ? [stripeHandler(s.paymentHandler.id, s.paymentHandler.merchantId)] : [] },
        interventions: { supported: s.interventionsSupported, required: [], enforcement: "conditional" },
      },
      buyer: s.buyer?.email
        ? compact({ email: s.buyer.email, first_name: s.buyer.firstName, last_name: s.buyer.lastName, full_name: s.buyer.fullName, phone_number: s.buyer.phoneNumber })
        : undefined,
      status: s.status === "complete_in_progress" ? "complete_in_progress" : s.status,
      currency: s.currency,
      locale: s.locale,
      line_items: s.lines.map(line),
      fulfillment_details: s.fulfillmentDetails
        ? compact({
            name: s.fulfillmentDetails.name,
            phone_number: s.fulfillmentDetails.phoneNumber,
            email: s.fulfillmentDetails.email,
            address: s.fulfillmentDetails.address ? writeAddress(s.fulfillmentDetails.address, true) : undefined,
          })
        : undefined,
      fulfillment_options: s.fulfillmentOptions.map((o) =>
        compact({
          type: o.type,
          id: o.id,
          title: o.title,
          carrier: o.carrier,
          totals: [
            { type: "subtotal", display_text: "Shipping", amount: o.subtotal },
            { type: "tax", display_text: "Tax", amount: o.tax },
            { type: "total", display_text: "Total", amount: o.total },
          ],
        }),
      ),
      selected_fulfillment_options: s.selectedFulfillmentOptionId
        ? [{ type: "shipping", option_id: s.selectedFulfillmentOptionId, item_ids: s.lines.map((l) => l.itemId) }]
        : undefined,
      totals: totals(s),
      messages: s.messages.map((m) => writeMessage(m, true)),
      links: writeLinks(s.links, LINK_TYPES),
      discounts:
        s.discountCodes.length || s.appliedDiscounts.length
          ? {
              codes: s.discountCodes,
              applied: s.appliedDiscounts.map((d) =>
                compact({ id: d.id, code: d.code, coupon: { id: d.id, name: d.title }, amount: d.amount, automatic: d.automatic }),
              ),
              rejected: s.rejectedDiscounts.map((r) => ({ code: r.code, reason: r.reason, message: r.message })),
            }
          : undefined,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      expires_at: s.expiresAt,
      continue_url: s.continueUrl,
      metadata: s.metadata,
      authentication_metadata:
        s.status === "authentication_required" && s.authenticationMetadata
          ? {
              acquirer_details: {
                acquirer_bin: s.authenticationMetadata.acquirerBin,
                acquirer_country: s.authenticationMetadata.acquirerCountry,
                acquirer_merchant_id: s.authenticationMetadata.acquirerMerchantId,
                merchant_name: s.authenticationMetadata.merchantName,
              },
              directory_server: s.authenticationMetadata.directoryServer,
            }
          : undefined,
      order: s.order ? { id: s.order.id, checkout_session_id: s.id, permalink_url: s.order.permalinkUrl } : undefined,
    });
  },
};

function line(l: SessionLine): Json {
  return compact({
    id: l.id,
    item: { id: l.itemId },
    quantity: l.quantity,
    name: l.name,
    images: l.imageUrl ? [l.imageUrl] : undefined,
    unit_amount: l.unitAmount,
    product_id: l.productId,
    variant_id: l.variantId,
    sku: l.sku || undefined,
    availability_status: l.availability,
    available_quantity: l.availableQuantity,
    totals: [
      { type: "items_base_amount", display_text: "Base Amount", amount: l.baseAmount },
      { type: "discount", display_text: "Discount", amount: l.discount },
      { type: "subtotal", display_text: "Subtotal", amount: l.subtotal },
      { type: "tax", display_text: "Tax", amount: l.tax },
      { type: "total", display_text: "Total", amount: l.total },
    ],
  });
}

function totals(s: CheckoutSession): Json[] {
  const t = s.totals;
  const rows: Json[] = [{ type: "items_base_amount", display_text: "Item(s) total", amount: t.itemsBaseAmount }];
  if (t.itemsDiscount) rows.push({ type: "items_discount", display_text: "Item discounts", amount: t.itemsDiscount });
  rows.push({ type: "subtotal", display_text: "Subtotal", amount: t.subtotal });
  if (t.discount) rows.push({ type: "discount", display_text: "Discount", amount: t.discount });
  if (s.selectedFulfillmentOptionId || t.fulfillment) rows.push({ type: "fulfillment", display_text: "Shipping", amount: t.fulfillment });
  rows.push({ type: "tax", display_text: "Tax", amount: t.tax });
  if (t.fee) rows.push({ type: "fee", display_text: "Fee", amount: t.fee });
  rows.push({ type: "total", display_text: "Total", amount: t.total });
  return rows;
}

/** The Stripe shared payment token handler (acp.md §4): the agent scopes the token to `merchant_id`. */
export function stripeHandler(id: string, merchantId: string): Json {
  return {
    id,
    name: "dev.acp.tokenized.card",
    display_name: "Credit Card",
    version: "2026-01-22",
    spec: "https://acp.dev/handlers/tokenized.card",
    requires_delegate_payment: true,
    requires_pci_compliance: false,
    psp: "stripe",
    config_schema: "https://acp.dev/schemas/handlers/tokenized.card/config.json",
    instrument_schemas: ["https://acp.dev/schemas/handlers/tokenized.card/instrument.json"],
    config: { merchant_id: merchantId, psp: "stripe", accepted_brands: ["visa", "mastercard", "amex", "discover"], accepted_funding_types: ["credit", "debit"], supports_3ds: false },
    display_order: 0,
  };
}

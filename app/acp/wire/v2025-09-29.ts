// ACP 2025-09-29 (the shapes in OpenAI's docs, labelled 2025-09-12 there): `items`, flat line amounts,
// `fulfillment_address`, `fulfillment_option_id`, `payment_provider` (spec/acp/2025-09-29/json-schema).
import type { CheckoutMessage, CheckoutSession, CheckoutStatus } from "../../checkout/model";
import type { CreateCheckout, UpdateCheckout } from "../../checkout/service";
import type { CompleteCommand } from "../../checkout/complete";
import { V2025_09_29 } from "../versions";
import { compact, readAddress, readBuyer, readQuantity, writeAddress, writeMessage, type Json, type WireAddress } from "./common";
import type { WireVersion } from "./version";

const ERROR_CODES = new Set(["missing", "invalid", "out_of_stock", "payment_declined", "requires_sign_in", "requires_3ds"]);

/** 2025-09-29 has five statuses; newer internal states map to the nearest one the agent understands. */
const STATUS: Record<CheckoutStatus, string> = {
  not_ready_for_payment: "not_ready_for_payment",
  ready_for_payment: "ready_for_payment",
  authentication_required: "not_ready_for_payment",
  complete_in_progress: "in_progress",
  requires_escalation: "not_ready_for_payment",
  completed: "completed",
  canceled: "canceled",
  expired: "canceled",
};

function readItems(body: Json): { itemId: string; quantity: number }[] | undefined {
  const items = body.items as { id: string; quantity: unknown }[] | undefined;
  return items?.map((i, n) => ({ itemId: i.id, quantity: readQuantity(i.quantity, `$.items[${n}].quantity`) }));
}

/** Request-side paths (`items`) and response-side paths (`line_items[n].item`) in 2025-09-29 terms. */
function mapParam(param: string): string {
  const rules: [RegExp, string][] = [
    [/^\$\.line_items\[(\d+)\]\.item\.id$/, "$.line_items[$1].item.id"],
    [/^\$\.line_items\[(\d+)\]\.quantity$/, "$.line_items[$1].item.quantity"],
    [/^\$\.line_items\[(\d+)\]\.id$/, "$.items[$1].id"],
    [/^\$\.line_items$/, "$.items"],
    [/^\$\.fulfillment_details\.address/, "$.fulfillment_address"],
    [/^\$\.selected_fulfillment_options.*$/, "$.fulfillment_option_id"],
    [/^\$\.discounts\.codes.*$/, "$"],
  ];
  for (const [pattern, replacement] of rules) if (pattern.test(param)) return param.replace(pattern, replacement);
  return param;
}

/** Codes this version lacks become `invalid`; warnings (absent here) become info messages. */
function downgrade(m: CheckoutMessage): CheckoutMessage {
  if (m.type === "error" && !ERROR_CODES.has(m.code)) return { ...m, code: "invalid" };
  if (m.type === "warning") return { type: "info", param: m.param, content: m.content };
  return m;
}

export const v20250929: WireVersion = {
  version: V2025_09_29,
  prepareCreate: (body) => ({ body, quantities: [] }),
  prepareUpdate: (body) => ({ body, quantities: [] }),

  readCreate(body): CreateCheckout {
    const address = body.fulfillment_address as WireAddress | undefined;
    return {
      lines: readItems(body) ?? [],
      buyer: readBuyer(body.buyer as Json | undefined),
      fulfillmentDetails: address ? { address: readAddress(address, "$.fulfillment_address") } : undefined,
    };
  },

  readUpdate(body): UpdateCheckout {
    const address = body.fulfillment_address as WireAddress | undefined;
    return {
      lines: readItems(body),
      buyer: readBuyer(body.buyer as Json | undefined),
      fulfillmentDetails: address ? { address: readAddress(address, "$.fulfillment_address") } : undefined,
      selectedFulfillmentOptionId: body.fulfillment_option_id as string | undefined,
    };
  },

  readCancelReason: () => undefined,
  readIntentTrace: () => undefined,

  readComplete(body): CompleteCommand {
    const payment = body.payment_data as { token: string; provider: string; billing_address?: WireAddress };
    return {
      payment: { token: payment.token, billingAddress: payment.billing_address ? readAddress(payment.billing_address, "$.payment_data.billing_address") : undefined },
      buyer: readBuyer(body.buyer as Json | undefined),
    };
  },
  mapParam,

  serialize(s: CheckoutSession): Json {
    const b = s.buyer;
    const address = s.fulfillmentDetails?.address;
    const t = s.totals;
    const totals: Json[] = [{ type: "items_base_amount", display_text: "Item(s) total", amount: t.itemsBaseAmount }];
    if (t.itemsDiscount) totals.push({ type: "items_discount", display_text: "Item discounts", amount: t.itemsDiscount });
    totals.push({ type: "subtotal", display_text: "Subtotal", amount: t.subtotal });
    if (t.discount) totals.push({ type: "discount", display_text: "Discount", amount: t.discount });
    if (s.selectedFulfillmentOptionId || t.fulfillment) totals.push({ type: "fulfillment", display_text: "Shipping", amount: t.fulfillment });
    totals.push({ type: "tax", display_text: "Tax", amount: t.tax });
    if (t.fee) totals.push({ type: "fee", display_text: "Fee", amount: t.fee });
    totals.push({ type: "total", display_text: "Total", amount: t.total });

    const links: Json[] = [];
    for (const l of s.links) {
      if (l.type === "terms_of_use" || l.type === "privacy_policy") links.push({ type: l.type, url: l.url });
      else if ((l.type === "return_policy" || l.type === "shipping_policy") && !links.some((x) => x.type === "seller_shop_policies"))
        links.push({ type: "seller_shop_policies", url: l.url });
    }

    return compact({
      id: s.id,
      buyer: b?.email && b.firstName && b.lastName ? compact({ first_name: b.firstName, last_name: b.lastName, email: b.email, phone_number: b.phoneNumber }) : undefined,
      payment_provider: s.paymentHandler ? { provider: "stripe", supported_payment_methods: ["card"] } : undefined,
      status: STATUS[s.status],
      currency: s.currency,
      line_items: s.lines.map((l) => ({
        id: l.id,
        item: { id: l.itemId, quantity: l.quantity },
        base_amount: l.baseAmount,
        discount: l.discount,
        subtotal: l.subtotal,
        tax: l.tax,
        total: l.total,
      })),
      fulfillment_address: address ? writeAddress(address, false) : undefined,
      fulfillment_options: s.fulfillmentOptions.map((o) => compact({ type: o.type, id: o.id, title: o.title, carrier: o.carrier, subtotal: o.subtotal, tax: o.tax, total: o.total })),
      fulfillment_option_id: s.selectedFulfillmentOptionId,
      totals,
      messages: s.messages.map((m) => {
        const down = downgrade(m);
        return writeMessage({ ...down, param: down.param ? mapParam(down.param) : undefined } as CheckoutMessage, false);
      }),
      links,
      order: s.order ? { id: s.order.id, checkout_session_id: s.id, permalink_url: s.order.permalinkUrl } : undefined,
    });
  },
};

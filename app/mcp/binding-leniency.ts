// The binding's own examples (examples.mcp.agentic_checkout.json) use two shapes its JSON Schema rejects: the
// 2025-12-12 nested fulfillment selection `{type, shipping:{option_id, item_ids}}` and a bare
// `instrument:{token}`. Agents copy examples, so an MCP payload is read in those shapes too and rewritten to the
// schema's before it reaches the (strict) core (docs/decisions/0092). Anything else passes through untouched.
import type { CheckoutToolName } from "./binding";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => !!value && typeof value === "object" && !Array.isArray(value);

export function readBindingPayload(tool: CheckoutToolName, payload: Json): Json {
  if (tool === "update_checkout_session" && Array.isArray(payload.selected_fulfillment_options)) {
    return { ...payload, selected_fulfillment_options: payload.selected_fulfillment_options.map(flattenSelection) };
  }
  if (tool === "complete_checkout_session" && isObject(payload.payment_data) && isObject(payload.payment_data.instrument)) {
    const instrument = payload.payment_data.instrument;
    if (typeof instrument.token === "string" && instrument.type === undefined && instrument.credential === undefined) {
      const { token, ...rest } = instrument;
      return { ...payload, payment_data: { ...payload.payment_data, instrument: { ...rest, type: "card", credential: { type: "spt", token } } } };
    }
  }
  return payload;
}

function flattenSelection(selection: unknown): unknown {
  if (!isObject(selection) || selection.option_id !== undefined || typeof selection.type !== "string") return selection;
  const nested = selection[selection.type];
  if (!isObject(nested) || typeof nested.option_id !== "string") return selection;
  const { [selection.type]: _nested, ...rest } = selection;
  return { ...rest, option_id: nested.option_id, ...(nested.item_ids !== undefined ? { item_ids: nested.item_ids } : {}) };
}

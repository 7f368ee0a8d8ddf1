// Validators for order events: the official 2026-04-17 JSON Schema bundle (Order, with the webhook's
// EventDataOrder requirements from openapi.agentic_checkout_webhook.yaml), and the legacy event shape of
// 2025-09-29 … 2026-01-30 written out by hand from that version's webhook OpenAPI file.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import bundle from "../../spec/acp/2026-04-17/json-schema/schema.agentic_checkout.json";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(bundle as Record<string, unknown>, "bundle");

/** WebhookEvent (2026-04-17): {type: string, data: EventDataOrder = Order + required type/status}. */
export const validateOrderEvent2026 = ajv.compile({
  type: "object",
  additionalProperties: false,
  required: ["type", "data"],
  properties: {
    type: { type: "string" },
    data: { allOf: [{ $ref: "bundle#/$defs/Order" }], required: ["type", "checkout_session_id", "permalink_url", "status"] },
  },
});

export const validateOrder2026 = ajv.compile({ $ref: "bundle#/$defs/Order" });

/** WebhookEvent before 2026-04-17 (status enum of 2025-09-29; refunds[] required). */
export const validateOrderEventLegacy = ajv.compile({
  type: "object",
  additionalProperties: false,
  required: ["type", "data"],
  properties: {
    type: { type: "string" },
    data: {
      type: "object",
      additionalProperties: false,
      required: ["type", "checkout_session_id", "permalink_url", "status", "refunds"],
      properties: {
        type: { const: "order" },
        checkout_session_id: { type: "string" },
        permalink_url: { type: "string", format: "uri" },
        status: { enum: ["created", "manual_review", "confirmed", "canceled", "shipped", "fulfilled"] },
        refunds: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["type", "amount"],
            properties: { type: { enum: ["store_credit", "original_payment"] }, amount: { type: "integer", minimum: 0 } },
          },
        },
      },
    },
  },
});

export function errorsOf(validate: { errors?: unknown }): string {
  return JSON.stringify(validate.errors ?? [], null, 1);
}

// Every GraphQL document the app sends is validated against Shopify's Admin schema 2026-10.
// Documents are written as `/* GraphQL */ \`…\`` literals anywhere under app/; this test finds them all.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, NoDeprecatedCustomRule, parse, validate, type GraphQLInputType } from "graphql";
import { orderCreateVariables } from "../app/shopify/order-sink";
import { quoteInput } from "../app/shopify/pricer";
import type { CheckoutSession } from "../app/checkout/model";
import { adminSchema } from "./support/admin-schema";

const appDir = path.resolve(import.meta.dirname, "../app");
const MARKER = /\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const documents = sourceFiles(appDir).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(MARKER)].map((m) => ({ file: path.relative(appDir, file), source: m[1] })),
);

describe("Admin GraphQL documents in app/", () => {
  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.some((d) => d.source.includes("query ShopDetails"))).toBe(true);
  });

  it("contain no template interpolation (each document is static and checkable)", () => {
    for (const doc of documents) expect(doc.source, doc.file).not.toContain("${");
  });

  it.each(documents.map((d) => [`${d.file}: ${/(query|mutation)\s+(\w+)/.exec(d.source)?.[2] ?? "?"}`, d] as const))(
    "%s validates against Admin 2026-10",
    (_name, doc) => {
      const errors = validate(adminSchema(), parse(doc.source));
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );

  // graphql-js's NoDeprecatedCustomRule reports deprecated fields, arguments, input fields and enum values
  // (literals in the document). 2026-10 deprecates e.g. InventoryItem.variant, ProductVariant.image and
  // Shop.billingAddress; the app uses their successors (docs/decisions/0155).
  it.each(documents.map((d) => [`${d.file}: ${/(query|mutation)\s+(\w+)/.exec(d.source)?.[2] ?? "?"}`, d] as const))(
    "%s uses nothing 2026-10 deprecates",
    (_name, doc) => {
      const errors = validate(adminSchema(), parse(doc.source), [NoDeprecatedCustomRule]);
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );

  it("the deprecation check is live: each field the app used to read is reported", () => {
    const old = parse("query Old($id: ID!) { shop { billingAddress { countryCodeV2 } } inventoryItem(id: $id) { variant { id } } productVariant(id: $id) { image { url } } }");
    const messages = validate(adminSchema(), old, [NoDeprecatedCustomRule]).map((e) => e.message);
    expect(messages).toEqual([
      expect.stringMatching(/Shop\.billingAddress is deprecated/),
      expect.stringMatching(/InventoryItem\.variant is deprecated/),
      expect.stringMatching(/ProductVariant\.image is deprecated/),
    ]);
    const argAndEnum = parse(
      'mutation Old { orderCancel(orderId: "gid://shopify/Order/1", reason: CUSTOMER, restock: false, refund: true) { job { id } } stagedUploadsCreate(input: [{ resource: PRODUCT_IMAGE, filename: "a.png", mimeType: "image/png" }]) { userErrors { message } } }',
    );
    expect(validate(adminSchema(), argAndEnum, [NoDeprecatedCustomRule]).map((e) => e.message)).toEqual([
      expect.stringMatching(/argument "refund" is deprecated/),
      expect.stringMatching(/enum value "StagedUploadTargetGenerateUploadResource\.PRODUCT_IMAGE" is deprecated/),
    ]);
  });

  // The rule sees only literals in the document. The inputs travel as variables, so the values the app builds for
  // them (every optional part filled in) are walked against their input types the same way.
  it.each([
    ["AgentOrderCreate", "OrderCreateOrderInput", () => orderCreateVariables(paidOrder()).order],
    ["AgentOrderCreate", "OrderCreateOptionsInput", () => orderCreateVariables(paidOrder()).options],
    ["CheckoutQuote", "DraftOrderInput", () => quoteInput({ lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }], currency: "usd", email: "a@b.example", discountCodes: ["SAVE"], address: ADDRESS, shippingOptionId: "shopify-Standard-5.00" })],
  ] as const)("%s variables (%s) use no deprecated input field or enum value", (_op, typeName, build) => {
    const value = build();
    expect(deprecatedInValue(adminSchema().getType(typeName) as GraphQLInputType, value, typeName)).toEqual([]);
  });

  it("the variables walk is live: a deprecated input field and enum value are reported", () => {
    const found = deprecatedInValue(adminSchema().getType("OrderCreateOrderInput") as GraphQLInputType, { currency: "BYR", customerId: "gid://shopify/Customer/1", billingAddress: { country: "US" } }, "order");
    expect(found).toEqual(["order.currency = BYR: Use `BYN` instead.", "order.customerId: This is replaced by the `customer` field in a future version.", "order.billingAddress.country: Use `countryCode` instead."]);
  });

  it("the validator is strict: a misspelled field fails", () => {
    const errors = validate(adminSchema(), parse("query Bad { shop { naem } }"));
    expect(errors[0]?.message).toMatch(/Cannot query field "naem" on type "Shop"/);
  });
});

/** Deprecated input fields and enum values in a variable's value, as `path: reason`. */
function deprecatedInValue(type: GraphQLInputType, value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  if (isNonNullType(type)) return deprecatedInValue(type.ofType, value, path);
  if (isListType(type)) return (Array.isArray(value) ? value : [value]).flatMap((v, i) => deprecatedInValue(type.ofType as GraphQLInputType, v, `${path}[${i}]`));
  const named = getNamedType(type);
  if (isEnumType(named)) {
    const reason = named.getValue(String(value))?.deprecationReason;
    return reason ? [`${path} = ${String(value)}: ${reason}`] : [];
  }
  if (!isInputObjectType(named)) return [];
  const fields = named.getFields();
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const field = fields[key];
    if (!field || v === undefined) return [];
    return [...(field.deprecationReason ? [`${path}.${key}: ${field.deprecationReason}`] : []), ...deprecatedInValue(field.type, v, `${path}.${key}`)];
  });
}

const ADDRESS = { name: "Ann Lee", lineOne: "1 Main St", lineTwo: "Apt 2", company: "Lee & Co", city: "Austin", state: "TX", country: "US", postalCode: "78701" };

/** A paid session with every optional part the order input can carry: shipping, discount, phone, billing, notes. */
function paidOrder() {
  const session = {
    id: "cs_deprecations",
    currency: "usd",
    lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 2, unitAmount: 1000, subtotal: 2000, tax: 160 }],
    fulfillmentOptions: [{ id: "shopify-Standard-5.00", title: "Standard", subtotal: 500, tax: 40 }],
    selectedFulfillmentOptionId: "shopify-Standard-5.00",
    totals: { itemsDiscount: 100, discount: 0 },
    appliedDiscounts: [{ code: "SAVE", title: "Save" }],
    fulfillmentDetails: { address: ADDRESS, phoneNumber: "+15125550100", email: "ann@example.com" },
    buyer: { email: "ann@example.com", phoneNumber: "+15125550100" },
    orderNotes: "Leave at the door",
  } as unknown as CheckoutSession;
  return { session, paymentIntentId: "pi_1", amount: 2600, currency: "usd", test: true, billingAddress: ADDRESS, agentName: "ChatGPT", sendReceipt: true };
}

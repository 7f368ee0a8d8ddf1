// Shopify REST webhook payloads as Shopify documents them (orders/*, fulfillments/*, refunds/create), trimmed to
// the fields the app reads plus some PII it must not keep.
export const ORDER_ID = 820982911946154500;
export const LINE_A = 466157049;
export const LINE_B = 518995019;

export function restOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: ORDER_ID,
    admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
    name: "#1001",
    email: "buyer@example.com",
    phone: "+15555550100",
    currency: "USD",
    created_at: "2026-11-20T10:00:00-05:00",
    updated_at: "2026-11-20T10:00:00-05:00",
    financial_status: "paid",
    fulfillment_status: null,
    cancelled_at: null,
    cancel_reason: null,
    order_status_url: "https://demo.example/123/orders/abc/authenticate?key=xyz",
    source_identifier: "cs_test_1",
    note_attributes: [],
    subtotal_price: "59.00",
    total_discounts: "0.00",
    total_tax: "4.72",
    total_price: "68.72",
    total_shipping_price_set: { shop_money: { amount: "5.00", currency_code: "USD" }, presentment_money: { amount: "5.00", currency_code: "USD" } },
    shipping_address: { first_name: "Ada", address1: "1 Main St", city: "Springfield", zip: "12345" },
    customer: { id: 1, email: "buyer@example.com" },
    line_items: [
      { id: LINE_A, admin_graphql_api_id: `gid://shopify/LineItem/${LINE_A}`, product_id: 632910392, variant_id: 39072856, title: "Trail Shoe", name: "Trail Shoe - 42", quantity: 2, current_quantity: 2, fulfillable_quantity: 2, price: "25.00", total_discount: "0.00", requires_shipping: true, sku: "TS-42" },
      { id: LINE_B, admin_graphql_api_id: `gid://shopify/LineItem/${LINE_B}`, product_id: 632910393, variant_id: 49148385, title: "Socks", name: "Socks", quantity: 1, current_quantity: 1, fulfillable_quantity: 1, price: "9.00", total_discount: "0.00", requires_shipping: true, sku: "SK-1" },
    ],
    fulfillments: [],
    refunds: [],
    ...overrides,
  };
}

export function restFulfillment(overrides: Record<string, unknown> = {}) {
  return {
    id: 255858046,
    admin_graphql_api_id: "gid://shopify/Fulfillment/255858046",
    order_id: ORDER_ID,
    status: "success",
    created_at: "2026-11-21T09:00:00-05:00",
    updated_at: "2026-11-21T09:00:00-05:00",
    shipment_status: null,
    tracking_company: "UPS",
    tracking_number: "1Z2345",
    tracking_numbers: ["1Z2345"],
    tracking_url: "https://www.ups.com/track?tracknum=1Z2345",
    tracking_urls: ["https://www.ups.com/track?tracknum=1Z2345"],
    line_items: [
      { id: LINE_A, admin_graphql_api_id: `gid://shopify/LineItem/${LINE_A}`, quantity: 2 },
      { id: LINE_B, admin_graphql_api_id: `gid://shopify/LineItem/${LINE_B}`, quantity: 1 },
    ],
    ...overrides,
  };
}

export function restRefund(overrides: Record<string, unknown> = {}) {
  return {
    id: 509562969,
    admin_graphql_api_id: "gid://shopify/Refund/509562969",
    order_id: ORDER_ID,
    created_at: "2026-11-22T12:00:00-05:00",
    processed_at: "2026-11-22T12:00:00-05:00",
    note: "Customer changed their mind",
    refund_line_items: [{ id: 104689539, line_item_id: LINE_B, quantity: 1, subtotal: "9.00", total_tax: "0.72", line_item: { id: LINE_B, admin_graphql_api_id: `gid://shopify/LineItem/${LINE_B}` } }],
    transactions: [{ id: 245135, admin_graphql_api_id: "gid://shopify/OrderTransaction/245135", kind: "refund", status: "success", gateway: "stripe-acp", amount: "9.72", currency: "USD", parent_id: 801038806 }],
    order_adjustments: [],
    ...overrides,
  };
}

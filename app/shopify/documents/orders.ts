// Admin GraphQL documents for recording a paid agent checkout as a Shopify order (shopify.md §4.4). Validated
// against the pinned Admin schema in tests.

/** Creates the order with the Stripe charge as its transaction. No @idempotent support: look up before any retry. */
export const AGENT_ORDER_CREATE_MUTATION = /* GraphQL */ `
  mutation AgentOrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order {
        id
        name
        statusPageUrl
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Finds the order made for a checkout session (`sourceIdentifier` = the session id). */
export const AGENT_ORDER_BY_SOURCE_QUERY = /* GraphQL */ `
  query AgentOrderBySource($query: String!) {
    orders(first: 10, query: $query) {
      nodes {
        id
        name
        statusPageUrl
        sourceIdentifier
      }
    }
  }
`;

export interface PlacedOrderNode {
  id: string;
  name: string;
  statusPageUrl: string;
  sourceIdentifier?: string | null;
}

export interface AgentOrderCreateResult {
  orderCreate: {
    order: PlacedOrderNode | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  };
}

export interface AgentOrderBySourceResult {
  orders: { nodes: PlacedOrderNode[] };
}

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

/**
 * The order's custom ID (docs/decisions/0156): an `id` metafield in the app's namespace holding the checkout session
 * id. `id` metafields have unique values, and `orderByIdentifier` reads them directly, not through search.
 */
export const AGENT_ORDER_SESSION_METAFIELD = { namespace: "$app", key: "checkout_session_id", type: "id" } as const;

export const AGENT_ORDER_ID_DEFINITION_MUTATION = /* GraphQL */ `
  mutation AgentOrderIdDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Finds the order made for a checkout session by its custom ID: a direct read, seen at once after orderCreate. */
export const AGENT_ORDER_BY_CUSTOM_ID_QUERY = /* GraphQL */ `
  query AgentOrderByCustomId($identifier: OrderIdentifierInput!) {
    orderByIdentifier(identifier: $identifier) {
      id
      name
      statusPageUrl
      sourceIdentifier
    }
  }
`;

export interface AgentOrderIdDefinitionResult {
  metafieldDefinitionCreate: { createdDefinition: { id: string } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] };
}

export interface AgentOrderByCustomIdResult {
  orderByIdentifier: PlacedOrderNode | null;
}

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

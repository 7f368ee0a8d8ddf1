// Catalog reads (shopify.md §4.1). The bulk export's inner query is itself a document: it is validated
// like every other, and its GTIN metafield namespace/key are substituted at run time (validated first).

/** The inner query of the full-sync bulk export: products → variants, media, collections (4 connections,
 * depth 2, no `first`, as bulk operations require). Variant images need a third level, so the feed uses
 * product images for every variant (docs/decisions/0048). */
export const CATALOG_BULK_EXPORT_QUERY = /* GraphQL */ `
  {
    products {
      edges {
        node {
          id
          handle
          title
          descriptionHtml
          vendor
          productType
          status
          tags
          onlineStoreUrl
          updatedAt
          category {
            fullName
          }
          media {
            edges {
              node {
                ... on MediaImage {
                  id
                  image {
                    url
                    altText
                    width
                    height
                  }
                }
              }
            }
          }
          collections {
            edges {
              node {
                id
              }
            }
          }
          variants {
            edges {
              node {
                id
                title
                position
                sku
                barcode
                price
                compareAtPrice
                inventoryPolicy
                inventoryQuantity
                selectedOptions {
                  name
                  value
                }
                gtin: metafield(namespace: "custom", key: "gtin") {
                  value
                }
                inventoryItem {
                  id
                  tracked
                  requiresShipping
                  measurement {
                    weight {
                      value
                      unit
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const CATALOG_BULK_RUN_MUTATION = /* GraphQL */ `
  mutation CatalogBulkExport($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const CATALOG_BULK_OPERATION_QUERY = /* GraphQL */ `
  query CatalogBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      url
    }
  }
`;

/** Products by id, for webhooks and reconcile: the same fields as the bulk export. */
export const CATALOG_PRODUCTS_BY_ID_QUERY = /* GraphQL */ `
  query CatalogProductsById($ids: [ID!]!, $gtinNamespace: String!, $gtinKey: String!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        handle
        title
        descriptionHtml
        vendor
        productType
        status
        tags
        onlineStoreUrl
        updatedAt
        category {
          fullName
        }
        media(first: 20) {
          nodes {
            ... on MediaImage {
              id
              image {
                url
                altText
                width
                height
              }
            }
          }
        }
        collections(first: 100) {
          nodes {
            id
          }
        }
        variants(first: 100) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            ...CatalogVariantFields
          }
        }
      }
    }
  }

  fragment CatalogVariantFields on ProductVariant {
    id
    title
    position
    sku
    barcode
    price
    compareAtPrice
    inventoryPolicy
    inventoryQuantity
    selectedOptions {
      name
      value
    }
    gtin: metafield(namespace: $gtinNamespace, key: $gtinKey) {
      value
    }
    inventoryItem {
      id
      tracked
      requiresShipping
      measurement {
        weight {
          value
          unit
        }
      }
    }
  }
`;

/** The rest of a product's variants when it has more than one page of them. */
export const CATALOG_PRODUCT_VARIANTS_QUERY = /* GraphQL */ `
  query CatalogProductVariants($id: ID!, $after: String, $gtinNamespace: String!, $gtinKey: String!) {
    product(id: $id) {
      variants(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          title
          position
          sku
          barcode
          price
          compareAtPrice
          inventoryPolicy
          inventoryQuantity
          selectedOptions {
            name
            value
          }
          gtin: metafield(namespace: $gtinNamespace, key: $gtinKey) {
            value
          }
          inventoryItem {
            id
            tracked
            requiresShipping
            measurement {
              weight {
                value
                unit
              }
            }
          }
        }
      }
    }
  }
`;

export const CATALOG_INVENTORY_ITEM_PRODUCT_QUERY = /* GraphQL */ `
  query CatalogInventoryItemProduct($id: ID!) {
    inventoryItem(id: $id) {
      id
      variants(first: 1) {
        nodes {
          id
          product {
            id
          }
        }
      }
    }
  }
`;

export const CATALOG_PRODUCTS_UPDATED_SINCE_QUERY = /* GraphQL */ `
  query CatalogProductsUpdatedSince($query: String!, $after: String) {
    products(first: 250, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
      }
    }
  }
`;

export const CATALOG_COLLECTIONS_QUERY = /* GraphQL */ `
  query CatalogCollections {
    collections(first: 250, sortKey: TITLE) {
      nodes {
        id
        title
      }
    }
  }
`;

// ---- Response shapes ----

export interface GqlImage { url: string; altText: string | null; width: number | null; height: number | null }
export interface GqlVariant {
  id: string;
  title: string;
  position: number;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryQuantity: number | null;
  selectedOptions: Array<{ name: string; value: string }>;
  gtin: { value: string } | null;
  inventoryItem: { id: string; tracked: boolean; requiresShipping: boolean; measurement: { weight: { value: number; unit: string } | null } | null } | null;
}
export interface GqlProductScalars {
  id: string;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  onlineStoreUrl: string | null;
  updatedAt: string | null;
  category: { fullName: string } | null;
}
export interface GqlProductNode extends GqlProductScalars {
  media: { nodes: Array<{ id?: string; image?: GqlImage | null }> };
  collections: { nodes: Array<{ id: string }> };
  variants: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GqlVariant[] };
}
export interface CatalogProductsByIdResult { nodes: Array<GqlProductNode | Record<string, never> | null> }
export interface CatalogProductVariantsResult { product: { variants: GqlProductNode["variants"] } | null }
export interface CatalogBulkExportResult {
  bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: Array<{ field: string[] | null; message: string; code: string | null }> };
}
export interface CatalogBulkOperationResult {
  bulkOperation: { id: string; status: string; errorCode: string | null; objectCount: string | number; url: string | null } | null;
}
export interface CatalogInventoryItemProductResult { inventoryItem: { id: string; variants: { nodes: Array<{ id: string; product: { id: string } }> } | null } | null }
export interface CatalogProductsUpdatedSinceResult { products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string }> } }
export interface CatalogCollectionsResult { collections: { nodes: Array<{ id: string; title: string }> } }

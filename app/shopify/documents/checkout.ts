// Admin GraphQL documents for pricing an agent checkout (shopify.md §4.1, §4.3). Validated against the pinned
// Admin schema in tests.

/** Re-reads variants by GID with what a checkout needs: price, stock, titles, image, and the product's opt-in facts. */
export const CHECKOUT_VARIANTS_QUERY = /* GraphQL */ `
  query CheckoutVariants($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        title
        sku
        price
        availableForSale
        inventoryPolicy
        inventoryQuantity
        inventoryItem {
          tracked
        }
        media(first: 1) {
          nodes {
            preview {
              image {
                url
              }
            }
          }
        }
        product {
          id
          title
          status
          tags
          featuredMedia {
            preview {
              image {
                url
              }
            }
          }
          collections(first: 50) {
            nodes {
              id
            }
          }
        }
      }
    }
  }
`;

/** Quotes a cart with Shopify's own prices, discounts, shipping rates and taxes; nothing is persisted. */
export const CHECKOUT_QUOTE_MUTATION = /* GraphQL */ `
  mutation CheckoutQuote($input: DraftOrderInput!) {
    draftOrderCalculate(input: $input) {
      calculatedDraftOrder {
        currencyCode
        taxesIncluded
        lineItems {
          quantity
          requiresShipping
          taxable
          variant {
            id
            title
            sku
            availableForSale
            inventoryPolicy
            inventoryQuantity
            inventoryItem {
              tracked
            }
            product {
              id
              title
            }
          }
          originalUnitPriceSet {
            shopMoney {
              amount
            }
          }
          originalTotalSet {
            shopMoney {
              amount
            }
          }
          totalDiscountSet {
            shopMoney {
              amount
            }
          }
        }
        availableShippingRates {
          handle
          title
          price {
            amount
          }
        }
        shippingLine {
          shippingRateHandle
          taxLines {
            priceSet {
              shopMoney {
                amount
              }
            }
          }
        }
        totalShippingPriceSet {
          shopMoney {
            amount
          }
        }
        totalTaxSet {
          shopMoney {
            amount
          }
        }
        totalDiscountsSet {
          shopMoney {
            amount
          }
        }
        totalPriceSet {
          shopMoney {
            amount
          }
        }
        platformDiscounts {
          code
          title
          automaticDiscount
          totalAmountPriceSet {
            shopMoney {
              amount
            }
          }
        }
        warnings {
          field
          message
          ... on DraftOrderDiscountNotAppliedWarning {
            discountCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

interface MoneyBag {
  shopMoney: { amount: string };
}

export interface VariantFactsNode {
  id: string;
  title: string;
  sku: string | null;
  price?: string;
  availableForSale: boolean;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryQuantity: number | null;
  inventoryItem: { tracked: boolean } | null;
  media?: { nodes: Array<{ preview: { image: { url: string } | null } | null }> };
  product: {
    id: string;
    title: string;
    status?: string;
    tags?: string[];
    featuredMedia?: { preview: { image: { url: string } | null } | null } | null;
    collections?: { nodes: { id: string }[] };
  };
}

export interface CheckoutVariantsResult {
  nodes: (VariantFactsNode | Record<string, never> | null)[];
}

export interface CheckoutQuoteResult {
  draftOrderCalculate: {
    calculatedDraftOrder: {
      currencyCode: string;
      taxesIncluded: boolean;
      lineItems: {
        quantity: number;
        requiresShipping: boolean;
        taxable: boolean;
        variant: VariantFactsNode | null;
        originalUnitPriceSet: MoneyBag;
        originalTotalSet: MoneyBag;
        totalDiscountSet: MoneyBag;
      }[];
      availableShippingRates: { handle: string; title: string; price: { amount: string } }[];
      shippingLine: { shippingRateHandle: string | null; taxLines: { priceSet: MoneyBag }[] } | null;
      totalShippingPriceSet: MoneyBag;
      totalTaxSet: MoneyBag;
      totalDiscountsSet: MoneyBag;
      totalPriceSet: MoneyBag;
      platformDiscounts: { code: string | null; title: string; automaticDiscount: boolean; totalAmountPriceSet: MoneyBag }[];
      warnings: { field: string; message: string; discountCode?: string }[];
    } | null;
    userErrors: { field: string[] | null; message: string }[];
  };
}

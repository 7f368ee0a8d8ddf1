/** The shop's identity, currency, country and policy URLs: read at install and on demand. */
export const SHOP_DETAILS_QUERY = /* GraphQL */ `
  query ShopDetails {
    shop {
      name
      email
      myshopifyDomain
      currencyCode
      primaryDomain {
        url
      }
      shopAddress {
        countryCodeV2
      }
      shopPolicies {
        type
        url
        title
      }
    }
  }
`;

export interface ShopDetails {
  shop: {
    name: string;
    email: string | null;
    myshopifyDomain: string;
    currencyCode: string;
    primaryDomain: { url: string } | null;
    shopAddress: { countryCodeV2: string | null } | null;
    shopPolicies: Array<{ type: string; url: string; title: string }>;
  };
}

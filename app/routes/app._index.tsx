import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const where = { shopId: shop.id };
  const [activeKeys, catalogItems, eligibleItems, sessions, orders] = await Promise.all([
    services.db.agentApiKey.count({ where: { ...where, revokedAt: null } }),
    services.db.catalogItem.count({ where: { ...where, deletedAt: null } }),
    services.db.catalogItem.count({ where: { ...where, deletedAt: null, eligible: true } }),
    services.db.checkoutSession.count({ where }),
    services.db.agentOrder.count({ where }),
  ]);
  const policies = JSON.parse(shop.policiesJson) as Record<string, string>;
  return json({
    shop: { name: shop.name, domain: shop.domain, currency: shop.currencyCode, country: shop.countryCode, url: shop.primaryUrl, policies },
    counts: { activeKeys, catalogItems, eligibleItems, sessions, orders },
  });
};

export default function Home() {
  const { shop, counts } = useLoaderData<typeof loader>();
  return (
    <Page title="Agentic Checkout" subtitle={`Sell ${shop.name}'s products through AI agents`}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {shop.name}
              </Text>
              <Text as="p" tone="subdued" id="shop-domain">
                {shop.domain} · {shop.currency} · {shop.country}
              </Text>
              {shop.url ? <Link url={shop.url} target="_blank">{shop.url}</Link> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Stat label="Products in the feed" value={`${counts.eligibleItems} of ${counts.catalogItems} variants`} />
            <Stat label="Agent checkout sessions" value={String(counts.sessions)} />
            <Stat label="Agent orders" value={String(counts.orders)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Store policies
              </Text>
              <List>
                {Object.entries(shop.policies).map(([type, url]) => (
                  <List.Item key={type}>
                    <Link url={url} target="_blank">
                      {type.replaceAll("_", " ").toLowerCase()}
                    </Link>
                  </List.Item>
                ))}
              </List>
              <Text as="p" tone="subdued">
                {counts.activeKeys} active agent API key{counts.activeKeys === 1 ? "" : "s"}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

// Home: can agents sell my products? The going-live checklist from the stored state, syncs running now, the shop.
import { useEffect } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Link, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { homePageData } from "../admin/home.server";
import { testOrderState } from "../admin/test-order.server";
import { withTestOrderStep } from "../admin/checklist";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const [home, testOrder] = await Promise.all([homePageData(services.db, shop), testOrderState(services.db, shop, demo)]);
  // The test purchase is the checklist's last step (app/routes/app.test-order.tsx).
  return json({ ...home, checklist: withTestOrderStep(home.checklist, testOrder) });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Checklist({ checklist }: { checklist: Data["checklist"] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Going live
          </Text>
          <Badge tone={checklist.ready ? "success" : "attention"}>{`${checklist.done} of ${checklist.total} done`}</Badge>
        </InlineStack>
        <ProgressBar progress={Math.round((checklist.done / checklist.total) * 100)} tone={checklist.ready ? "success" : "highlight"} size="small" ariaLabelledBy="checklist-progress" />
        <Text as="p" tone="subdued" id="checklist-progress">
          {checklist.ready ? "Agents can find your products, buy them and keep buyers updated." : "Finish these steps so agents can sell your products."}
        </Text>
        <ul aria-label="Going-live checklist" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {checklist.items.map((item) => (
            <li key={item.id} data-checklist-item={item.id} data-done={item.done ? "true" : "false"}>
              <Box paddingBlock="300" borderBlockStartWidth="025" borderColor="border-secondary">
                <InlineStack gap="300" blockAlign="center" wrap={false}>
                  <Box minWidth="4rem">
                    <Badge tone={item.done ? (item.tone === "attention" ? "attention" : "success") : "critical"}>{item.done ? "Done" : "To do"}</Badge>
                  </Box>
                  <div style={{ flex: 1 }}>
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {item.title}
                      </Text>
                      <Text as="p" tone="subdued">
                        {item.detail}
                      </Text>
                    </BlockStack>
                  </div>
                  <Button url={item.action.url} variant={item.done ? "plain" : "primary"} accessibilityLabel={`${item.action.label}: ${item.title}`}>
                    {item.action.label}
                  </Button>
                </InlineStack>
              </Box>
            </li>
          ))}
        </ul>
      </BlockStack>
    </Card>
  );
}

function RunningSyncs({ runs }: { runs: Data["runs"] }) {
  const revalidator = useRevalidator();
  // While something runs, refresh its progress every two seconds.
  useEffect(() => {
    if (!runs.length) return;
    const timer = setInterval(() => revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [runs.length, revalidator]);
  if (!runs.length) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Running now
        </Text>
        {runs.map((run) => (
          <BlockStack gap="100" key={run.id}>
            <Text as="p" id={`run-${run.id}`}>
              {run.label}: {run.itemsTotal > 0 ? `${run.itemsDone.toLocaleString()} of ${run.itemsTotal.toLocaleString()} items` : "starting…"}
            </Text>
            <ProgressBar progress={run.percent ?? 0} size="small" ariaLabelledBy={`run-${run.id}`} />
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shop, checklist, counts, runs } = useLoaderData<typeof loader>();
  return (
    <Page title="Agentic Checkout" subtitle={`Sell ${shop.name}'s products through AI agents`}>
      <Layout>
        {checklist.ready ? (
          <Layout.Section>
            <Banner tone="success" title="You are live: agents can sell your products" />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <RunningSyncs runs={runs} />
            <Checklist checklist={checklist} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {shop.name}
                </Text>
                <Text as="p" tone="subdued" id="shop-domain">
                  {shop.domain} · {shop.currency} · {shop.country}
                </Text>
                {shop.url ? (
                  <Link url={shop.url} target="_blank">
                    {shop.url}
                  </Link>
                ) : null}
                {Object.keys(shop.policies).length ? (
                  <List>
                    {Object.entries(shop.policies).map(([type, url]) => (
                      <List.Item key={type}>
                        <Link url={url} target="_blank">
                          {type.replaceAll("_", " ").toLowerCase()}
                        </Link>
                      </List.Item>
                    ))}
                  </List>
                ) : null}
              </BlockStack>
            </Card>
            <InlineGrid columns={1} gap="400">
              <Stat label="Variants in the feed" value={`${counts.eligibleVariants.toLocaleString()} of ${counts.variants.toLocaleString()}`} url="/app/products" />
              <Stat label="Agent checkout sessions" value={counts.sessions.toLocaleString()} url="/app/dashboard" />
              <Stat label="Agent orders" value={counts.orders.toLocaleString()} url="/app/orders" />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Stat({ label, value, url }: { label: string; value: string; url: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" variant="headingLg">
            {value}
          </Text>
          <Link url={url} accessibilityLabel={`View ${label.toLowerCase()}`}>
            View
          </Link>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

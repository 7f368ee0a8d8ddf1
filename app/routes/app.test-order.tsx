// Place a test order: the whole agent checkout, run from the admin in test mode (app/admin/test-order.server.ts).
// On success the merchant lands on the agent order it made (timeline, Shopify order link, the order update sent);
// otherwise this page shows each step and where it stopped.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { placeTestOrder, recentTestOrders, testOrderAvailability, testOrderItem } from "../admin/test-order.server";
import { formatMoney } from "../admin/labels";
import { BODY_LIMITS, formDataWithin } from "../http/body-limit.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const [item, recent] = await Promise.all([testOrderItem(services.db, shop.id), recentTestOrders(services.db, shop.id)]);
  return json({
    availability: testOrderAvailability(shop, demo),
    item: item ? { title: item.title, price: formatMoney(item.priceMinor, item.currency) } : null,
    recent,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const form = await formDataWithin(request, BODY_LIMITS.adminForm);
  if (form.get("intent") !== "place") return json({ ok: false as const, message: "Unknown action.", steps: [] }, { status: 400 });
  const acp = services.acp();
  const result = await placeTestOrder({ db: services.db, acp: (req) => acp.handle(req), appUrl: services.config.appUrl, stripeApiBase: services.config.stripeApiBase }, shop, demo);
  if (result.ok) return redirect(`/app/orders/${encodeURIComponent(result.agentOrderId)}`);
  return json(result, { status: 422 });
};

const dateTime = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });

export default function TestOrderPage() {
  const { availability, item, recent } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const placing = useNavigation().state !== "idle";
  const canPlace = availability.available && Boolean(item);
  return (
    <Page title="Place a test order" subtitle="Try the whole agent checkout before you go live" backAction={{ content: "Home", url: "/app" }}>
      <Layout>
        {!availability.available ? (
          <Layout.Section>
            <Banner tone="warning" title="Test orders need Stripe in test mode" action={{ content: "Open payment settings", url: "/app/settings" }}>
              <p>{availability.reason}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {failed && !failed.ok ? (
          <Layout.Section>
            <Banner tone="critical" title="The test order did not go through">
              <p>{failed.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                What happens
              </Text>
              <Text as="p">
                The app acts as an AI agent and calls its own checkout API, exactly as ChatGPT would. Nobody is charged: the payment uses a Stripe test card
                {availability.available && availability.mode === "demo" ? " (in this demo, the Stripe and Shopify stand-ins)" : ""}, and the Shopify order is marked as a test.
              </Text>
              <List type="number">
                <List.Item>Create a checkout for {item ? `1 × ${item.title} (${item.price})` : "one product from your feed"}.</List.Item>
                <List.Item>Add a test buyer&apos;s shipping address and choose the first shipping option.</List.Item>
                <List.Item>Get a Stripe test payment token limited to the checkout&apos;s total, as an agent platform grants one.</List.Item>
                <List.Item>Pay and place the order, then open it with its timeline and the update sent to the agent.</List.Item>
              </List>
              <Text as="p" tone="subdued">
                A short-lived API key named “Test order (admin)” is issued for the run and revoked when it ends; you can see it under Settings.
              </Text>
              {!item && availability.available ? (
                <Text as="p" tone="critical">
                  No product in your feed is in stock. Include one on the <Link url="/app/products">Products</Link> page first.
                </Text>
              ) : null}
              <Form method="post">
                <input type="hidden" name="intent" value="place" />
                <InlineStack gap="200" blockAlign="center">
                  <Button submit variant="primary" loading={placing} disabled={!canPlace || placing}>
                    Place a test order
                  </Button>
                  <span role="status">
                    {placing ? (
                      <Text as="span" tone="subdued">
                        Placing the order…
                      </Text>
                    ) : null}
                  </span>
                </InlineStack>
              </Form>
            </BlockStack>
          </Card>
        </Layout.Section>
        {failed && failed.steps.length ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Steps
                </Text>
                <ol aria-label="Test order steps" style={{ listStyle: "none", margin: 0, padding: 0 }}>
                  {failed.steps.map((step, i) => (
                    <li key={i} data-step-ok={step.ok ? "true" : "false"}>
                      <Box paddingBlock="200">
                        <InlineStack gap="200" blockAlign="center" wrap>
                          <Badge tone={step.ok ? "success" : "critical"}>{step.ok ? "Done" : "Stopped"}</Badge>
                          <Text as="span" fontWeight="semibold">
                            {step.name}
                          </Text>
                          {step.status ? (
                            <Text as="span" tone="subdued">
                              {`HTTP ${step.status}`}
                            </Text>
                          ) : null}
                        </InlineStack>
                        <Text as="p" breakWord>
                          {step.detail}
                        </Text>
                      </Box>
                    </li>
                  ))}
                </ol>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Test orders
              </Text>
              {recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  None yet.
                </Text>
              ) : (
                <List>
                  {recent.map((o) => (
                    <List.Item key={o.id}>
                      <Link url={`/app/orders/${encodeURIComponent(o.id)}`}>{`Order ${o.name}`}</Link> · {o.total} · {dateTime(o.createdAt)}
                    </List.Item>
                  ))}
                </List>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

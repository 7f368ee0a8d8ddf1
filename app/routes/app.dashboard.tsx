// Dashboard: how agent selling went over the last 7, 30 or 90 days — sessions, completion rate, revenue, average
// order value, why buyers abandoned (intent_trace) — and whether the feed is healthy.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, Link, Page, Tabs, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { dashboardData } from "../admin/dashboard.server";
import { PERIODS, periodFrom } from "../admin/dashboard";
import { DashboardChart } from "../components/DashboardCharts";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await dashboardData(services.db, shop, periodFrom(new URL(request.url).searchParams.get("days"))));
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : "Never");
const RUN_TONE = { running: "info", succeeded: "success", failed: "critical" } as const;

function Metric({ label, value, help, id }: { label: string; value: string; help?: string; id: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" id={id}>
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const selected = PERIODS.indexOf(d.days);
  const t = d.totals;
  return (
    <Page title="Dashboard" subtitle={`${d.from} – ${d.to} (UTC)`}>
      <BlockStack gap="400">
        <Tabs
          tabs={PERIODS.map((days) => ({ id: `days-${days}`, content: `Last ${days} days`, accessibilityLabel: `Last ${days} days` }))}
          selected={selected}
          onSelect={(i) => setParams({ days: String(PERIODS[i]) }, { preventScrollReset: true })}
        />
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <Metric id="metric-sessions" label="Checkout sessions" value={t.sessions.toLocaleString()} help={`${t.abandoned.toLocaleString()} abandoned or expired`} />
          <Metric id="metric-completion" label="Completion rate" value={t.completionRate === null ? "—" : `${t.completionRate}%`} help="Sessions that became orders" />
          <Metric id="metric-revenue" label="Revenue" value={t.revenue} help={t.refunded ? `${t.refunded} refunded` : `${t.orders.toLocaleString()} orders in ${d.currency}`} />
          <Metric id="metric-aov" label="Average order value" value={t.averageOrderValue ?? "—"} />
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Sessions and orders per day
                </Text>
                <DashboardChart
                  kind="line"
                  label="Checkout sessions and agent orders per day"
                  data={[
                    { name: "Sessions", data: d.series.sessions },
                    { name: "Orders", data: d.series.orders },
                  ]}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Revenue per day ({d.currency})
                </Text>
                <DashboardChart kind="bar" label={`Revenue per day in ${d.currency}`} valueFormat="money" data={[{ name: `Revenue (${d.currency})`, data: d.series.revenue }]} />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Why buyers abandoned
                </Text>
                {d.abandonment.length ? (
                  <DashboardChart kind="donut" label="Abandoned checkouts by reason" data={d.abandonment.map((r) => ({ name: r.label, data: [{ key: r.label, value: r.count }] }))} />
                ) : (
                  <Text as="p" tone="subdued">
                    No abandoned checkouts in this period.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
          {t.otherCurrencyOrders > 0 ? (
            <Layout.Section>
              <Text as="p" tone="subdued">
                {t.otherCurrencyOrders} orders in other currencies are not included in revenue.
              </Text>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between">
                  <Text as="h2" variant="headingMd">
                    Feed health
                  </Text>
                  <Link url="/app/feed">Open feed</Link>
                </InlineStack>
                <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Eligible variants
                    </Text>
                    <Text as="p" variant="headingLg" id="feed-eligible">
                      {`${d.feed.eligible.toLocaleString()} of ${d.feed.variants.toLocaleString()}`}
                    </Text>
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Variants with problems
                    </Text>
                    <Text as="p" variant="headingLg" id="feed-problems">
                      {d.feed.withProblems.toLocaleString()}
                    </Text>
                    <Link url="/app/products?status=needs_attention">{`${d.feed.blocked.toLocaleString()} kept out of the feed`}</Link>
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Last sync
                    </Text>
                    <Text as="p">{d.feed.lastSync ? when(d.feed.lastSync.finishedAt ?? d.feed.lastSync.startedAt) : "Never"}</Text>
                    {d.feed.lastSync ? <Badge tone={RUN_TONE[d.feed.lastSync.status as keyof typeof RUN_TONE]}>{d.feed.lastSync.status}</Badge> : null}
                  </BlockStack>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Last push
                    </Text>
                    <Text as="p">{d.feed.lastPush ? when(d.feed.lastPush.finishedAt ?? d.feed.lastPush.startedAt) : "Never"}</Text>
                    {d.feed.lastPush ? <Badge tone={RUN_TONE[d.feed.lastPush.status as keyof typeof RUN_TONE]}>{d.feed.lastPush.status}</Badge> : null}
                  </BlockStack>
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

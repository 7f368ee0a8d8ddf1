// Privacy requests: what Shopify's compliance webhooks asked for and what the app did, with the data-request
// export to download and send to the customer while it lasts (docs/decisions/0107).
import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, EmptyState, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { EXPORT_RETENTION_DAYS, listPrivacyRequests } from "../privacy/requests.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shopDomain } = await requireAdmin(request);
  return json({ requests: await listPrivacyRequests(services.db, shopDomain), retentionDays: EXPORT_RETENTION_DAYS });
};

const TOPIC_LABEL: Record<string, string> = {
  "customers/data_request": "Customer data request",
  "customers/redact": "Customer data erasure",
  "shop/redact": "Store data erasure",
};

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "—");

export default function PrivacyRequests() {
  const { requests, retentionDays } = useLoaderData<typeof loader>();
  const [error, setError] = useState<string | null>(null);

  // A fetch, not a link: inside Shopify's admin, App Bridge adds the session token to same-origin fetches.
  const download = async (id: string) => {
    setError(null);
    const res = await fetch(`/app/privacy/${encodeURIComponent(id)}/export`);
    if (!res.ok) {
      setError(res.status === 410 ? "That export has expired and was deleted." : "The export could not be downloaded.");
      return;
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? "data-request.json";
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Page title="Privacy requests">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="info">
              <p>
                Shopify forwards your customers&apos; privacy requests here. Erasure requests are carried out automatically. For a data request,
                download the export and send it to the customer: it is kept, encrypted, for {retentionDays} days and then deleted.
              </p>
            </Banner>
            {error ? <Banner tone="critical">{error}</Banner> : null}
            <Card padding="0">
              {requests.length === 0 ? (
                <EmptyState heading="No privacy requests yet" image="">
                  <p>Requests appear here when Shopify sends them.</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "request", plural: "requests" }}
                  itemCount={requests.length}
                  selectable={false}
                  headings={[{ title: "Request" }, { title: "Received" }, { title: "Checkouts found" }, { title: "Export" }]}
                >
                  {requests.map((r, index) => (
                    <IndexTable.Row id={r.id} key={r.id} position={index}>
                      <IndexTable.Cell>
                        <Text as="span" fontWeight="semibold">{TOPIC_LABEL[r.topic] ?? r.topic}</Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{day(r.receivedAt)}</IndexTable.Cell>
                      <IndexTable.Cell>{r.topic === "shop/redact" ? "—" : r.recordCount}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {r.download === "available" ? (
                          <Button onClick={() => void download(r.id)} accessibilityLabel={`Download the export received ${day(r.receivedAt)}`}>
                            {`Download (until ${day(r.expiresAt)})`}
                          </Button>
                        ) : r.download === "expired" ? (
                          <Badge>Expired</Badge>
                        ) : (
                          <Badge tone="success">Done</Badge>
                        )}
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

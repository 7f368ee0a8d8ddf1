// One agent order: the checkout's timeline (what the buyer saw, how it ended), the payment and refunds, the buyer
// (the merchant's own order: shown here only), and every order update sent to the agent with a re-send action.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { agentOrderDetail, resendOrderEvent } from "../admin/orders.server";
import { DELIVERY } from "../admin/labels";
import { BODY_LIMITS, formDataWithin } from "../http/body-limit.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  const detail = await agentOrderDetail(services.db, shop, params.id ?? "", demo);
  if (!detail) throw new Response("No agent order with this id", { status: 404 });
  return json(detail);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await formDataWithin(request, BODY_LIMITS.adminForm);
  if (form.get("intent") !== "resend") return json({ ok: false, message: "Unknown action." }, { status: 400 });
  const outcome = await resendOrderEvent(services.db, shop.id, params.id ?? "", String(form.get("eventId") ?? ""));
  return outcome === "RESENT"
    ? json({ ok: true, message: "The update is queued and will be sent to the agent within a few seconds." })
    : json({ ok: false, message: "That update no longer exists for this order." }, { status: 404 });
};

const dateTime = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" });
const describeEvent = (type: string) => (/create/.test(type) ? `Order created (${type})` : /update/.test(type) ? `Order updated (${type})` : type);

type Detail = ReturnType<typeof useLoaderData<typeof loader>>;

function Timeline({ entries }: { entries: Detail["timeline"] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Timeline
        </Text>
        <ol aria-label="Checkout timeline" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {entries.map((e, i) => (
            <li key={`${e.at}-${i}`} data-timeline-kind={e.kind}>
              <Box paddingBlock="200" paddingInlineStart="300" borderInlineStartWidth="050" borderColor={e.tone === "critical" ? "border-critical" : e.tone === "success" ? "border-success" : "border"}>
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h3" variant="headingSm">
                      {e.title}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      <time dateTime={e.at}>{dateTime(e.at)}</time>
                    </Text>
                  </InlineStack>
                  {e.detail ? <Text as="p">{e.detail}</Text> : null}
                  {e.messages.length ? (
                    <BlockStack gap="100">
                      <Text as="p" tone="subdued" variant="bodySm">
                        The buyer saw:
                      </Text>
                      <List>
                        {e.messages.map((m, j) => (
                          <List.Item key={j}>
                            <Badge tone={m.type === "error" ? "critical" : m.type === "warning" ? "warning" : "info"}>{m.type === "error" ? "Problem" : m.type === "warning" ? "Warning" : "Note"}</Badge> {m.content}
                          </List.Item>
                        ))}
                      </List>
                    </BlockStack>
                  ) : null}
                </BlockStack>
              </Box>
            </li>
          ))}
        </ol>
      </BlockStack>
    </Card>
  );
}

function OrderEvents({ events }: { events: Detail["events"] }) {
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Updates sent to the agent
        </Text>
        {events.length === 0 ? (
          <Text as="p" tone="subdued">
            No order update has been sent for this order yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
            headings={["Update", "Created", "Delivery", "Attempts", "Last error", ""]}
            rows={events.map((e) => [
              describeEvent(e.type),
              dateTime(e.createdAt),
              <Badge key="d" tone={DELIVERY[e.delivery].tone}>{DELIVERY[e.delivery].label}</Badge>,
              e.attempts,
              e.lastError ?? "—",
              <Form method="post" key="r">
                <input type="hidden" name="intent" value="resend" />
                <input type="hidden" name="eventId" value={e.id} />
                <Button submit size="slim" disabled={busy} accessibilityLabel={`Re-send ${e.type} from ${dateTime(e.createdAt)}`}>
                  Re-send
                </Button>
              </Form>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

export default function AgentOrderPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page
      title={`Order ${d.order.name}`}
      subtitle={`${d.order.agent} · ${dateTime(d.order.createdAt)}`}
      titleMetadata={<Badge tone={d.order.status.tone}>{d.order.status.label}</Badge>}
      backAction={{ content: "Agent orders", url: "/app/orders" }}
      secondaryActions={[{ content: "Open in Shopify", url: d.order.url, target: "_blank" }]}
    >
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Timeline entries={d.timeline} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Payment
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="p" variant="headingLg" id="order-total">
                    {d.payment.amount}
                  </Text>
                  <Badge tone={d.payment.status.tone}>{d.payment.status.label}</Badge>
                </InlineStack>
                <Text as="p" tone="subdued" breakWord>
                  {d.payment.paymentIntentId ? `Stripe PaymentIntent ${d.payment.paymentIntentId}` : d.order.attribution === "handoff" ? "Paid in Shopify checkout: the app took no payment." : "No payment recorded by the app."}
                </Text>
                {d.payment.card ? <Text as="p">{d.payment.card}</Text> : null}
                {d.payment.refunds.length ? (
                  <List>
                    {d.payment.refunds.map((r) => (
                      <List.Item key={r.id}>
                        Refund {r.amount}: {r.status.replaceAll("_", " ")}
                        {r.stripeRefundId ? ` (${r.stripeRefundId})` : ""}
                        {r.lastError ? ` — ${r.lastError}` : ""}
                      </List.Item>
                    ))}
                  </List>
                ) : (
                  <Text as="p" tone="subdued">
                    No refunds.
                  </Text>
                )}
              </BlockStack>
            </Card>
            {d.session ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Checkout
                  </Text>
                  <Text as="p" tone="subdued" breakWord>
                    Session {d.session.id} · ACP {d.session.apiVersion}
                  </Text>
                  <List>
                    {d.session.lines.map((l) => (
                      <List.Item key={l.id}>
                        {l.quantity} × {l.name} — {l.total}
                      </List.Item>
                    ))}
                  </List>
                  <Text as="p">
                    Subtotal {d.session.totals.subtotal} · Shipping {d.session.totals.shipping} · Tax {d.session.totals.tax}
                  </Text>
                  <Text as="p" fontWeight="semibold">
                    Total {d.session.totals.total}
                  </Text>
                </BlockStack>
              </Card>
            ) : null}
            {d.buyer ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Buyer
                  </Text>
                  <Text as="p">{d.buyer.name ?? "No name given"}</Text>
                  {d.buyer.email ? <Link url={`mailto:${d.buyer.email}`}>{d.buyer.email}</Link> : null}
                  {d.buyer.phone ? <Text as="p">{d.buyer.phone}</Text> : null}
                  {d.buyer.address.length ? (
                    <Text as="p" tone="subdued">
                      {d.buyer.address.join(", ")}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <OrderEvents events={d.events} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

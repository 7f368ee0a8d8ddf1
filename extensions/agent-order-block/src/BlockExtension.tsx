/** @jsxImportSource preact */
// Order page block (admin.order-details.block.render): the agent checkout behind an order — which agent sold it,
// the checkout session, its status and whether the order's updates reached the agent. Data from the app's
// endpoint, authenticated by the ID token Shopify adds to fetch() calls to the app's own URL.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/admin.order-details.block.render";
import { orderBlockView, orderIdParam, type OrderAgentCheckout } from "./logic";

declare const shopify: Api;

export default async () => {
  render(<OrderBlock />, document.body);
};

function OrderBlock() {
  const id = orderIdParam(shopify.data.selected[0]?.id ?? "");
  const [data, setData] = useState<OrderAgentCheckout | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    fetch(`/api/extensions/order/${id}`)
      .then(async (res) => (res.ok ? setData((await res.json()) as OrderAgentCheckout) : setError(`The app answered ${res.status}.`)))
      .catch(() => setError("The app could not be reached."));
  }, [id]);

  if (error) {
    return (
      <s-admin-block heading="AI agent checkout">
        <s-banner tone="critical">{error}</s-banner>
      </s-admin-block>
    );
  }
  if (!data) {
    return (
      <s-admin-block heading="AI agent checkout">
        <s-spinner accessibilityLabel="Loading the agent checkout" />
      </s-admin-block>
    );
  }
  const view = orderBlockView(data);
  if (!view.agentOrder) {
    return (
      <s-admin-block heading={view.heading} collapsedSummary={view.collapsedSummary}>
        <s-text color="subdued">This order was not placed through an AI agent.</s-text>
      </s-admin-block>
    );
  }
  return (
    <s-admin-block heading={view.heading} collapsedSummary={view.collapsedSummary}>
      <s-stack direction="block" gap="base">
        {view.facts.map((f) => (
          <s-stack key={f.label} direction="inline" gap="small-200">
            <s-text type="strong">{f.label}:</s-text>
            <s-text>{f.value}</s-text>
          </s-stack>
        ))}
        {view.updates ? <s-banner tone={view.updates.tone === "neutral" ? "info" : view.updates.tone}>{view.updates.text}</s-banner> : null}
        {view.appPath ? <s-link href={view.appPath}>Open the timeline in the app</s-link> : null}
      </s-stack>
    </s-admin-block>
  );
}

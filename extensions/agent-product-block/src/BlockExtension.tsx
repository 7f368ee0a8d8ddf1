/** @jsxImportSource preact */
// Product page block (admin.product-details.block.render): is this product sold through AI agents, what keeps it
// out of the feed, and a switch to include or exclude it. Data comes from the app's endpoint, authenticated by the
// ID token Shopify adds to fetch() calls to the app's own URL.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/admin.product-details.block.render";
import { productBlockView, productIdParam, type ProductAgentStatus } from "./logic";

declare const shopify: Api;

export default async () => {
  render(<ProductBlock />, document.body);
};

function ProductBlock() {
  const gid = shopify.data.selected[0]?.id ?? "";
  const id = productIdParam(gid);
  const [status, setStatus] = useState<ProductAgentStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    fetch(`/api/extensions/product/${id}`)
      .then(async (res) => (res.ok ? setStatus((await res.json()) as ProductAgentStatus) : setError(`The app answered ${res.status}.`)))
      .catch(() => setError("The app could not be reached."));
  }, [id]);

  async function toggle(next: boolean) {
    if (!id) return;
    setSaving(true);
    try {
      const res = await fetch(`/api/extensions/product/${id}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ included: next }) });
      if (!res.ok) throw new Error(String(res.status));
      setStatus((await res.json()) as ProductAgentStatus);
      setNotice(next ? "Offered to AI agents." : "Removed from AI agents.");
    } catch {
      setNotice("Could not save: try again.");
    } finally {
      setSaving(false);
    }
  }

  if (error) {
    return (
      <s-admin-block heading="AI agents">
        <s-banner tone="critical">{error}</s-banner>
      </s-admin-block>
    );
  }
  if (!status) {
    return (
      <s-admin-block heading="AI agents">
        <s-spinner accessibilityLabel="Loading the agent status" />
      </s-admin-block>
    );
  }
  const view = productBlockView(status);
  return (
    <s-admin-block heading="AI agents" collapsedSummary={view.collapsedSummary}>
      <s-stack direction="block" gap="base">
        <s-stack direction="inline" gap="small-200" alignItems="center">
          <s-badge tone={view.badge.tone}>{view.badge.label}</s-badge>
        </s-stack>
        <s-paragraph>{view.summary}</s-paragraph>
        <s-switch label={view.toggle.label} checked={view.toggle.checked} disabled={view.toggle.disabled || saving} onChange={() => toggle(!view.toggle.checked)} />
        {view.problems.length ? (
          <s-unordered-list>
            {view.problems.map((p) => (
              <s-list-item key={p.text}>
                <s-text tone={p.tone === "critical" ? "critical" : "caution"}>{p.text}</s-text> <s-text color="subdued">{p.fix}</s-text>
              </s-list-item>
            ))}
          </s-unordered-list>
        ) : null}
        {notice ? <s-text color="subdued">{notice}</s-text> : null}
        {view.moreProblems ? <s-text color="subdued">{`${view.moreProblems} more in the app`}</s-text> : null}
        <s-link href="app:app/products">Open products in the app</s-link>
      </s-stack>
    </s-admin-block>
  );
}

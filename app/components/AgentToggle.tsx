// The per-product switch for agents (issue 16 item 1): a plain form post, so it works before hydration too, kept
// from selecting the IndexTable row it sits in. Selection is per product (ProductSelection): a variant row shows
// its own status and follows its product's switch.
import { Form } from "@remix-run/react";
import { Button } from "@shopify/polaris";
import { RowControl } from "./RowControl";

export function AgentToggle({ productId, title, offered, disabled }: { productId: string; title: string; offered: boolean; disabled?: boolean }) {
  const intent = offered ? "exclude" : "include";
  return (
    <RowControl>
      <Form method="post" data-agent-toggle={intent}>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="productId" value={productId} />
        <Button submit size="slim" disabled={disabled} accessibilityLabel={`${offered ? "Exclude" : "Include"} ${title} ${offered ? "from" : "in"} the feed for agents`}>
          {offered ? "Exclude" : "Include"}
        </Button>
      </Form>
    </RowControl>
  );
}

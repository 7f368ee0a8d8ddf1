// The switch for agents (issue 16 item 1): a plain form post, so it works before hydration too, kept from selecting
// the IndexTable row it sits in. On a product row it includes or excludes the product (ProductSelection); on a
// variant row of a selected product it excludes that variant or lets it follow its product again (VariantExclusion).
import { Form } from "@remix-run/react";
import { Button } from "@shopify/polaris";
import { RowControl } from "./RowControl";

type Target = { productId: string; variantId?: undefined } | { variantId: string; productId?: undefined };

export function AgentToggle({ title, offered, disabled, ...target }: Target & { title: string; offered: boolean; disabled?: boolean }) {
  const variant = target.variantId !== undefined;
  const intent = variant ? (offered ? "exclude_variant" : "include_variant") : offered ? "exclude" : "include";
  return (
    <RowControl>
      <Form method="post" data-agent-toggle={intent}>
        <input type="hidden" name="intent" value={intent} />
        {variant ? <input type="hidden" name="variantId" value={target.variantId} /> : <input type="hidden" name="productId" value={target.productId} />}
        <Button submit size="slim" disabled={disabled} accessibilityLabel={`${offered ? "Exclude" : "Include"} ${title} ${offered ? "from" : "in"} the feed for agents`}>
          {offered ? "Exclude" : "Include"}
        </Button>
      </Form>
    </RowControl>
  );
}

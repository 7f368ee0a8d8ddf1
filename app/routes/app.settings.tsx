import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { checkAgainstShop, parseSettings, saveSettings, settingsView, type SettingsErrors } from "../shop/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json({ settings: settingsView(shop) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = parseSettings(form);
  const errors: SettingsErrors = parsed.ok ? checkAgainstShop(shop, parsed.value) : parsed.errors;
  if (!parsed.ok || Object.keys(errors).length > 0) return json({ saved: false, errors }, { status: 422 });
  await saveSettings(services.db, shop, parsed.value);
  return json({ saved: true, errors: {} as SettingsErrors });
};

function SecretField({ label, name, isSet, error, helpText }: { label: string; name: string; isSet: boolean; error?: string; helpText: string }) {
  const [value, setValue] = useState("");
  return (
    <TextField
      label={label}
      name={name}
      type="password"
      autoComplete="off"
      value={value}
      onChange={setValue}
      error={error}
      placeholder={isSet ? "•••••••• (set; leave blank to keep)" : "Not set"}
      helpText={helpText}
    />
  );
}

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: SettingsErrors = result?.errors ?? {};
  const saving = useNavigation().state === "submitting";
  const [mode, setMode] = useState(settings.checkoutMode);
  const [ttl, setTtl] = useState(String(settings.sessionTtlMinutes));
  const [account, setAccount] = useState(settings.stripeAccountId);
  const [webhookUrl, setWebhookUrl] = useState(settings.orderWebhookUrl);
  const [naming, setNaming] = useState(settings.orderEventNaming);
  const [signatureRequired, setSignatureRequired] = useState(settings.signatureRequired);

  return (
    <Page title="Settings">
      <Form method="post">
        <BlockStack gap="500">
          {result?.saved ? <Banner tone="success" title="Settings saved" /> : null}
          {result && !result.saved ? <Banner tone="critical" title="Some settings need attention" /> : null}
          <Layout>
            <Layout.AnnotatedSection title="Checkout" description="How agents complete a purchase.">
              <Card>
                <FormLayout>
                  <Select
                    label="Checkout mode"
                    name="checkoutMode"
                    value={mode}
                    onChange={(v) => setMode(v as typeof mode)}
                    options={[
                      { label: "Agents pay in the conversation (Stripe shared payment token)", value: "agent_payment" },
                      { label: "Hand off to Shopify checkout (no payment taken by the app)", value: "handoff" },
                    ]}
                    helpText="Hand-off keeps payment inside Shopify checkout, as a listed Shopify app must."
                  />
                  <TextField label="Checkout sessions expire after (minutes)" name="sessionTtlMinutes" type="number" autoComplete="off" value={ttl} onChange={setTtl} error={errors.sessionTtlMinutes} />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Stripe" description="The account that receives agent payments. Secrets are encrypted and never shown again.">
              <Card>
                <FormLayout>
                  <Text as="p">
                    Status: {settings.stripeKeySet ? <Badge tone={settings.stripeMode === "live" ? "success" : "attention"}>{`Connected (${settings.stripeMode} mode)`}</Badge> : <Badge>Not connected</Badge>}
                  </Text>
                  <SecretField label="Secret key" name="stripeSecretKey" isSet={settings.stripeKeySet} error={errors.stripeSecretKey} helpText="sk_test_… or sk_live_…, or a restricted key" />
                  <TextField label="Stripe account id" name="stripeAccountId" autoComplete="off" value={account} onChange={setAccount} error={errors.stripeAccountId} helpText="acct_…, advertised to agents as the payment handler's merchant id" />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Order events" description="Where the app sends signed order updates (created, shipped, canceled, refunded).">
              <Card>
                <FormLayout>
                  <TextField label="Endpoint URL" name="orderWebhookUrl" autoComplete="off" value={webhookUrl} onChange={setWebhookUrl} error={errors.orderWebhookUrl} />
                  <SecretField label="Signing secret" name="orderWebhookSecret" isSet={settings.orderWebhookSecretSet} error={errors.orderWebhookSecret} helpText="The HMAC secret the agent platform gave you" />
                  <Select
                    label="Event names"
                    name="orderEventNaming"
                    value={naming}
                    onChange={(v) => setNaming(v as typeof naming)}
                    options={[
                      { label: "order_create / order_update (ACP specification)", value: "spec" },
                      { label: "order_created / order_updated (OpenAI documentation)", value: "openai" },
                    ]}
                  />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Request signatures" description="Optionally require agents to sign requests (HMAC-SHA256 over the body, with a timestamp).">
              <Card>
                <FormLayout>
                  <Checkbox label="Require a valid signature on every agent request" name="signatureRequired" checked={signatureRequired} onChange={setSignatureRequired} />
                  <SecretField label="Signing secret" name="signatureSecret" isSet={settings.signatureSecretSet} error={errors.signatureSecret} helpText="Shared with the agent platform" />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
          </Layout>
          <Button submit variant="primary" loading={saving}>
            Save
          </Button>
        </BlockStack>
      </Form>
    </Page>
  );
}

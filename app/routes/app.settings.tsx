import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, IndexTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { createAgentKeyRepository } from "../db/agent-keys.server";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { checkAgainstShop, parseSettings, saveSettings, settingsView, type SettingsErrors } from "../shop/settings.server";
import { BODY_LIMITS, formDataWithin } from "../http/body-limit.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const keys = await createAgentKeyRepository(services.db).list(shop.id);
  return json({ settings: settingsView(shop), keys, acpBaseUrl: `${services.config.appUrl}/acp` });
};

type ActionResult = { saved: boolean; errors: SettingsErrors; newKey?: { name: string; key: string }; keyMessage?: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = Object.fromEntries(await formDataWithin(request, BODY_LIMITS.adminForm));
  const keys = createAgentKeyRepository(services.db);
  if (form.intent === "create_key") {
    const name = String(form.keyName ?? "").trim() || "Agent key";
    const { key } = await keys.create(shop.id, name);
    // The only time the key is ever shown.
    return json<ActionResult>({ saved: false, errors: {}, newKey: { name, key } });
  }
  if (form.intent === "revoke_key") {
    const revoked = await keys.revoke(shop.id, String(form.keyId ?? ""));
    return json<ActionResult>({ saved: false, errors: {}, keyMessage: revoked ? "Key revoked: agents using it are refused from now on" : "That key was already revoked" });
  }
  const parsed = parseSettings(form);
  const errors: SettingsErrors = parsed.ok ? checkAgainstShop(shop, parsed.value) : parsed.errors;
  if (!parsed.ok || Object.keys(errors).length > 0) return json<ActionResult>({ saved: false, errors }, { status: 422 });
  await saveSettings(services.db, shop, parsed.value);
  return json<ActionResult>({ saved: true, errors: {} });
};

function AgentKeys({ keys, acpBaseUrl, result }: { keys: ReturnType<typeof useLoaderData<typeof loader>>["keys"]; acpBaseUrl: string; result?: ActionResult }) {
  const [name, setName] = useState("");
  return (
    <Layout.AnnotatedSection
      title="Agent API keys"
      description="Agent platforms call the checkout API with one of these keys. Keys are shown once and stored only as a hash. To rotate, create a new key, give it to the platform, then revoke the old one."
    >
      <Card>
        <BlockStack gap="400">
          <Text as="p">
            ACP base URL: <Text as="span" fontWeight="semibold">{acpBaseUrl}</Text>
          </Text>
          {result?.newKey ? (
            <Banner tone="warning" title={`New key "${result.newKey.name}": copy it now, it will not be shown again`}>
              <Box padding="200" background="bg-surface-secondary">
                <Text as="p" breakWord id="new-agent-key">
                  {result.newKey.key}
                </Text>
              </Box>
            </Banner>
          ) : null}
          {result?.keyMessage ? <Banner tone="info" title={result.keyMessage} /> : null}
          <IndexTable
            resourceName={{ singular: "key", plural: "keys" }}
            itemCount={keys.length}
            selectable={false}
            headings={[{ title: "Name" }, { title: "Key" }, { title: "Created" }, { title: "Last used" }, { title: "Status" }, { title: "" }]}
          >
            {keys.map((k, i) => (
              <IndexTable.Row id={k.id} key={k.id} position={i}>
                <IndexTable.Cell>{k.name}</IndexTable.Cell>
                <IndexTable.Cell>{`${k.prefix}…`}</IndexTable.Cell>
                <IndexTable.Cell>{new Date(k.createdAt).toLocaleDateString()}</IndexTable.Cell>
                <IndexTable.Cell>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "Never"}</IndexTable.Cell>
                <IndexTable.Cell>{k.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}</IndexTable.Cell>
                <IndexTable.Cell>
                  {k.revokedAt ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke_key" />
                      <input type="hidden" name="keyId" value={k.id} />
                      <Button submit tone="critical" variant="plain" accessibilityLabel={`Revoke ${k.name}`}>
                        Revoke
                      </Button>
                    </Form>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
          <Form method="post">
            <input type="hidden" name="intent" value="create_key" />
            <InlineStack gap="200" blockAlign="end">
              <TextField label="New key name" name="keyName" autoComplete="off" value={name} onChange={setName} placeholder="ChatGPT" />
              <Button submit>Create key</Button>
            </InlineStack>
          </Form>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

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
  const { settings, keys, acpBaseUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
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
      <BlockStack gap="500">
      <Layout>
        <AgentKeys keys={keys} acpBaseUrl={acpBaseUrl} result={result} />
      </Layout>
      <Form method="post">
        <BlockStack gap="500">
          {result?.saved ? <Banner tone="success" title="Settings saved" /> : null}
          {result && !result.saved && Object.keys(result.errors).length > 0 ? <Banner tone="critical" title="Some settings need attention" /> : null}
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
            <Layout.AnnotatedSection title="Request signatures" description="Optionally require agents to sign requests: HMAC-SHA256 over the method, path, Idempotency-Key, API-Version, timestamp and body, each signature usable once (docs/operations.md).">
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
      </BlockStack>
    </Page>
  );
}

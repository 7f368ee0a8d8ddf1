// Feed: settings (seller, countries, policies, brand fallback, GTIN source), feed URLs, Feed API push,
// sync now with progress and push history (issue 3, Build 3, 5 and 6).
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Layout, List, Page, ProgressBar, Select, Text, TextField,
} from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { feedPageAction, feedPageData } from "../catalog/feed-page.server";
import { BODY_LIMITS, formDataWithin } from "../http/body-limit.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await feedPageData(services.db, shop, services.config.appUrl));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  return json(await feedPageAction(services.db, shop, admin, await formDataWithin(request, BODY_LIMITS.adminForm)));
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");
const STATUS_TONE = { running: "info", succeeded: "success", failed: "critical" } as const;

function Field({ name, label, value, help, error, placeholder }: { name: string; label: string; value: string; help?: string; error?: string; placeholder?: string }) {
  const [v, setV] = useState(value);
  return <TextField label={label} name={name} value={v} onChange={setV} helpText={help} error={error} placeholder={placeholder} autoComplete="off" />;
}

function SecretField({ name, label, isSet }: { name: string; label: string; isSet: boolean }) {
  const [v, setV] = useState("");
  return <TextField label={label} name={name} type="password" autoComplete="off" value={v} onChange={setV} placeholder={isSet ? "•••••••• (set; leave blank to keep)" : "Not set"} helpText="Stored encrypted; never shown again." />;
}

export default function Feed() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const s = data.settings;
  const errors = result?.errors ?? {};
  const [gtinSource, setGtinSource] = useState<string>(s.gtinSource);
  const [checkout, setCheckout] = useState(s.enableCheckout);
  const running = data.syncs.find((r) => r.status === "running") ?? data.pushes.find((r) => r.status === "running");

  // While a sync or push runs, refresh its progress every two seconds.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => revalidator.revalidate(), 2000);
    return () => clearInterval(t);
  }, [running, revalidator]);

  const sync = data.syncs[0];
  const progress = sync && sync.itemsTotal > 0 ? Math.min(100, Math.round((sync.itemsDone / sync.itemsTotal) * 100)) : sync?.status === "succeeded" ? 100 : 0;

  return (
    <Page title="Feed" subtitle={`${data.eligibleVariants} variants in the feed · last change ${when(data.lastChange)}`}>
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"} title={result.message} /> : null}
        {data.problems.length ? (
          <Banner tone={data.problems.some((p) => p.severity === "error") ? "critical" : "warning"} title="The feed needs these settings">
            <List>{data.problems.map((p) => <List.Item key={p.code}>{p.message} {p.fix}</List.Item>)}</List>
          </Banner>
        ) : null}
        <Layout>
          <Layout.AnnotatedSection title="Sync" description="A full sync reads every product from Shopify with a bulk operation. Changes arrive by webhook within seconds after that.">
            <Card>
              <BlockStack gap="300">
                {sync ? (
                  <BlockStack gap="200">
                    <InlineStack gap="200" blockAlign="center">
                      <Badge tone={STATUS_TONE[sync.status as keyof typeof STATUS_TONE]}>{sync.status}</Badge>
                      <Text as="span">Started {when(sync.startedAt)}{sync.finishedAt ? `, finished ${when(sync.finishedAt)}` : ""}</Text>
                    </InlineStack>
                    <ProgressBar progress={progress} size="small" />
                    <Text as="p" tone="subdued">{sync.itemsDone} of {sync.itemsTotal || "?"} variants read</Text>
                    {sync.error ? <Text as="p" tone="critical">{sync.error}</Text> : null}
                  </BlockStack>
                ) : <Text as="p">Not synced yet.</Text>}
                <Form method="post">
                  <input type="hidden" name="intent" value="sync" />
                  <Button submit variant="primary" loading={busy} disabled={Boolean(data.syncs.find((r) => r.status === "running"))}>Sync now</Button>
                </Form>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Feed addresses" description="Give these to the agent platform (for example in ChatGPT's merchant settings). Anyone with the address can read the feed; rotate it if it leaks.">
            <Card>
              <BlockStack gap="300">
                {data.feedUrls.map((f) => <TextField key={f.file} label={f.file} value={f.url} readOnly autoComplete="off" onChange={() => undefined} />)}
                <Form method="post">
                  <input type="hidden" name="intent" value="rotate-token" />
                  <Button submit tone="critical">Rotate address</Button>
                </Form>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Feed settings" description="What every product row says about your store. Empty fields use what Shopify knows.">
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="settings" />
                <FormLayout>
                  <Field name="sellerName" label="Seller name" value={s.sellerName} placeholder={data.prefill.sellerName} error={errors.sellerName} />
                  <Field name="sellerUrl" label="Store address" value={s.sellerUrl} placeholder={data.prefill.sellerUrl} error={errors.sellerUrl} />
                  <FormLayout.Group>
                    <Field name="storeCountry" label="Store country" value={s.storeCountry} help="Two letters, e.g. US" error={errors.storeCountry} />
                    <Field name="targetCountries" label="Countries you sell to" value={s.targetCountries.join(", ")} help="Comma separated; the first is the main market" error={errors.targetCountries} />
                  </FormLayout.Group>
                  <Field name="returnPolicyUrl" label="Return policy" value={s.returnPolicyUrl} placeholder={data.prefill.returnPolicyUrl} help="Prefilled from your Shopify refund policy" error={errors.returnPolicyUrl} />
                  <Field name="privacyPolicyUrl" label="Privacy policy" value={s.privacyPolicyUrl} placeholder={data.prefill.privacyPolicyUrl} error={errors.privacyPolicyUrl} />
                  <Field name="termsOfServiceUrl" label="Terms of service" value={s.termsOfServiceUrl} placeholder={data.prefill.termsOfServiceUrl} error={errors.termsOfServiceUrl} />
                  <Field name="returnDeadlineDays" label="Days to return (optional)" value={s.returnDeadlineDays ? String(s.returnDeadlineDays) : ""} error={errors.returnDeadlineDays} />
                  <Field name="brandFallback" label="Brand when a product has no vendor (optional)" value={s.brandFallback} />
                  <FormLayout.Group>
                    <Select label="GTIN comes from" name="gtinSource" value={gtinSource} onChange={setGtinSource} options={[{ label: "The variant's Barcode field", value: "barcode" }, { label: "A variant metafield", value: "metafield" }]} />
                    {gtinSource === "metafield" ? <Field name="gtinMetafield" label="Metafield (namespace.key)" value={s.gtinMetafield} error={errors.gtinMetafield} /> : <input type="hidden" name="gtinMetafield" value={s.gtinMetafield} />}
                  </FormLayout.Group>
                  <Checkbox label="Let agents sell (checkout), not only show products" checked={checkout} onChange={setCheckout} helpText="Needs privacy policy and terms of service links." />
                  <input type="hidden" name="enableCheckout" value={checkout ? "true" : "false"} />
                  <InlineStack gap="200">
                    <Button submit variant="primary" loading={busy}>Save settings</Button>
                  </InlineStack>
                </FormLayout>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="refresh-policies" />
                <Button submit variant="plain">Refresh store details and policies from Shopify</Button>
              </Form>
            </Card>
          </Layout.AnnotatedSection>

          <Layout.AnnotatedSection title="Push to an agent (ACP Feed API)" description="Optional. Changed products are sent to the agent's Feed API (2026-04-17) right after each change.">
            <Card>
              <BlockStack gap="300">
                <Form method="post">
                  <input type="hidden" name="intent" value="push-settings" />
                  <FormLayout>
                    <Field name="feedPushUrl" label="Endpoint" value={data.push.url} placeholder="https://agent.example/api" error={errors.feedPushUrl} />
                    <SecretField name="feedPushKey" label="API key" isSet={data.push.keySet} />
                    {data.push.feedId ? <Text as="p" tone="subdued">Feed id at the agent: {data.push.feedId}</Text> : null}
                    <Button submit>Save endpoint</Button>
                  </FormLayout>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="push" />
                  <Button submit disabled={!data.push.url}>Push changes now</Button>
                </Form>
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text"]}
                  headings={["Started", "Status", "Products", "Note"]}
                  rows={data.pushes.map((p) => [when(p.startedAt), p.status, p.itemsDone, p.error ?? (p.detail.feedId ? `feed ${String(p.detail.feedId)}` : "")])}
                />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
        </Layout>
      </BlockStack>
    </Page>
  );
}

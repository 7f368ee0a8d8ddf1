// Products: every product with its variants, price range, inventory and feed status, the problems in plain
// words, per-product and bulk include/exclude, filters, search and paging (issue 3, Build 1).
import { useState, type ReactNode } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge, Banner, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, List, Page, Select, Text, TextField, Thumbnail, useBreakpoints, useIndexResourceState,
} from "@shopify/polaris";
import { AgentToggle } from "../components/AgentToggle";
import { ProductProblems } from "../components/ProductProblems";
import { RowControl } from "../components/RowControl";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { productsPageAction, productsPageData } from "../catalog/products-page.server";
import { BODY_LIMITS, formDataWithin } from "../http/body-limit.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  return json(await productsPageData(services.db, shop, admin, new URL(request.url)));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  return json(await productsPageAction(services.db, shop, admin, await formDataWithin(request, BODY_LIMITS.adminForm)));
};

type Choice = "included" | "excluded" | "rule";

/** The feed status in the merchant's words; "excluded" says whose doing it was. */
function statusBadge(status: "eligible" | "needs_attention" | "excluded", choice: Choice) {
  if (status === "eligible") return <Badge tone="success">Eligible</Badge>;
  if (status === "needs_attention") return <Badge tone="warning">Needs attention</Badge>;
  return <Badge>{choice === "excluded" ? "Excluded by you" : "Not selected"}</Badge>;
}

/** A plain button in a row (the variants disclosure) that does not also select the row. */
function RowButton({ onClick, expanded, label, children }: { onClick: () => void; expanded: boolean; label: string; children: string }) {
  return (
    <RowControl>
      <Button variant="plain" onClick={onClick} ariaExpanded={expanded} disclosure={expanded ? "up" : "down"} accessibilityLabel={label}>{children}</Button>
    </RowControl>
  );
}

/** Cell text that wraps between words (IndexTable cells do not wrap by default). */
function Wrap({ children }: { children: ReactNode }) {
  return <div style={{ whiteSpace: "normal", overflowWrap: "break-word" }}>{children}</div>;
}

function RuleCard({ rule, collections }: { rule: { rule: string; value: string | null }; collections: Array<{ id: string; title: string }> }) {
  const [selected, setSelected] = useState(rule.rule);
  const [value, setValue] = useState(rule.value ?? "");
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="rule" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Which products agents may sell</Text>
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label="Shop rule"
              name="selectionRule"
              value={selected}
              onChange={setSelected}
              options={[
                { label: "All active products", value: "all" },
                { label: "Only products I choose", value: "chosen" },
                { label: "Products with a tag", value: "tag" },
                { label: "Products in a collection", value: "collection" },
              ]}
            />
            {selected === "tag" ? <TextField label="Tag" name="selectionValue" value={value} onChange={setValue} autoComplete="off" /> : null}
            {selected === "collection" ? (
              <Select label="Collection" name="selectionValue" value={value} onChange={setValue} options={[{ label: "Choose…", value: "" }, ...collections.map((c) => ({ label: c.title, value: c.id }))]} />
            ) : null}
            <Button submit>Apply rule</Button>
          </InlineStack>
          <Text as="p" tone="subdued">Your choice on a product (Include / Exclude in its row, or for the rows you tick) always wins over the rule. Open a selected product's variants to exclude one of them.</Text>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Products() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params, setParams] = useSearchParams();
  const submit = useSubmit();
  const busy = useNavigation().state !== "idle";
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [tag, setTag] = useState(params.get("tag") ?? "");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setExpanded((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const rows = data.products;
  // Polaris' small-screen pattern: below 490 px the table becomes a list (condensed), one item per product.
  const condensed = useBreakpoints().smDown;
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows, { resourceIDResolver: (p) => p.productId });

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("page");
    setParams(next);
  };
  const bulk = (intent: "include" | "exclude" | "reset") => () => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of selectedResources) form.append("productId", id);
    submit(form, { method: "post" });
    clearSelection();
  };
  const page = data.filters.page;
  const lastPage = Math.max(0, Math.ceil(data.total / data.pageSize) - 1);

  return (
    <Page title="Products" subtitle={`${data.counts.eligible} eligible · ${data.counts.needs_attention} need attention · ${data.counts.excluded} not offered to agents`}>
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"} title={result.message} /> : null}
        {data.settingsProblems.length ? (
          <Banner tone={data.settingsProblems.some((p) => p.severity === "error") ? "critical" : "warning"} title="Feed settings need attention" action={{ content: "Open feed settings", url: "/app/feed" }}>
            <List>{data.settingsProblems.map((p) => <List.Item key={p.code}>{p.message} {p.fix}</List.Item>)}</List>
          </Banner>
        ) : null}
        {!data.lastSync ? <Banner tone="info" title="The catalog has not been synced yet" action={{ content: "Sync now", url: "/app/feed" }} /> : null}
        <Layout>
          <Layout.Section>
            <RuleCard rule={data.rule} collections={data.collections} />
          </Layout.Section>
          <Layout.Section>
            <Card padding="0">
              <Box padding="300">
                <InlineStack gap="300" wrap blockAlign="end">
                  <Form method="get" onSubmit={(e) => { e.preventDefault(); setFilter("q", search); }}>
                    <TextField label="Search" labelHidden placeholder="Search title, SKU or vendor" value={search} onChange={setSearch} autoComplete="off" connectedRight={<Button submit>Search</Button>} />
                  </Form>
                  <Select label="Status" labelInline value={params.get("status") ?? ""} onChange={(v) => setFilter("status", v)} options={[
                    { label: `All (${data.counts.all})`, value: "" },
                    { label: `Eligible (${data.counts.eligible})`, value: "eligible" },
                    { label: `Needs attention (${data.counts.needs_attention})`, value: "needs_attention" },
                    { label: `Not offered (${data.counts.excluded})`, value: "excluded" },
                  ]} />
                  <Select label="Problem" labelInline value={params.get("problem") ?? ""} onChange={(v) => setFilter("problem", v)} options={[{ label: "Any", value: "" }, ...data.problemOptions.map((p) => ({ label: `${p.label} (${p.variants})`, value: p.code }))]} />
                  <Select label="Vendor" labelInline value={params.get("vendor") ?? ""} onChange={(v) => setFilter("vendor", v)} options={[{ label: "Any", value: "" }, ...data.vendors.map((v) => ({ label: v, value: v }))]} />
                  <Select label="Collection" labelInline value={params.get("collection") ?? ""} onChange={(v) => setFilter("collection", v)} options={[{ label: "Any", value: "" }, ...data.collections.map((c) => ({ label: c.title, value: c.id }))]} />
                  <Form method="get" onSubmit={(e) => { e.preventDefault(); setFilter("tag", tag.trim()); }}>
                    <TextField label="Tag" labelHidden placeholder="Tag" value={tag} onChange={setTag} autoComplete="off" connectedRight={<Button submit>Filter</Button>} />
                  </Form>
                </InlineStack>
              </Box>
              <IndexTable
                resourceName={{ singular: "product", plural: "products" }}
                itemCount={rows.length}
                selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                onSelectionChange={handleSelectionChange}
                loading={busy}
                condensed={condensed}
                lastColumnSticky
                headings={[{ title: "Product" }, { title: "Price" }, { title: "Inventory" }, { title: "Problems" }, { title: "Feed status" }]}
                promotedBulkActions={[
                  { content: "Include", onAction: bulk("include") },
                  { content: "Exclude", onAction: bulk("exclude") },
                ]}
                bulkActions={[{ content: "Follow the shop rule", onAction: bulk("reset") }]}
                pagination={{
                  hasPrevious: page > 0,
                  hasNext: page < lastPage,
                  onPrevious: () => setFilter("page", String(page - 1)),
                  onNext: () => setFilter("page", String(page + 1)),
                  label: `Page ${page + 1} of ${lastPage + 1} · ${data.total} products`,
                }}
              >
                {rows.map((p, index) => {
                  const blocked = p.variants.filter((v) => v.feedStatus === "needs_attention").length;
                  const open = expanded.has(p.productId);
                  const offered = p.selected;
                  const title = p.title || "(no title)";
                  const variantsLabel = `${p.variantCount} variant${p.variantCount === 1 ? "" : "s"}${blocked && blocked < p.variantCount ? ` (${blocked} blocked)` : ""}`;
                  const product = (
                    <InlineStack gap="300" blockAlign="start" wrap={false}>
                      <Thumbnail size="small" alt="" source={p.imageUrl ?? "data:image/gif;base64,R0lGODlhAQABAAAAACw="} />
                      <Wrap>
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold">{title}</Text>
                          <Text as="span" tone="subdued">{p.vendor || "No vendor"}{p.productStatus !== "ACTIVE" ? ` · ${p.productStatus.toLowerCase()} in Shopify` : ""}</Text>
                          <InlineStack>
                            <RowButton onClick={() => toggle(p.productId)} expanded={open} label={`${variantsLabel} of ${title}`}>{variantsLabel}</RowButton>
                          </InlineStack>
                        </BlockStack>
                      </Wrap>
                    </InlineStack>
                  );
                  const problems = <ProductProblems subject={title} summary={p.problemSummary} variantCount={p.variantCount} />;
                  const status = (
                    <InlineStack gap="200" blockAlign="center">
                      {statusBadge(p.feedStatus, p.selected ? "excluded" : p.choice)}
                      <AgentToggle productId={p.productId} title={title} offered={offered} disabled={busy} />
                    </InlineStack>
                  );
                  // A variant row has its own switch only while its product is selected; otherwise it follows the product.
                  const variantStatus = (v: (typeof p.variants)[number]) => (
                    <InlineStack gap="200" blockAlign="center">
                      {statusBadge(v.feedStatus, v.excluded ? "excluded" : p.choice)}
                      {offered ? (
                        <AgentToggle variantId={v.variantId} title={`${title}: ${v.title}`} offered={!v.excluded} disabled={busy} />
                      ) : (
                        <Text as="span" tone="subdued">Follows the product</Text>
                      )}
                    </InlineStack>
                  );
                  const variantRows = open
                    ? p.variants.map((v) => (
                        <IndexTable.Row rowType="child" hideSelectable id={`${p.productId}|${v.variantId}`} key={v.variantId} position={index}>
                          {condensed ? (
                            <Box padding="300">
                              <Wrap>
                                <BlockStack gap="100">
                                  <Text as="span">{v.title} · {v.price}</Text>
                                  <InlineStack gap="200"><ProductProblems subject={`${title}: ${v.title}`} summary={v.problemSummary} variantCount={1} /></InlineStack>
                                  {variantStatus(v)}
                                </BlockStack>
                              </Wrap>
                            </Box>
                          ) : (
                            <>
                              <IndexTable.Cell>
                                <Wrap>
                                  <Text as="span">{v.title}</Text> <Text as="span" tone="subdued">{v.sku ? `SKU ${v.sku}` : "No SKU"}</Text>
                                </Wrap>
                              </IndexTable.Cell>
                              <IndexTable.Cell>{v.price}</IndexTable.Cell>
                              <IndexTable.Cell><Wrap>{v.inventoryQuantity === null ? "Not tracked" : v.inventoryQuantity} · {v.availability.replaceAll("_", " ")}</Wrap></IndexTable.Cell>
                              <IndexTable.Cell><ProductProblems subject={`${title}: ${v.title}`} summary={v.problemSummary} variantCount={1} /></IndexTable.Cell>
                              <IndexTable.Cell>{variantStatus(v)}</IndexTable.Cell>
                            </>
                          )}
                        </IndexTable.Row>
                      ))
                    : [];
                  return [
                    <IndexTable.Row id={p.productId} key={p.productId} position={index} selected={selectedResources.includes(p.productId)} accessibilityLabel={`Select ${title}`}>
                      {condensed ? (
                        // Condensed rows are list items: content goes straight in (a <td> cannot sit in an <li>).
                        <Box padding="300">
                          <BlockStack gap="200">
                            {product}
                            <InlineStack gap="200" blockAlign="center">{p.priceRange}{problems}</InlineStack>
                            {status}
                          </BlockStack>
                        </Box>
                      ) : (
                        <>
                          <IndexTable.Cell>{product}</IndexTable.Cell>
                          <IndexTable.Cell><Wrap>{p.priceRange}</Wrap></IndexTable.Cell>
                          <IndexTable.Cell>{p.inventory === null ? "Not tracked" : p.inventory}</IndexTable.Cell>
                          <IndexTable.Cell>{problems}</IndexTable.Cell>
                          <IndexTable.Cell>{status}</IndexTable.Cell>
                        </>
                      )}
                    </IndexTable.Row>,
                    ...variantRows,
                  ];
                })}
              </IndexTable>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

// Agent orders: what agents sold, with the order, buyer, total, payment and order status, and whether the order's
// updates reached the agent. Filters, search and paging live in the URL, so a view can be shared or reloaded.
import { useEffect, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Card, ChoiceList, EmptyState, IndexFilters, IndexTable, InlineStack, Link, Page, Text, TextField, useSetIndexFiltersMode } from "@shopify/polaris";
import type { IndexFiltersProps } from "@shopify/polaris";
import { requireAdmin } from "../admin-context.server";
import { services } from "../services.server";
import { listAgentOrders, orderFiltersFrom } from "../admin/orders.server";
import { DELIVERY, orderStatus } from "../admin/labels";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  return json(await listAgentOrders(services.db, shop, orderFiltersFrom(new URL(request.url)), demo));
};

const STATUS_CHOICES = ["created", "confirmed", "processing", "shipped", "completed", "canceled"].map((value) => ({ value, label: orderStatus(value).label }));
const DELIVERY_CHOICES = [
  { value: "delivered", label: "Delivered" },
  { value: "pending", label: "Sending or retrying" },
  { value: "failed", label: "Failed" },
  { value: "none", label: "Nothing sent" },
];

const dateTime = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });

export default function Orders() {
  const data = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const loading = useNavigation().state === "loading";
  const { mode, setMode } = useSetIndexFiltersMode();
  const [query, setQuery] = useState(params.get("q") ?? "");

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next, { preventScrollReset: true });
  };

  // Search as the merchant types, once they pause.
  useEffect(() => {
    if (query === (params.get("q") ?? "")) return;
    const timer = setTimeout(() => update({ q: query.trim() || null }), 350);
    return () => clearTimeout(timer);
  }, [query]);

  const f = data.filters;
  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: "Order status",
      filter: <ChoiceList title="Order status" titleHidden choices={STATUS_CHOICES} selected={f.status ? [f.status] : []} onChange={(v) => update({ status: v[0] ?? null })} />,
      shortcut: true,
    },
    {
      key: "delivery",
      label: "Updates to the agent",
      filter: <ChoiceList title="Updates to the agent" titleHidden choices={DELIVERY_CHOICES} selected={f.delivery ? [f.delivery] : []} onChange={(v) => update({ delivery: v[0] ?? null })} />,
      shortcut: true,
    },
    {
      key: "date",
      label: "Date",
      filter: (
        <InlineStack gap="200">
          <TextField label="From" type="date" autoComplete="off" value={f.from ?? ""} onChange={(v) => update({ from: v || null })} />
          <TextField label="To" type="date" autoComplete="off" value={f.to ?? ""} onChange={(v) => update({ to: v || null })} />
        </InlineStack>
      ),
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (f.status) appliedFilters.push({ key: "status", label: `Status: ${orderStatus(f.status).label}`, onRemove: () => update({ status: null }) });
  if (f.delivery) appliedFilters.push({ key: "delivery", label: `Updates: ${DELIVERY_CHOICES.find((c) => c.value === f.delivery)?.label}`, onRemove: () => update({ delivery: null }) });
  if (f.from || f.to) appliedFilters.push({ key: "date", label: `Date: ${f.from ?? "…"} – ${f.to ?? "…"}`, onRemove: () => update({ from: null, to: null }) });

  const filtered = appliedFilters.length > 0 || Boolean(f.q);
  const lastPage = Math.max(0, Math.ceil(data.total / data.pageSize) - 1);
  const first = data.total === 0 ? 0 : f.page * data.pageSize + 1;
  const last = Math.min(data.total, (f.page + 1) * data.pageSize);

  // The illustration is served from public/: the admin loads nothing from third parties and works offline.
  const empty = (
    <EmptyState heading={filtered ? "No agent orders match" : "No agent orders yet"} image="/empty-orders.svg" fullWidth>
      <Text as="p">{filtered ? "Try other filters or search words." : "Orders placed by AI agents appear here, with their checkout timeline and the updates sent back to the agent."}</Text>
    </EmptyState>
  );

  return (
    <Page title="Agent orders" subtitle={`${data.total.toLocaleString()} order${data.total === 1 ? "" : "s"}${filtered ? " match" : ""}`}>
      <Card padding="0">
        <IndexFilters
          tabs={[{ id: "all", content: "All orders" }]}
          selected={0}
          onSelect={() => {}}
          queryValue={query}
          queryPlaceholder="Search order, buyer, agent or session id"
          onQueryChange={setQuery}
          onQueryClear={() => {
            setQuery("");
            update({ q: null });
          }}
          filters={filters}
          appliedFilters={appliedFilters}
          onClearAll={() => {
            setQuery("");
            setParams(new URLSearchParams());
          }}
          mode={mode}
          setMode={setMode}
          canCreateNewView={false}
          loading={loading}
          cancelAction={{ onAction: () => {} }}
        />
        <IndexTable
          resourceName={{ singular: "agent order", plural: "agent orders" }}
          itemCount={data.orders.length}
          selectable={false}
          emptyState={empty}
          loading={loading}
          headings={[
            { title: "Date" },
            { title: "Order" },
            { title: "Agent" },
            { title: "Buyer" },
            { title: "Total", alignment: "end" },
            { title: "Payment" },
            { title: "Order status" },
            { title: "Updates to the agent" },
          ]}
          pagination={{
            hasPrevious: f.page > 0,
            hasNext: f.page < lastPage,
            onPrevious: () => update({ page: String(f.page - 1) }),
            onNext: () => update({ page: String(f.page + 1) }),
            label: data.total ? `${first}–${last} of ${data.total.toLocaleString()}` : undefined,
          }}
        >
          {data.orders.map((o, i) => (
            <IndexTable.Row id={o.id} key={o.id} position={i}>
              <IndexTable.Cell>
                <Link url={`/app/orders/${o.id}`} removeUnderline dataPrimaryLink>
                  {dateTime(o.createdAt)}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Link url={o.orderUrl} target="_blank" accessibilityLabel={`${o.orderName} in Shopify`}>
                  {o.orderName}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{o.agent}</IndexTable.Cell>
              <IndexTable.Cell>{o.buyer}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {o.total}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={o.payment.tone}>{o.payment.label}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={o.orderStatus.tone}>{o.orderStatus.label}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={DELIVERY[o.delivery].tone}>{DELIVERY[o.delivery].label}</Badge>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}

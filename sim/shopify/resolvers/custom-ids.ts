// Metafield definitions and custom IDs on orders (docs/decisions/0156): `metafieldDefinitionCreate`, the
// `metafields` an order is created with, `Order.metafield(namespace:, key:)`, and `orderByIdentifier(identifier:
// {customId})`, which reads the order directly (no search index). Shopify: "Working with custom IDs"
// (https://shopify.dev/docs/apps/build/metafields/working-with-custom-ids): an `id` metafield type always has unique
// values; look-up by custom ID is supported for orders (2025-04, orderByIdentifier). The app-reserved namespace
// `$app` stands for the calling app's own namespace (`app--{id}`), and is what a custom ID without a namespace means.
import { gid } from "../ids.js";
import type { ShopState } from "../store.js";

export const APP_NAMESPACE = "app--1001";

export interface MetafieldRow {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

interface Definition {
  id: number;
  name: string;
  namespace: string;
  key: string;
  type: string;
  ownerType: string;
  uniqueValues: boolean;
}

interface State {
  definitions: Definition[];
  orderMetafields: Map<number, MetafieldRow[]>;
  nextId: number;
}

const states = new WeakMap<ShopState, State>();

function stateOf(shop: ShopState): State {
  let s = states.get(shop);
  if (!s) states.set(shop, (s = { definitions: [], orderMetafields: new Map(), nextId: 1 }));
  return s;
}

/** `$app` (or nothing) → the app's own namespace; `$app:x` → its sub-namespace. */
export function resolveNamespace(namespace: string | null | undefined): string {
  if (!namespace || namespace === "$app") return APP_NAMESPACE;
  if (namespace.startsWith("$app:")) return `${APP_NAMESPACE}--${namespace.slice(5)}`;
  return namespace;
}

type Args = Record<string, unknown>;

export function metafieldDefinitionCreateMutation(shop: ShopState, args: Args) {
  const d = args.definition as { name: string; namespace?: string | null; key: string; type: string; ownerType: string; capabilities?: { uniqueValues?: { enabled?: boolean } | null } | null };
  const s = stateOf(shop);
  const namespace = resolveNamespace(d.namespace);
  if (s.definitions.some((x) => x.ownerType === d.ownerType && x.namespace === namespace && x.key === d.key)) {
    return { createdDefinition: null, userErrors: [{ field: ["definition", "key"], message: "Key is in use for Order metafields on the 'namespace' namespace.", code: "TAKEN" }] };
  }
  // "ID metafield types are automatically configured to have unique values."
  const def: Definition = { id: s.nextId++, name: d.name, namespace, key: d.key, type: d.type, ownerType: d.ownerType, uniqueValues: d.type === "id" || !!d.capabilities?.uniqueValues?.enabled };
  s.definitions.push(def);
  return { createdDefinition: definitionView(def), userErrors: [] };
}

function definitionView(d: Definition) {
  return { __typename: "MetafieldDefinition", id: gid("MetafieldDefinition", d.id), name: d.name, namespace: d.namespace, key: d.key, ownerType: d.ownerType, type: { name: d.type, category: "TEXT" }, capabilities: { uniqueValues: { enabled: d.uniqueValues } } };
}

/** Keeps the metafields an order was created with. */
export function recordOrderMetafields(shop: ShopState, orderId: number, input: Array<{ namespace?: string | null; key?: string | null; type?: string | null; value?: string | null }> | null | undefined): void {
  if (!input?.length) return;
  const s = stateOf(shop);
  s.orderMetafields.set(
    orderId,
    input.filter((m) => m.key && m.value !== null && m.value !== undefined).map((m) => ({ id: s.nextId++, namespace: resolveNamespace(m.namespace), key: m.key!, type: m.type ?? "single_line_text_field", value: String(m.value) })),
  );
}

export function orderMetafield(shop: ShopState, orderId: number, args: Args) {
  const namespace = resolveNamespace(args.namespace as string | undefined);
  const m = states.get(shop)?.orderMetafields.get(orderId)?.find((x) => x.namespace === namespace && x.key === args.key);
  return m ? { __typename: "Metafield", id: gid("Metafield", m.id), namespace: m.namespace, key: m.key, type: m.type, value: m.value, jsonValue: m.value } : null;
}

/** The order whose unique-valued metafield has this value; null when there is none (or no unique definition). */
export function orderIdByCustomId(shop: ShopState, customId: { namespace?: string | null; key: string; value: string }): number | null {
  const s = states.get(shop);
  if (!s) return null;
  const namespace = resolveNamespace(customId.namespace);
  const def = s.definitions.find((d) => d.ownerType === "ORDER" && d.namespace === namespace && d.key === customId.key && d.uniqueValues);
  if (!def) return null;
  for (const [orderId, rows] of s.orderMetafields) if (rows.some((m) => m.namespace === namespace && m.key === customId.key && m.value === customId.value)) return orderId;
  return null;
}

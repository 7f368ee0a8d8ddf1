// Root fields the simulator implements. Any other QueryRoot/Mutation field is absent here and so
// fails loudly through the strict default resolver.
import type { GraphQLResolveInfo } from "graphql";
import { bulkOperationView } from "../bulk.js";
import { parseGid } from "../ids.js";
import type { DraftInput } from "../domain/pricing.js";
import type { ShopState } from "../store.js";
import type { GqlContext } from "./context.js";
import { collectionsConnection, CollectionView, InventoryItemView, LocationView, ProductView, productsConnection, VariantView, variantsConnection } from "./catalog.js";
import { paginate, sortBy, type PageArgs } from "./connection.js";
import { orderById, orderByIdentifier, orderCancelMutation, orderCreateMutation, OrderView, ordersConnection, refundCreateMutation } from "./orders.js";
import { draftOrderCalculate } from "./pricing.js";
import { shopView } from "./shop.js";
import { metafieldDefinitionCreateMutation } from "./custom-ids.js";
import { compileSearch } from "../search.js";

type Args = Record<string, unknown>;

/** Resolves any supported GID to its view (Node interface). Unknown or foreign ids → null, like Shopify. */
export function nodeById(shop: ShopState, id: string, origin: string): unknown {
  const p = parseGid(id);
  if (!p || !p.type) return null;
  switch (p.type) {
    case "Product": {
      const x = shop.products.get(p.id);
      return x ? new ProductView(shop, x) : null;
    }
    case "ProductVariant": {
      const x = shop.variants.get(p.id);
      return x ? new VariantView(shop, x) : null;
    }
    case "InventoryItem": {
      const x = shop.inventoryItems.get(p.id);
      return x ? new InventoryItemView(shop, x) : null;
    }
    case "Location": {
      const x = shop.locations.find((l) => l.id === p.id);
      return x ? new LocationView(shop, x) : null;
    }
    case "Collection": {
      const x = shop.collections.get(p.id);
      return x ? new CollectionView(shop, x) : null;
    }
    case "Order": {
      const x = shop.orders.get(p.id);
      return x ? new OrderView(shop, x) : null;
    }
    case "BulkOperation": {
      const x = shop.bulkOperations.get(p.id);
      return x ? bulkOperationView(x, origin) : null;
    }
    default:
      return null;
  }
}

export const queryRoot = {
  shop: (_a: Args, ctx: GqlContext) => shopView(ctx.shop),
  products: (a: Args, ctx: GqlContext) => productsConnection(ctx.shop, a, ctx, undefined, true),
  product: (a: Args, ctx: GqlContext) => nodeOfType(ctx, a.id as string, "Product"),
  productVariants: (a: Args, ctx: GqlContext) => variantsConnection(ctx.shop, a, ctx, undefined, true),
  productVariant: (a: Args, ctx: GqlContext) => nodeOfType(ctx, a.id as string, "ProductVariant"),
  inventoryItem: (a: Args, ctx: GqlContext) => nodeOfType(ctx, a.id as string, "InventoryItem"),
  collections: (a: Args, ctx: GqlContext) => collectionsConnection(ctx.shop, a, ctx, undefined, true),
  collection: (a: Args, ctx: GqlContext) => nodeOfType(ctx, a.id as string, "Collection"),
  locations: (a: Args, ctx: GqlContext) => {
    const search = compileSearch(a.query as string | undefined, { fields: { name: { kind: "text", get: (l: ShopState["locations"][number]) => l.name } }, text: (l) => [l.name] });
    const locs = ctx.shop.locations.filter((l) => (a.includeInactive || l.isActive) && search.match(l));
    const sorted = sortBy(locs, (l) => (a.sortKey === "ID" ? l.id : l.name.toLowerCase()), (l) => l.id);
    return paginate(sorted, a as PageArgs, (l) => [l.id, a.sortKey === "ID" ? l.id : l.name.toLowerCase()], (l) => new LocationView(ctx.shop, l), ctx, { root: true });
  },
  location: (a: Args, ctx: GqlContext) => (a.id ? nodeOfType(ctx, a.id as string, "Location") : new LocationView(ctx.shop, ctx.shop.primaryLocation())),
  orders: (a: Args, ctx: GqlContext) => ordersConnection(ctx.shop, a, ctx, true),
  order: (a: Args, ctx: GqlContext) => orderById(ctx.shop, a.id as string),
  orderByIdentifier: (a: Args, ctx: GqlContext) => orderByIdentifier(ctx.shop, a.identifier as Parameters<typeof orderByIdentifier>[1]),
  node: (a: Args, ctx: GqlContext) => nodeById(ctx.shop, a.id as string, ctx.services.origin()),
  nodes: (a: Args, ctx: GqlContext) => (a.ids as string[]).map((id) => nodeById(ctx.shop, id, ctx.services.origin())),
  bulkOperation: (a: Args, ctx: GqlContext) => nodeOfType(ctx, a.id as string, "BulkOperation"),
  currentBulkOperation: (a: Args, ctx: GqlContext) => {
    if (a.type === "MUTATION") return null;
    const ops = [...ctx.shop.bulkOperations.values()];
    const last = ops[ops.length - 1];
    return last ? bulkOperationView(last, ctx.services.origin()) : null;
  },
  bulkOperations: (a: Args, ctx: GqlContext) => {
    const search = compileSearch(a.query as string | undefined, {
      fields: { status: { kind: "string", get: (b: ReturnType<ShopState["bulkOperations"]["get"]> & object) => b.status }, operation_type: { kind: "string", get: () => "QUERY" }, created_at: { kind: "date", get: (b) => b.createdAt } },
      text: () => [],
    });
    const ops = [...ctx.shop.bulkOperations.values()].filter(search.match);
    return paginate(ops, a as PageArgs, (b) => [b.id, b.createdAt], (b) => bulkOperationView(b, ctx.services.origin()), ctx);
  },
  job: (a: Args) => ({ id: a.id, done: true, query: queryRoot }),
};

function nodeOfType(ctx: GqlContext, id: string, type: string): unknown {
  const p = parseGid(id);
  if (!p || p.type !== type) return null;
  return nodeById(ctx.shop, id, ctx.services.origin());
}

export const mutationRoot = {
  draftOrderCalculate: (a: Args, ctx: GqlContext) => draftOrderCalculate(ctx.shop, a.input as DraftInput),
  orderCreate: (a: Args, ctx: GqlContext) => orderCreateMutation(ctx.shop, a),
  metafieldDefinitionCreate: (a: Args, ctx: GqlContext) => metafieldDefinitionCreateMutation(ctx.shop, a),
  orderCancel: (a: Args, ctx: GqlContext) => orderCancelMutation(ctx.shop, a),
  refundCreate: (a: Args, ctx: GqlContext, info: GraphQLResolveInfo) => refundCreateMutation(ctx.shop, a, info),
  bulkOperationRunQuery: (a: Args, ctx: GqlContext) => {
    const res = ctx.services.startBulkQuery(ctx.shop, a.query as string, Boolean(a.groupObjects));
    if ("errors" in res) return { bulkOperation: null, userErrors: res.errors };
    return { bulkOperation: bulkOperationView(ctx.shop.bulkOperations.get(res.bulkOperationId)!, ctx.services.origin()), userErrors: [] };
  },
};

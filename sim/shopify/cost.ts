// Query cost and the per-shop leaky bucket, modelled on Shopify's calculated query costs:
// scalars/enums 0, objects 1, connections 2 + (first|last) × cost of one node, mutations 10.
// "actual" cost walks the response instead, so short pages cost less (Shopify refunds the difference).
import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from "graphql";

export interface ThrottleConfig {
  maximumAvailable: number;
  restoreRate: number;
}
export const DEFAULT_THROTTLE: ThrottleConfig = { maximumAvailable: 2000, restoreRate: 100 };

/** The store plans whose Admin API limits Shopify publishes ("GraphQL Admin API rate limits"). */
export type ShopPlanTier = "standard" | "advanced" | "plus" | "enterprise";

/**
 * Restore rates per plan as Shopify documents them: Standard 100, Advanced Shopify 200, Shopify Plus 1000, Shopify
 * for enterprise (Commerce Components) 2000 points/second (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 * Shopify does not publish the bucket sizes; every answer it gives reports its bucket as 20 seconds of restore
 * (Standard `maximumAvailable: 2000` at `restoreRate: 100`, as before 1000 at 50), and that ratio is kept for
 * each plan (docs/decisions/0157). The app never assumes them: it reads `extensions.cost.throttleStatus`.
 */
export const PLAN_THROTTLE: Record<ShopPlanTier, ThrottleConfig> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
};
export const MAX_SINGLE_QUERY_COST = 1000;

export class LeakyBucket {
  private available: number;
  private last: number;
  constructor(
    private cfg: ThrottleConfig,
    private readonly clock: () => number,
  ) {
    this.available = cfg.maximumAvailable;
    this.last = clock();
  }
  configure(cfg: Partial<ThrottleConfig>): void {
    this.refill();
    this.cfg = { ...this.cfg, ...cfg };
    // Reconfiguring (tests do it) starts from a full bucket of the new size.
    this.available = this.cfg.maximumAvailable;
  }
  private refill(): void {
    const now = this.clock();
    // Real time, not the injected business clock, drives restoration (see index.ts).
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.available = Math.min(this.cfg.maximumAvailable, this.available + elapsed * this.cfg.restoreRate);
    this.last = now;
  }
  /** Takes `cost` points if available; false means THROTTLED. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.cfg.maximumAvailable, this.available + Math.max(0, points));
  }
  status(): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } {
    this.refill();
    return { maximumAvailable: this.cfg.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.cfg.restoreRate };
  }
}

interface Ctx {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** Flattens fragments: returns each field with the composite type it was selected on. */
function collectFields(ctx: Ctx, type: GraphQLCompositeType, set: SelectionSetNode, out: Array<{ type: GraphQLCompositeType; node: FieldNode }> = []) {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push({ type, node: sel });
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? (ctx.schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : type;
      collectFields(ctx, t ?? type, sel.selectionSet, out);
    } else {
      const frag = ctx.fragments[sel.name.value];
      if (frag) collectFields(ctx, (ctx.schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType) ?? type, frag.selectionSet, out);
    }
  }
  return out;
}

function fieldDef(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name];
  return undefined;
}

function argValue(ctx: Ctx, node: FieldNode, name: string): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return valueFromASTUntyped(arg.value as ValueNode, ctx.variables);
}

function isConnection(typeName: string): boolean {
  return typeName.endsWith("Connection");
}

/** Cost of one object of `type` selected with `set` (the object itself counts 1). */
function objectCost(ctx: Ctx, type: GraphQLCompositeType, set: SelectionSetNode | undefined, data?: unknown): number {
  return 1 + selectionCost(ctx, type, set, data);
}

function selectionCost(ctx: Ctx, type: GraphQLCompositeType, set: SelectionSetNode | undefined, data?: unknown, actual = data !== undefined): number {
  if (!set) return 0;
  // Fragments on different concrete types are alternatives: like Shopify, count the most expensive one.
  const byType = new Map<GraphQLCompositeType, Array<{ type: GraphQLCompositeType; node: FieldNode }>>();
  for (const f of collectFields(ctx, type, set)) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
  const common = byType.get(type) ?? [];
  byType.delete(type);
  let alternatives = 0;
  for (const fields of byType.values()) alternatives = Math.max(alternatives, fieldsCost(ctx, fields, data, actual));
  return fieldsCost(ctx, common, data, actual) + alternatives;
}

function fieldsCost(ctx: Ctx, fields: Array<{ type: GraphQLCompositeType; node: FieldNode }>, data: unknown, actual: boolean): number {
  let total = 0;
  for (const { type: t, node } of fields) {
    const def = fieldDef(t, node.name.value);
    if (!def) continue;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    const key = node.alias?.value ?? node.name.value;
    const value = actual ? (data as Record<string, unknown> | null)?.[key] : undefined;
    if (actual && (value === null || value === undefined)) continue;
    if (isConnection(named.name)) total += connectionCost(ctx, named, node, value, actual);
    else if (isListType(isNonNullType(def.type) ? def.type.ofType : def.type)) {
      // Plain lists cost like one object, except nodes(ids:) which costs one object per id.
      const ids = argValue(ctx, node, "ids");
      if (actual) {
        const items = ((value as unknown[]) ?? []).filter((x) => x != null);
        if (Array.isArray(ids)) for (const item of items) total += objectCost(ctx, named, node.selectionSet, item);
        else if (items.length) total += Math.max(...items.map((item) => objectCost(ctx, named, node.selectionSet, item)));
      } else total += (Array.isArray(ids) ? ids.length : 1) * objectCost(ctx, named, node.selectionSet);
    } else total += actual ? objectCost(ctx, named, node.selectionSet, value) : objectCost(ctx, named, node.selectionSet);
  }
  return total;
}

function connectionCost(ctx: Ctx, type: GraphQLCompositeType, node: FieldNode, value: unknown, actual: boolean): number {
  const size = Number(argValue(ctx, node, "first") ?? argValue(ctx, node, "last") ?? 0) || 0;
  let total = 2;
  if (!node.selectionSet) return total;
  for (const { type: t, node: sub } of collectFields(ctx, type, node.selectionSet)) {
    const def = fieldDef(t, sub.name.value);
    if (!def) continue;
    const key = sub.alias?.value ?? sub.name.value;
    const subValue = actual ? (value as Record<string, unknown>)?.[key] : undefined;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    if (sub.name.value === "nodes") {
      if (actual) for (const item of (subValue as unknown[]) ?? []) total += item == null ? 0 : objectCost(ctx, named, sub.selectionSet, item);
      else total += size * objectCost(ctx, named, sub.selectionSet);
    } else if (sub.name.value === "edges") {
      // The edge is free; its node is the object that costs.
      const nodeSel = sub.selectionSet ? collectFields(ctx, named, sub.selectionSet).find((f) => f.node.name.value === "node") : undefined;
      const nodeDef = nodeSel ? fieldDef(nodeSel.type, "node") : undefined;
      if (!nodeSel || !nodeDef) continue;
      const nodeType = getNamedType(nodeDef.type) as GraphQLCompositeType;
      const nodeKey = nodeSel.node.alias?.value ?? "node";
      if (actual) for (const edge of (subValue as Array<Record<string, unknown>>) ?? []) total += edge?.[nodeKey] == null ? 0 : objectCost(ctx, nodeType, nodeSel.node.selectionSet, edge[nodeKey]);
      else total += size * objectCost(ctx, nodeType, nodeSel.node.selectionSet);
    }
    // pageInfo and other connection-level objects are included in the base 2.
  }
  return total;
}

export interface CostResult {
  requested: number;
  isMutation: boolean;
}

function makeCtx(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown> | undefined): Ctx {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema, fragments, variables: variables ?? {} };
}

export function requestedCost(schema: GraphQLSchema, doc: DocumentNode, op: OperationDefinitionNode, variables?: Record<string, unknown>): number {
  const ctx = makeCtx(schema, doc, variables);
  if (op.operation === "mutation") return 10 * collectFields(ctx, schema.getMutationType()!, op.selectionSet).filter((f) => f.node.name.value !== "__typename").length;
  return selectionCost(ctx, schema.getQueryType()!, op.selectionSet, undefined, false);
}

export function actualCost(schema: GraphQLSchema, doc: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown> | undefined, data: unknown): number {
  const ctx = makeCtx(schema, doc, variables);
  if (op.operation === "mutation") return requestedCost(schema, doc, op, variables);
  if (data == null) return 0;
  return selectionCost(ctx, schema.getQueryType()!, op.selectionSet, data, true);
}

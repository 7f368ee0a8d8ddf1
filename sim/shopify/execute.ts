// One GraphQL request against one shop: parse → validate (Shopify-style errors) → coerce variables →
// cost & throttle → execute with a resolver that fails loudly on unimplemented fields → cost report.
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { actualCost, MAX_SINGLE_QUERY_COST, requestedCost } from "./cost.js";
import { mapSyntaxError, mapValidationErrors, mapVariableErrors, type ShopifyGraphqlError } from "./errors.js";
import { ShopifyError, type BulkWindow, type GqlContext, type SimServices } from "./resolvers/context.js";
import { mutationRoot, queryRoot } from "./resolvers/root.js";
import type { ShopState } from "./store.js";

export interface CallRecord {
  shop: string;
  operationName: string | null;
  operationType: "query" | "mutation" | "subscription" | null;
  rootFields: string[];
  requestedQueryCost: number;
  actualQueryCost: number;
  throttled: boolean;
  errors: number;
  at: string;
}

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * Resolves `info.fieldName` on the source. A property that is `undefined` (absent) means the simulator
 * does not implement that field: fail loudly instead of returning a silent null. `null` is a real value.
 */
export const strictFieldResolver: GraphQLFieldResolver<unknown, GqlContext> = (source, args, ctx, info) => {
  if (source === null || typeof source !== "object") {
    throw new ShopifyError(`${info.parentType.name}.${info.fieldName} is not implemented by the Shopify simulator`, { code: "NOT_IMPLEMENTED" });
  }
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (value === undefined) {
    throw new ShopifyError(`${info.parentType.name}.${info.fieldName} is not implemented by the Shopify simulator`, { code: "NOT_IMPLEMENTED", typeName: info.parentType.name, fieldName: info.fieldName });
  }
  if (typeof value === "function") return (value as (a: unknown, c: unknown, i: unknown) => unknown).call(source, args, ctx, info);
  return value;
};

function formatExecutionError(e: GraphQLError): ShopifyGraphqlError {
  const out: ShopifyGraphqlError = { message: e.message };
  if (e.locations) out.locations = e.locations.map((l) => ({ line: l.line, column: l.column }));
  if (e.path) out.path = [...e.path];
  const orig = e.originalError;
  if (orig instanceof ShopifyError && Object.keys(orig.extensions).length) out.extensions = orig.extensions;
  else if (orig && !(orig instanceof ShopifyError) && !(orig instanceof GraphQLError)) {
    // An unexpected exception is a simulator bug: say so rather than pretending it is Shopify's answer.
    out.extensions = { code: "INTERNAL_SERVER_ERROR", simulatorError: orig.stack?.split("\n").slice(0, 3).join(" | ") };
  }
  return out;
}

export interface ExecOutcome {
  body: Record<string, unknown>;
  record: CallRecord;
}

export async function runGraphql(schema: GraphQLSchema, shop: ShopState, services: SimServices, req: GraphqlRequest): Promise<ExecOutcome> {
  const record: CallRecord = {
    shop: shop.domain,
    operationName: typeof req.operationName === "string" ? req.operationName : null,
    operationType: null,
    rootFields: [],
    requestedQueryCost: 0,
    actualQueryCost: 0,
    throttled: false,
    errors: 0,
    at: new Date().toISOString(),
  };
  const fail = (errors: ShopifyGraphqlError[], extra: Record<string, unknown> = {}): ExecOutcome => {
    record.errors = errors.length;
    return { body: { errors, ...extra }, record };
  };
  if (typeof req.query !== "string" || !req.query.trim()) return fail([{ message: "No query string was present" }]);
  let doc: DocumentNode;
  try {
    doc = parse(req.query);
  } catch (e) {
    return fail([mapSyntaxError(e as GraphQLError)]);
  }
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = record.operationName ? ops.find((o) => o.name?.value === record.operationName) : ops.length === 1 ? ops[0] : undefined;
  if (op) {
    record.operationName = op.name?.value ?? record.operationName;
    record.operationType = op.operation;
    record.rootFields = op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : "..."));
  }
  const validationErrors = validate(schema, doc);
  if (validationErrors.length) return fail(mapValidationErrors(doc, validationErrors));
  if (!op) {
    if (record.operationName) return fail([{ message: `No operation named "${record.operationName}"` }]);
    return fail([{ message: "An operation name is required" }]);
  }
  if (op.operation === "subscription") return fail([{ message: "Subscriptions are not supported" }]);

  const rawVars = (req.variables && typeof req.variables === "object" ? req.variables : {}) as Record<string, unknown>;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVars, { maxErrors: 50 });
  if (coerced.errors) {
    const types = Object.fromEntries((op.variableDefinitions ?? []).map((v) => [v.variable.name.value, print(v.type)]));
    return fail(mapVariableErrors(coerced.errors, types, rawVars));
  }

  const requested = requestedCost(schema, doc, op, coerced.coerced);
  record.requestedQueryCost = requested;
  if (requested > MAX_SINGLE_QUERY_COST) {
    return fail(
      [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST, documentation: "https://shopify.dev/api/usage/limits#rate-limits" },
        },
      ],
      { extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } } },
    );
  }
  if (!shop.bucket.tryTake(requested)) {
    record.throttled = true;
    return fail([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], {
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
    });
  }

  const ctx: GqlContext = { shop, services };
  const result = await execute({
    schema,
    document: doc,
    rootValue: op.operation === "mutation" ? mutationRoot : queryRoot,
    contextValue: ctx,
    variableValues: rawVars,
    operationName: op.name?.value,
    fieldResolver: strictFieldResolver,
  });
  const actual = actualCost(schema, doc, op, coerced.coerced, result.data);
  record.actualQueryCost = actual;
  shop.bucket.refund(requested - actual);
  const body: Record<string, unknown> = {};
  if (result.errors?.length) {
    body.errors = result.errors.map(formatExecutionError);
    record.errors = result.errors.length;
  }
  body.data = result.data ?? null;
  body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() } };
  return { body, record };
}

/** Executes an (already validated) bulk query for one window of root objects. */
export async function executeBulkWindow(schema: GraphQLSchema, shop: ShopState, services: SimServices, doc: DocumentNode, window: BulkWindow) {
  const ctx: GqlContext = { shop, services, bulk: window };
  return execute({ schema, document: doc, rootValue: queryRoot, contextValue: ctx, fieldResolver: strictFieldResolver });
}

// Bulk query operations: validate the inner query like Shopify (≥1 and ≤5 connections, nesting ≤2),
// then run it asynchronously in windows of root objects and stream JSONL to a temp file. Nested
// connections are flattened into their own lines carrying `__parentId`, as Shopify does.
import { createWriteStream, mkdtempSync, statSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import {
  getNamedType,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { executeBulkWindow } from "./execute.js";
import { mapSyntaxError, mapValidationErrors } from "./errors.js";
import type { BulkWindow, SimServices } from "./resolvers/context.js";
import type { ShopState } from "./store.js";
import type { BulkOperationData } from "./types.js";

export interface BulkError {
  field: string[] | null;
  message: string;
  code: string;
}

/** Counts connections and their nesting depth. */
function analyse(schema: GraphQLSchema, doc: DocumentNode): { connections: number; maxDepth: number; rootIsConnection: boolean } {
  const fragments = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [(d as { name: { value: string } }).name.value, d as { selectionSet: SelectionSetNode; typeCondition: { name: { value: string } } }]));
  let connections = 0;
  let maxDepth = 0;
  const walk = (type: GraphQLCompositeType, set: SelectionSetNode, depth: number) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = isObjectType(type) || isInterfaceType(type) ? type.getFields()[sel.name.value] : undefined;
        if (!def || !sel.selectionSet) continue;
        const named = getNamedType(def.type) as GraphQLCompositeType;
        const isConn = named.name.endsWith("Connection");
        if (isConn) {
          connections++;
          maxDepth = Math.max(maxDepth, depth + 1);
        }
        walk(named, sel.selectionSet, depth + (isConn ? 1 : 0));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk((sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type) as GraphQLCompositeType, sel.selectionSet, depth);
      } else {
        const f = fragments.get(sel.name.value);
        if (f) walk(schema.getType(f.typeCondition.name.value) as GraphQLCompositeType, f.selectionSet, depth);
      }
    }
  };
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  let rootIsConnection = false;
  if (op && op.kind === Kind.OPERATION_DEFINITION) {
    walk(schema.getQueryType()!, op.selectionSet, 0);
    const roots = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
    const first = roots[0];
    rootIsConnection = roots.length === 1 && first.kind === Kind.FIELD && !!schema.getQueryType()!.getFields()[first.name.value] && getNamedType(schema.getQueryType()!.getFields()[first.name.value].type).name.endsWith("Connection");
  }
  return { connections, maxDepth, rootIsConnection };
}

export function validateBulkQuery(schema: GraphQLSchema, query: string): { doc: DocumentNode } | { errors: BulkError[] } {
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch (e) {
    return { errors: [{ field: ["query"], message: `Invalid bulk query: ${mapSyntaxError(e as GraphQLError).message}`, code: "INVALID" }] };
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION || op.operation !== "query") return { errors: [{ field: ["query"], message: "Invalid bulk query: bulkOperationRunQuery only accepts queries", code: "INVALID" }] };
  const v = validate(schema, doc);
  if (v.length) return { errors: mapValidationErrors(doc, v).map((e) => ({ field: ["query"], message: `Invalid bulk query: ${e.message}`, code: "INVALID" })) };
  const a = analyse(schema, doc);
  if (a.connections < 1) return { errors: [{ field: ["query"], message: "Bulk queries must contain at least one connection.", code: "INVALID" }] };
  if (a.connections > 5) return { errors: [{ field: ["query"], message: "Bulk queries cannot contain more than 5 connections.", code: "INVALID" }] };
  if (a.maxDepth > 2) return { errors: [{ field: ["query"], message: "Bulk queries cannot contain connections with a nesting depth greater than 2.", code: "INVALID" }] };
  if (!a.rootIsConnection) return { errors: [{ field: ["query"], message: "Invalid bulk query: the Shopify simulator only supports a single top-level connection field.", code: "INVALID" }] };
  return { doc };
}

function isConnectionValue(v: unknown): v is { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Array<Record<string, unknown>> } {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k === "edges" || k === "nodes" || k === "pageInfo") && (Array.isArray((v as { edges?: unknown }).edges) || Array.isArray((v as { nodes?: unknown }).nodes));
}

function connectionItems(v: { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Array<Record<string, unknown>> }): Array<Record<string, unknown>> {
  return (v.nodes ?? v.edges?.map((e) => e.node) ?? []).filter(Boolean);
}

/** Writes one object and (after it) its nested connection children as JSONL lines. */
function flatten(obj: Record<string, unknown>, parentId: string | null, lines: string[]): void {
  const own: Record<string, unknown> = {};
  const children: Array<Record<string, unknown>> = [];
  for (const [k, v] of Object.entries(obj)) {
    if (isConnectionValue(v)) children.push(...connectionItems(v));
    else own[k] = v;
  }
  if (parentId) own.__parentId = parentId;
  lines.push(JSON.stringify(own));
  const id = typeof obj.id === "string" ? obj.id : parentId;
  for (const c of children) flatten(c, id, lines);
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((r) => stream.once("drain", () => r()));
}

export class BulkRunner {
  private dir: string | null = null;
  /** file token -> absolute path, for GET /_files/bulk/<token>.jsonl */
  readonly files = new Map<string, string>();
  private running = new Set<Promise<void>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly services: () => SimServices,
    private readonly windowSize = 250,
  ) {}

  private tempDir(): string {
    if (!this.dir) this.dir = mkdtempSync(path.join(tmpdir(), "shopify-sim-bulk-"));
    return this.dir;
  }

  start(shop: ShopState, query: string): { bulkOperationId: number } | { errors: BulkError[] } {
    const inProgress = [...shop.bulkOperations.values()].find((b) => b.status === "CREATED" || b.status === "RUNNING");
    if (inProgress) return { errors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${inProgress.id}.`, code: "OPERATION_IN_PROGRESS" }] };
    const v = validateBulkQuery(this.schema, query);
    if ("errors" in v) return v;
    const op: BulkOperationData = {
      id: shop.nextId("BulkOperation"),
      query,
      status: "CREATED",
      errorCode: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      filePath: null,
      fileToken: `${randomBytes(12).toString("hex")}`,
      createdAt: shop.nowIso(),
      completedAt: null,
    };
    shop.bulkOperations.set(op.id, op);
    const p = this.run(shop, op, v.doc).finally(() => this.running.delete(p));
    this.running.add(p);
    return { bulkOperationId: op.id };
  }

  /** Resolves when every started bulk operation has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  private async run(shop: ShopState, op: BulkOperationData, doc: DocumentNode): Promise<void> {
    // Let the mutation response go out first: Shopify answers CREATED and works in the background.
    await new Promise((r) => setTimeout(r, 25));
    op.status = "RUNNING";
    const file = path.join(this.tempDir(), `${op.fileToken}.jsonl`);
    const stream = createWriteStream(file);
    op.filePath = file;
    this.files.set(op.fileToken, file);
    try {
      // One window object for the whole run, so the root list is computed once (see cachedRoot).
      const window: BulkWindow = { start: 0, size: this.windowSize };
      for (let start = 0; ; start += this.windowSize) {
        window.start = start;
        const result = await executeBulkWindow(this.schema, shop, this.services(), doc, window);
        if (result.errors?.length) throw new Error(result.errors[0].message);
        const rootValue = Object.values(result.data ?? {})[0];
        const roots = isConnectionValue(rootValue) ? connectionItems(rootValue) : [];
        const lines: string[] = [];
        for (const r of roots) flatten(r, null, lines);
        op.rootObjectCount += roots.length;
        op.objectCount += lines.length;
        if (lines.length) await write(stream, lines.join("\n") + "\n");
        if (window.total === undefined || start + this.windowSize >= window.total) break;
        // Yield between windows so the server keeps answering (and polling sees RUNNING).
        await new Promise((r) => setImmediate(r));
      }
      await new Promise<void>((r) => stream.end(() => r()));
      op.fileSize = statSync(file).size;
      op.status = "COMPLETED";
    } catch (e) {
      await new Promise<void>((r) => stream.end(() => r()));
      op.status = "FAILED";
      op.errorCode = "INTERNAL_SERVER_ERROR";
      op.fileSize = statSync(file).size;
      (op as BulkOperationData & { failure?: string }).failure = (e as Error).message;
    }
    op.completedAt = shop.nowIso();
    shop.emit({ topic: "bulk_operations/finish", bulkOperation: op });
  }
}

export function bulkOperationView(op: BulkOperationData, origin: string) {
  const url = `${origin}/_files/bulk/${op.fileToken}.jsonl`;
  return {
    __typename: "BulkOperation",
    id: `gid://shopify/BulkOperation/${op.id}`,
    status: op.status,
    errorCode: op.errorCode,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null || op.status !== "COMPLETED" || op.objectCount === 0 ? null : String(op.fileSize),
    // Shopify returns url null when the operation produced no objects.
    url: op.status === "COMPLETED" && op.objectCount > 0 ? url : null,
    partialDataUrl: op.status === "FAILED" && (op.fileSize ?? 0) > 0 ? url : null,
    query: op.query,
    type: "QUERY",
    createdAt: op.createdAt,
    completedAt: op.completedAt,
  };
}


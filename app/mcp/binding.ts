// The ACP MCP binding (2026-04-17, acp.md §2.12): five tools that map 1:1 to the REST checkout operations. Their
// names, descriptions and `meta` come from the official OpenRPC file; `payload` is the REST request body, so the
// advertised schema is the official JSON Schema definition with the definitions it references inlined.
import openrpc from "../../spec/acp/2026-04-17/openrpc/openrpc.agentic_checkout.json";
import bundle from "../../spec/acp/2026-04-17/json-schema/schema.agentic_checkout.json";

export type CheckoutToolName =
  | "create_checkout_session"
  | "get_checkout_session"
  | "update_checkout_session"
  | "complete_checkout_session"
  | "cancel_checkout_session";

/** How a tool maps onto the REST operation: method, path below the ACP base, and whether a body is sent. */
export interface CheckoutOperation {
  tool: CheckoutToolName;
  method: "GET" | "POST";
  path: (id: string) => string;
  /** The request definition `payload` must match; absent for get. */
  payloadSchema?: string;
  payloadRequired: boolean;
  idRequired: boolean;
}

const session = (id: string) => `/checkout_sessions/${encodeURIComponent(id)}`;

export const CHECKOUT_OPERATIONS: Record<CheckoutToolName, CheckoutOperation> = {
  create_checkout_session: { tool: "create_checkout_session", method: "POST", path: () => "/checkout_sessions", payloadSchema: "CheckoutSessionCreateRequest", payloadRequired: true, idRequired: false },
  get_checkout_session: { tool: "get_checkout_session", method: "GET", path: session, payloadRequired: false, idRequired: true },
  update_checkout_session: { tool: "update_checkout_session", method: "POST", path: session, payloadSchema: "CheckoutSessionUpdateRequest", payloadRequired: true, idRequired: true },
  complete_checkout_session: { tool: "complete_checkout_session", method: "POST", path: (id) => `${session(id)}/complete`, payloadSchema: "CheckoutSessionCompleteRequest", payloadRequired: true, idRequired: true },
  cancel_checkout_session: { tool: "cancel_checkout_session", method: "POST", path: (id) => `${session(id)}/cancel`, payloadSchema: "CancelSessionRequest", payloadRequired: false, idRequired: true },
};

export function isCheckoutTool(name: string): name is CheckoutToolName {
  return Object.hasOwn(CHECKOUT_OPERATIONS, name);
}

interface RpcParam {
  name: string;
  required?: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
interface RpcMethod {
  name: string;
  summary: string;
  description: string;
  params: RpcParam[];
}

type JsonSchema = Record<string, unknown>;
const defs = (bundle as { $defs: Record<string, JsonSchema> }).$defs;
const metaSchema = (openrpc as unknown as { components: { schemas: { meta: JsonSchema } } }).components.schemas.meta;

/** The definition and every definition it references, without the non-standard `example` keyword. */
function closure(root: string): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const pending = [root];
  while (pending.length) {
    const name = pending.pop()!;
    if (out[name] || !defs[name]) continue;
    out[name] = strip(defs[name]) as JsonSchema;
    for (const match of JSON.stringify(defs[name]).matchAll(/"#\/\$defs\/([A-Za-z0-9_]+)"/g)) pending.push(match[1]);
  }
  // Upstream #264 (fix PR #270): `Item` cannot carry a quantity; the core reads one leniently (docs/decisions/0020),
  // so the advertised schema says so instead of rejecting what the server accepts.
  if (out.Item) {
    const item = out.Item as { properties: Record<string, unknown> };
    out.Item = { ...out.Item, properties: { ...item.properties, quantity: { type: "integer", minimum: 1, description: "Units of this item (default 1); see ACP issue #264." } } };
  }
  return out;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "example" && key !== "examples").map(([key, v]) => [key, strip(v)]));
}

/** A light check of the result, so hosts know it is a session; the full schema depends on meta.api_version. */
const SESSION_OUTPUT: JsonSchema = {
  type: "object",
  description: "The ACP CheckoutSession of meta.api_version (the JSON Schema of that version), exactly as the REST API returns it.",
  required: ["id", "status", "currency", "line_items", "totals"],
  properties: { id: { type: "string" }, status: { type: "string" }, currency: { type: "string" }, line_items: { type: "array" }, totals: { type: "array" } },
};

export interface ToolDefinition {
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema & { type: "object" };
  outputSchema?: JsonSchema & { type: "object" };
  annotations?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/** tools/list entries for the five checkout tools, built from the OpenRPC methods. */
export function checkoutToolDefinitions(meta: (tool: CheckoutToolName) => Record<string, unknown>): ToolDefinition[] {
  return (openrpc.methods as RpcMethod[]).filter((m) => isCheckoutTool(m.name)).map((method) => {
    const op = CHECKOUT_OPERATIONS[method.name as CheckoutToolName];
    const properties: Record<string, unknown> = { meta: strip(metaSchema) };
    const required = ["meta"];
    let $defs: Record<string, JsonSchema> | undefined;
    for (const param of method.params) {
      if (param.name === "id") properties.id = { type: "string", description: param.description };
      if (param.name === "payload" && op.payloadSchema) {
        $defs = closure(op.payloadSchema);
        properties.payload = { $ref: `#/$defs/${op.payloadSchema}`, description: param.description };
      }
      if (param.required && param.name !== "meta") required.push(param.name);
    }
    const mutating = op.method === "POST";
    return {
      name: method.name,
      title: method.summary,
      description: `${method.description}${mutating ? " Send meta.idempotency_key (the same key as REST's Idempotency-Key) so a retry never repeats the operation." : ""}`,
      inputSchema: { type: "object", properties, required, ...($defs ? { $defs } : {}) },
      outputSchema: SESSION_OUTPUT as JsonSchema & { type: "object" },
      annotations: { readOnlyHint: !mutating, destructiveHint: op.tool === "cancel_checkout_session", idempotentHint: !mutating, openWorldHint: false },
      _meta: meta(op.tool),
    };
  });
}

// Errors the way the ACP MCP binding describes them (acp.md §2.12; examples.mcp.agentic_checkout.json): a JSON-RPC
// error with code -32000 whose `data` is the flat ACP Error. Business problems are not errors: they stay in the
// session's `messages[]` on a normal result. Nothing here ever carries a stack trace or an internal message.
import type { AcpErrorBody } from "../acp/errors";

export const ACP_ERROR_CODE = -32000;

/** JSON-RPC "Invalid params": an unknown tool or a malformed tools/call (docs/decisions/0123). */
export const INVALID_PARAMS = -32602;

/**
 * Thrown from a request handler; the SDK's Protocol sends `{code, message, data}` as the JSON-RPC error (unlike
 * McpError, the message goes out as it is, without an "MCP error <code>:" prefix).
 */
export class AcpToolError extends Error {
  constructor(
    readonly data: AcpErrorBody,
    readonly code: number = ACP_ERROR_CODE,
  ) {
    super(data.message);
    this.name = "AcpToolError";
  }
}

export function acpError(type: AcpErrorBody["type"], code: string, message: string, param?: string): AcpToolError {
  return new AcpToolError({ type, code, message, ...(param ? { param } : {}) });
}

export const toolErrors = {
  internal: () => acpError("processing_error", "internal_error", "The request could not be processed. It is safe to retry."),
  invalidArguments: (message: string, param?: string) => acpError("invalid_request", "invalid_request", message, param),
  unknownTool: (name: string) =>
    new AcpToolError({ type: "invalid_request", code: "unknown_tool", message: `$.name: no tool named '${name.slice(0, 80)}'; tools/list has the tools.`, param: "$.name" }, INVALID_PARAMS),
  invalidParams: (message: string, param: string) => new AcpToolError({ type: "invalid_request", code: "invalid_request", message, param }, INVALID_PARAMS),
};

/**
 * Errors of the app's own tools (search_products, get_product) are tool results, so the model can read and fix
 * them (MCP tools: "tool execution errors"); the ACP Error is the structured content.
 */
export function toolErrorResult(error: AcpToolError) {
  return { isError: true, content: [{ type: "text" as const, text: error.data.message }], structuredContent: { error: error.data } };
}

/** A flat ACP Error body from the REST core, or null if the bytes are not one. */
export function readAcpError(text: string): AcpErrorBody | null {
  try {
    const body = JSON.parse(text) as Partial<AcpErrorBody>;
    if (body && typeof body.type === "string" && typeof body.code === "string" && typeof body.message === "string") return body as AcpErrorBody;
  } catch {}
  return null;
}

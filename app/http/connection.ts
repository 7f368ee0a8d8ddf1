// What the server knows about the connection, from Express's load context (scripts/serve.mjs getLoadContext):
// the socket's peer address, for limits on unauthenticated traffic (docs/decisions/0111). Never a header.
import type { ConnectionInfo } from "../acp/handler";

export function connection(context: unknown): ConnectionInfo {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof address === "string" ? { clientAddress: address } : {};
}

// What each ACP version provides: lenient request preparation, readers into domain commands, a serializer.
import type { CheckoutSession } from "../../checkout/model";
import type { CreateCheckout, UpdateCheckout } from "../../checkout/service";
import type { CompleteCommand } from "../../checkout/complete";
import type { AcpVersion } from "../versions";
import type { Json } from "./common";

export interface PreparedBody {
  /** The body to validate against the version's schema. */
  body: Json;
  /** Quantities lifted out of `line_items` before validation (2026-04-17 schema defect), by index. */
  quantities: unknown[];
}

export interface WireVersion {
  version: AcpVersion;
  prepareCreate(body: Json): PreparedBody;
  prepareUpdate(body: Json): PreparedBody;
  readCreate(body: Json, quantities: unknown[]): CreateCheckout;
  readUpdate(body: Json, quantities: unknown[]): UpdateCheckout;
  readCancelReason(body: Json): string | undefined;
  /** The cancel request's `intent_trace`, as sent (2026-04-17); undefined where the version has none. */
  readIntentTrace(body: Json): Record<string, unknown> | undefined;
  readComplete(body: Json): CompleteCommand;
  /** Internal JSONPaths are written in 2026-04-17 terms; older versions rename fields. */
  mapParam(param: string): string;
  serialize(session: CheckoutSession): Json;
}

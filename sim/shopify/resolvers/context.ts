// What every resolver receives as GraphQL context.
import type { ShopState } from "../store.js";

export interface BulkWindow {
  /** index of the first root object in this chunk and the chunk size */
  start: number;
  size: number;
  /** set by the root connection resolver: total number of root objects */
  total?: number;
  /** the filtered, sorted root list, computed once per bulk operation instead of once per window */
  cache?: unknown[];
}

export interface SimServices {
  /** origin of the simulator, e.g. http://127.0.0.1:4100 */
  origin: () => string;
  apiVersion: string;
  startBulkQuery: (shop: ShopState, query: string, groupObjects: boolean) => { bulkOperationId: number } | { errors: Array<{ field: string[] | null; message: string; code: string }> };
}

export interface GqlContext {
  shop: ShopState;
  services: SimServices;
  /** set while running a bulk operation: connections are not limited by first/last, the root one is windowed */
  bulk?: BulkWindow;
}

/** Throwing this from a resolver yields a GraphQL error with these extensions. */
export class ShopifyError extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// The checkout status machine (acp.md §2.7; the spec has prose only, no table; docs/decisions/0023).
//
//   create ─▶ not_ready_for_payment ⇄ ready_for_payment            (derived from the data on every write)
//   ready_for_payment ──complete──▶ complete_in_progress ──▶ completed | authentication_required | ready (declined)
//   authentication_required ──complete + result──▶ complete_in_progress
//   any open status ──cancel──▶ canceled;  any open status ──expires_at passed──▶ expired
//   completed, canceled, expired are terminal.
import type { CheckoutMessage, CheckoutSession, CheckoutStatus } from "./model";

export type Operation = "update" | "cancel" | "complete";

const ALLOWED: Record<Operation, ReadonlySet<CheckoutStatus>> = {
  update: new Set(["not_ready_for_payment", "ready_for_payment", "authentication_required"]),
  cancel: new Set(["not_ready_for_payment", "ready_for_payment", "authentication_required"]),
  complete: new Set(["ready_for_payment", "authentication_required"]),
};

/** An operation that the session's status does not allow (e.g. cancel on canceled). */
export class IllegalTransitionError extends Error {
  constructor(
    readonly operation: Operation,
    readonly from: CheckoutStatus,
  ) {
    super(`Cannot ${operation} a checkout session that is ${from.replaceAll("_", " ")}`);
    this.name = "IllegalTransitionError";
  }
  /** A `complete` is running: retry later rather than give up. */
  get inProgress(): boolean {
    return this.from === "complete_in_progress";
  }
}

export function assertAllowed(operation: Operation, from: CheckoutStatus): void {
  if (!ALLOWED[operation].has(from)) throw new IllegalTransitionError(operation, from);
}

export function canTransition(operation: Operation, from: CheckoutStatus): boolean {
  return ALLOWED[operation].has(from);
}

/** The contact email comes from `buyer` or from `fulfillment_details` (issue 6). */
export function contactEmail(session: Pick<CheckoutSession, "buyer" | "fulfillmentDetails">): string | undefined {
  return session.buyer?.email || session.fulfillmentDetails?.email || undefined;
}

/** JSONPaths of what is still missing before payment (empty when the data is complete). */
export function missingData(session: Pick<CheckoutSession, "lines" | "buyer" | "fulfillmentDetails" | "selectedFulfillmentOptionId">): string[] {
  const missing: string[] = [];
  if (session.lines.length === 0) missing.push("$.line_items");
  // A cart the store does not ship (gift cards, digital products) needs no address and no shipping option (0151).
  const shipped = session.lines.length === 0 || session.lines.some((l) => l.requiresShipping !== false);
  if (shipped && !session.fulfillmentDetails?.address) missing.push("$.fulfillment_details.address");
  if (shipped && !session.selectedFulfillmentOptionId) missing.push("$.selected_fulfillment_options");
  if (!contactEmail(session)) missing.push("$.buyer.email");
  return missing;
}

/**
 * A problem with the payment the agent sent (declined, a token that was refused): the session stays payable with
 * another payment, so it does not block readiness (acp.md §2.7; docs/decisions/0072, 0120).
 */
export function aboutPayment(m: CheckoutMessage): boolean {
  return m.type === "error" && (m.code === "payment_declined" || (m.param ?? "").startsWith("$.payment_data"));
}

/** Ready only with items, address, option and email, and no blocking error message. */
export function readiness(
  session: Pick<CheckoutSession, "lines" | "buyer" | "fulfillmentDetails" | "selectedFulfillmentOptionId">,
  messages: CheckoutMessage[],
): Extract<CheckoutStatus, "ready_for_payment" | "not_ready_for_payment"> {
  return missingData(session).length > 0 || messages.some((m) => m.type === "error" && !aboutPayment(m)) ? "not_ready_for_payment" : "ready_for_payment";
}

export function isExpired(session: Pick<CheckoutSession, "expiresAt" | "status">, now: Date): boolean {
  return !["completed", "canceled", "expired", "complete_in_progress"].includes(session.status) && Date.parse(session.expiresAt) <= now.getTime();
}

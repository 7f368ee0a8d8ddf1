// Completing a checkout: a workflow of named, durable steps (Medusa style; docs/decisions/0070).
//
//   lock      status complete_in_progress, step "charging"         (concurrent completes now get 409). Written
//             before the re-quote and the PSP call, so a crash anywhere after it makes recovery ask the PSP.
//   quote     one re-quote; a moved total releases the lock with a price_change warning, nothing charged
//   charge    the PSP idempotency key is derived from session + attempt
//   order     step "ordering" + PaymentIntent id + "first orderCreate attempt started" written after the charge;
//             every later attempt is counted before it starts and looks the order up first
//   commit    completed + AgentOrder + order event, one transaction (CompletionRecorder)
//   compensate  the order could not be made within the bound: refund, cancel the session, tell the agent
//
// Recovery (`resume`) re-reads the durable step of a session whose lock went stale and carries on from it;
// it never charges (the token is not stored) and never creates an order without looking for it first.
import type { ChargeOutcome, ChargeSucceeded, PaymentGateway } from "../payments/gateway";
import type { Address, Buyer, CheckoutMessage, CheckoutSession, Completion, PlacedOrderRef } from "./model";
import type { Clock, CompletionRecorder, OrderSink, SessionStore, ShopProfile } from "./ports";
import { ConcurrentUpdateError } from "./ports";
import { IllegalTransitionError, aboutPayment, readiness } from "./status";
import { chargeMessage, handoffAnswer, noLongerSellable, orderFailedMessage, priceChanged, threeDsMetadata } from "./complete-messages";

export interface CompleteCommand {
  /** Absent when the agent sent a payment the store cannot take (e.g. a purchase order). */
  payment?: { token: string; handlerId?: string; billingAddress?: Address };
  buyer?: Buyer;
  authenticationResult?: { outcome: string };
  orderNotes?: string;
}

export type CompleteOutcome =
  | { kind: "ok"; session: CheckoutSession }
  | { kind: "not_found" }
  /** Another request holds the lock; retry after the given seconds (409). */
  | { kind: "in_progress"; retryAfterSeconds: number }
  /** authentication_required and no authentication_result (400 requires_3ds, acp.md §2.7). */
  | { kind: "requires_3ds" }
  /** Money may have moved but the outcome is not settled yet; recovery finishes it (503, retry). */
  | { kind: "pending"; retryAfterSeconds: number };

/** Named points between steps, for tests that crash the workflow there. */
export type CrashPoint = "after_lock" | "after_charge" | "after_charge_recorded" | "after_order" | "before_commit";

export interface CompletionPolicy {
  /** How long a request's lock is trusted before recovery may take the session over. */
  lockMs: number;
  /** orderCreate attempts within the agent's request before answering 503. */
  orderAttemptsInRequest: number;
  /** Past this since the first orderCreate attempt (or this many attempts), recovery refunds. */
  orderBoundMs: number;
  maxOrderAttempts: number;
  sendReceipt: boolean;
}

export const DEFAULT_COMPLETION_POLICY: CompletionPolicy = { lockMs: 120_000, orderAttemptsInRequest: 2, orderBoundMs: 10 * 60_000, maxOrderAttempts: 8, sendReceipt: false };

export interface CompleteDeps {
  shop: ShopProfile;
  store: SessionStore;
  clock: Clock;
  /** Reads the session (expiry applied), as CheckoutService.retrieve does. */
  load(id: string): Promise<CheckoutSession | null>;
  /** One re-quote of the session with live prices (CheckoutService.requote); null if nothing is sellable now. */
  requote(session: CheckoutSession): Promise<CheckoutSession | null>;
  /** Null when the shop takes no payment through the app (hand-off mode, or no PSP key). */
  gateway: PaymentGateway | null;
  orders: OrderSink;
  recorder: CompletionRecorder;
  policy?: Partial<CompletionPolicy>;
  agentName?: string;
  /** Test seam: throwing here simulates a crash between two steps. */
  crashAt?: (point: CrashPoint, session: CheckoutSession) => void | Promise<void>;
  log?: (level: "info" | "warn" | "error", fields: Record<string, unknown>, message: string) => void;
}

/** Stale lock: ConcurrentUpdateError on a step write means someone else (recovery) owns the session now. */
class LostLock extends Error {}

export class CompleteCheckout {
  private readonly policy: CompletionPolicy;
  constructor(private readonly deps: CompleteDeps) {
    this.policy = { ...DEFAULT_COMPLETION_POLICY, ...deps.policy };
  }

  async complete(id: string, command: CompleteCommand): Promise<CompleteOutcome> {
    const current = await this.deps.load(id);
    if (!current) return { kind: "not_found" };
    switch (current.status) {
      case "completed":
        return { kind: "ok", session: current }; // a retry with another key: the same answer, never a second charge
      case "complete_in_progress":
        return this.isStale(current) ? this.guard(() => this.resume(current)) : { kind: "in_progress", retryAfterSeconds: 2 };
      case "authentication_required":
        if (!command.authenticationResult) return { kind: "requires_3ds" };
        return this.afterAuthentication(current);
      case "ready_for_payment":
        break;
      default:
        throw new IllegalTransitionError("complete", current.status);
    }
    if (this.deps.shop.checkoutMode === "handoff" || !this.deps.gateway) return { kind: "ok", session: handoffAnswer(current) };
    const problem = paymentProblem(current, command, this.deps.gateway);
    if (problem) return { kind: "ok", session: { ...current, messages: [...current.messages.filter((m) => !aboutPayment(m)), problem] } };
    return this.guard(() => this.run(current, command));
  }

  /** Recovery entry point: carries a session with a stale lock on from its durable step. */
  async resume(session: CheckoutSession): Promise<CompleteOutcome> {
    if (session.status !== "complete_in_progress" || !session.completion) return { kind: "ok", session };
    const claimed = await this.write(session, { completion: { ...session.completion, lockedUntil: this.lockUntil() } });
    const c = claimed.completion!;
    this.log("info", { checkoutSessionId: session.id, step: c.step }, "resuming checkout completion");
    switch (c.step) {
      case "locked":
        return { kind: "ok", session: await this.release(claimed, []) };
      case "charging": {
        const found = await this.deps.gateway?.findCharge({ checkoutSessionId: session.id });
        // Nothing charged: the agent may retry, under the NEXT attempt's key. Stripe keeps the first result of a key for
        // 24 hours, a 500 included, so the key of this attempt could only ever replay its failure (docs/decisions/0141).
        if (!found) return { kind: "ok", session: await this.release(claimed, [], undefined, c.attempt) };
        return this.placeOrder(await this.recordCharge(claimed, found), true, true);
      }
      case "ordering":
        return this.placeOrder(claimed, true, false);
      case "refunding":
        return this.compensate(claimed, c.lastError ?? "The store could not create the order.");
    }
  }

  private async guard(work: () => Promise<CompleteOutcome>): Promise<CompleteOutcome> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof LostLock) return { kind: "in_progress", retryAfterSeconds: 2 };
      throw error;
    }
  }

  private async run(current: CheckoutSession, command: CompleteCommand): Promise<CompleteOutcome> {
    // lock: one winner among concurrent completes (optimistic revision); the losers read the lock and get 409.
    let locked: CheckoutSession;
    try {
      locked = await this.write(current, {
        status: "complete_in_progress",
        buyer: command.buyer ? { ...current.buyer, ...command.buyer } : current.buyer,
        orderNotes: command.orderNotes ?? current.orderNotes,
        completion: this.newCompletion(current, command),
      });
    } catch (error) {
      if (error instanceof LostLock) return { kind: "in_progress", retryAfterSeconds: 2 };
      throw error;
    }
    await this.deps.crashAt?.("after_lock", locked);

    // quote: the store's live total must be the one the buyer saw.
    let requoted: CheckoutSession | null;
    try {
      requoted = await this.deps.requote(locked);
    } catch (error) {
      await this.release(locked, locked.messages);
      throw error;
    }
    if (!requoted || requoted.status !== "ready_for_payment" || requoted.totals.total !== current.totals.total || requoted.currency !== current.currency) {
      return { kind: "ok", session: await this.release(locked, requoted ? [] : [noLongerSellable()], requoted ? priceChanged(current, requoted) : undefined) };
    }

    // charge: the lock already says "charging", so the step is durable before the PSP hears of it.
    const charging = locked;
    const outcome = await this.deps.gateway!.charge({
      token: command.payment!.token,
      amountMinor: charging.totals.total,
      currency: charging.currency,
      idempotencyKey: charging.completion!.chargeKey,
      metadata: { checkout_session_id: charging.id, shop: this.deps.shop.domain, attempt: String(charging.completion!.attempt) },
      description: `Agentic checkout ${charging.id}`,
    });
    await this.deps.crashAt?.("after_charge", charging);
    return this.afterCharge(charging, outcome);
  }

  private async afterCharge(charging: CheckoutSession, outcome: ChargeOutcome): Promise<CompleteOutcome> {
    const attempts = (charging.paymentAttempts ?? 0) + 1;
    switch (outcome.kind) {
      case "succeeded":
        return this.placeOrder(await this.recordCharge(charging, outcome), false, true);
      case "requires_authentication": {
        const session = await this.write(charging, {
          status: "authentication_required",
          paymentAttempts: attempts,
          completion: undefined,
          authenticationMetadata: { ...threeDsMetadata(this.deps.shop), paymentIntentId: outcome.paymentIntentId },
          messages: [{ type: "error", code: "requires_3ds", param: "$.authentication_result", content: "The card issuer requires 3-D Secure authentication.", resolution: "requires_buyer_input" }],
        });
        return { kind: "ok", session };
      }
      case "declined":
      case "invalid_token":
        return { kind: "ok", session: await this.release(charging, [chargeMessage(outcome)], undefined, attempts) };
      case "failed": {
        if (outcome.notCharged) {
          // Refused before it ran (rate limited, invalid, wrong key): nothing charged and nothing saved under the key.
          if (outcome.retryable) {
            await this.release(charging, []);
            return { kind: "pending", retryAfterSeconds: outcome.retryAfterSeconds ?? 2 };
          }
          return { kind: "ok", session: await this.release(charging, [chargeMessage(outcome)], undefined, attempts) };
        }
        // Unknown outcome: the PSP is asked by metadata before anything is decided.
        const found = await this.deps.gateway!.findCharge({ checkoutSessionId: charging.id }).catch(() => undefined);
        if (found) return this.placeOrder(await this.recordCharge(charging, found), false, true);
        if (found === null && !outcome.retryable) return { kind: "ok", session: await this.release(charging, [chargeMessage(outcome)], undefined, attempts) };
        this.log("warn", { checkoutSessionId: charging.id, code: outcome.code }, "charge outcome unknown; recovery will settle it");
        return { kind: "pending", retryAfterSeconds: 5 };
      }
    }
  }

  /** The agent came back from 3DS. This store does not pass 3DS results to its PSP (supports_3ds: false). */
  private async afterAuthentication(current: CheckoutSession): Promise<CompleteOutcome> {
    const pending = current.authenticationMetadata?.paymentIntentId;
    if (pending && this.deps.gateway) await this.deps.gateway.void({ paymentIntentId: pending, idempotencyKey: `acp-void-${pending}` });
    const kept = current.messages.filter((m) => m.type !== "error" || (m.code !== "payment_declined" && m.code !== "requires_3ds"));
    const status = readiness(current, kept);
    const message: CheckoutMessage = {
      type: "error",
      code: "payment_declined",
      param: "$.authentication_result",
      content: "The card requires 3-D Secure, which this store cannot complete through an agent. Pay with another card or finish in the store (continue_url).",
      resolution: "requires_buyer_input",
    };
    const session = await this.write(current, { status, authenticationMetadata: undefined, messages: [...kept, message] }).catch((error) => {
      if (error instanceof LostLock) throw new IllegalTransitionError("complete", "complete_in_progress");
      throw error;
    });
    return { kind: "ok", session };
  }

  /** Records the charge and, in the same write, that the first orderCreate attempt starts now (one write, not two). */
  private async recordCharge(session: CheckoutSession, charge: ChargeSucceeded): Promise<CheckoutSession> {
    const c = session.completion!;
    return this.write(session, {
      completion: {
        ...c,
        step: "ordering",
        paymentIntentId: charge.paymentIntentId,
        amount: charge.amountMinor,
        currency: charge.currency,
        cardBrand: charge.cardBrand,
        cardLast4: charge.cardLast4,
        orderAttempts: c.orderAttempts + 1,
        firstOrderAttemptAt: c.firstOrderAttemptAt ?? this.deps.clock.now().toISOString(),
      },
    });
  }

  /**
   * orderCreate has no idempotency: every attempt is counted durably before it starts, and every attempt after
   * the first looks the order up by source_identifier first. `recovering` applies the bound and may refund.
   */
  private async placeOrder(session: CheckoutSession, recovering: boolean, justCharged: boolean): Promise<CompleteOutcome> {
    await this.deps.crashAt?.("after_charge_recorded", session);
    let current = session;
    const tries = recovering ? 1 : this.policy.orderAttemptsInRequest;
    for (let i = 0; i < tries; i++) {
      let c = current.completion!;
      // Right after recording the charge, the first attempt is already counted and nothing can exist yet.
      if (!(i === 0 && justCharged)) {
        if (c.orderAttempts > 0) {
          const existing = await this.deps.orders.findBySession(current.id);
          if (existing) return this.commit(current, existing);
        }
        if (this.boundExceeded(c)) return this.compensate(current, c.lastError ?? "The store could not create the order in time.");
        const now = this.deps.clock.now().toISOString();
        current = await this.write(current, { completion: { ...c, orderAttempts: c.orderAttempts + 1, firstOrderAttemptAt: c.firstOrderAttemptAt ?? now } });
        c = current.completion!;
      }
      let created;
      try {
        created = await this.deps.orders.create({
          session: current,
          paymentIntentId: c.paymentIntentId!,
          amount: c.amount,
          currency: c.currency,
          test: this.deps.shop.testMode ?? false,
          billingAddress: c.billingAddress,
          agentName: c.agentName,
          sendReceipt: this.policy.sendReceipt,
        });
      } catch (error) {
        const lastError = error instanceof Error ? error.message.slice(0, 300) : String(error);
        this.log("warn", { checkoutSessionId: current.id, attempt: c.orderAttempts, err: lastError }, "orderCreate failed");
        current = await this.write(current, { completion: { ...current.completion!, lastError } });
        continue;
      }
      await this.deps.crashAt?.("after_order", current);
      if (created.kind === "created") return this.commit(current, created.order);
      return this.compensate(current, created.message, created.reason === "out_of_stock" ? created.lineIndex : undefined);
    }
    return { kind: "pending", retryAfterSeconds: 5 };
  }

  private async commit(session: CheckoutSession, order: PlacedOrderRef): Promise<CompleteOutcome> {
    await this.deps.crashAt?.("before_commit", session);
    const next: CheckoutSession = {
      ...session,
      status: "completed",
      order: { id: order.id, permalinkUrl: order.statusUrl },
      completion: { ...session.completion!, order, lastError: undefined },
      messages: [],
      updatedAt: this.deps.clock.now().toISOString(),
      revision: session.revision + 1,
    };
    try {
      await this.deps.recorder.commit(next, session.revision);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      const fresh = await this.deps.store.get(session.shopId, session.id);
      if (fresh?.status === "completed") return { kind: "ok", session: fresh };
      throw new LostLock();
    }
    this.log("info", { checkoutSessionId: session.id, shopifyOrderId: order.id, paymentIntentId: session.completion?.paymentIntentId }, "checkout completed");
    return { kind: "ok", session: next };
  }

  /** Compensation of "charge": the order cannot be made, so the money goes back and the session closes. */
  private async compensate(session: CheckoutSession, reason: string, lineIndex?: number): Promise<CompleteOutcome> {
    const c = session.completion!;
    const refunding = c.step === "refunding" ? session : await this.write(session, { completion: { ...c, step: "refunding", lastError: reason } });
    const refund = await this.deps.gateway!.refund({
      paymentIntentId: c.paymentIntentId!,
      idempotencyKey: `acp-refund-${session.id}`,
      reason: "order_not_created",
      metadata: { checkout_session_id: session.id },
    });
    if (refund.kind === "failed") {
      this.log("error", { checkoutSessionId: session.id, code: refund.code }, "refund after failed order did not go through; will retry");
      return { kind: "pending", retryAfterSeconds: 30 };
    }
    this.log("warn", { checkoutSessionId: session.id, refundId: refund.refundId }, "order could not be created; charge refunded, session canceled");
    const canceled = await this.write(refunding, {
      status: "canceled",
      cancelReason: "order_not_created",
      completion: { ...refunding.completion!, lockedUntil: this.deps.clock.now().toISOString() },
      messages: [orderFailedMessage(lineIndex)],
    });
    return { kind: "ok", session: canceled };
  }

  /** Back to an open status; nothing charged (or the charge was refused). */
  private async release(session: CheckoutSession, messages: CheckoutMessage[], replacement?: CheckoutSession, paymentAttempts?: number): Promise<CheckoutSession> {
    const base = replacement ?? session;
    // The previous payment's problems go; the new ones (a decline, a refused token) do not block readiness.
    const kept = base.messages.filter((m) => !aboutPayment(m));
    const all = [...kept, ...messages];
    return this.write(session, { ...(replacement ? stripComputed(replacement) : {}), status: readiness(base, all), messages: all, completion: undefined, paymentAttempts: paymentAttempts ?? session.paymentAttempts });
  }

  private newCompletion(session: CheckoutSession, command: CompleteCommand): Completion {
    const now = this.deps.clock.now().toISOString();
    const attempt = (session.paymentAttempts ?? 0) + 1;
    return {
      step: "charging",
      attempt,
      chargeKey: `acp-charge-${session.id}-${attempt}`,
      amount: session.totals.total,
      currency: session.currency,
      lockedUntil: this.lockUntil(),
      startedAt: now,
      orderAttempts: 0,
      billingAddress: command.payment?.billingAddress,
      agentName: this.deps.agentName,
    };
  }

  /** Writes a step: revision + 1, or LostLock if anyone else wrote the session since it was read. */
  private async write(session: CheckoutSession, change: Partial<CheckoutSession>): Promise<CheckoutSession> {
    const next: CheckoutSession = { ...session, ...change, updatedAt: this.deps.clock.now().toISOString(), revision: session.revision + 1 };
    try {
      await this.deps.store.update(next, session.revision);
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) throw new LostLock(session.id);
      throw error;
    }
    return next;
  }

  private isStale(session: CheckoutSession): boolean {
    const until = session.completion?.lockedUntil;
    return !until || Date.parse(until) <= this.deps.clock.now().getTime();
  }

  private boundExceeded(c: Completion): boolean {
    if (c.orderAttempts >= this.policy.maxOrderAttempts) return true;
    return !!c.firstOrderAttemptAt && this.deps.clock.now().getTime() - Date.parse(c.firstOrderAttemptAt) > this.policy.orderBoundMs;
  }

  private lockUntil(): string {
    return new Date(this.deps.clock.now().getTime() + this.policy.lockMs).toISOString();
  }

  private log(level: "info" | "warn" | "error", fields: Record<string, unknown>, message: string): void {
    this.deps.log?.(level, { shopId: this.deps.shop.id, ...fields }, message);
  }
}

/** A payment the store cannot take through this session: a 2xx message, nothing written, nothing locked. */
function paymentProblem(session: CheckoutSession, command: CompleteCommand, gateway: PaymentGateway): CheckoutMessage | null {
  if (!command.payment) {
    return { type: "error", code: "unsupported", param: "$.payment_data", content: "This store accepts card payments through its payment handler only.", resolution: "recoverable" };
  }
  if (command.payment.handlerId && session.paymentHandler && command.payment.handlerId !== session.paymentHandler.id) {
    return { type: "error", code: "invalid", param: "$.payment_data.handler_id", content: `Unknown payment handler; use '${session.paymentHandler.id}'.`, resolution: "recoverable" };
  }
  // A token this PSP could never accept is refused before the lock, the re-quote and the PSP call.
  const reason = gateway.tokenProblem(command.payment.token);
  if (reason) return chargeMessage({ kind: "invalid_token", reason, code: "malformed_token", message: "malformed token" });
  return null;
}

/** The fields a re-quote computes, to carry over from it into the released session. */
function stripComputed(s: CheckoutSession): Partial<CheckoutSession> {
  return { lines: s.lines, fulfillmentOptions: s.fulfillmentOptions, selectedFulfillmentOptionId: s.selectedFulfillmentOptionId, totals: s.totals, appliedDiscounts: s.appliedDiscounts, rejectedDiscounts: s.rejectedDiscounts, continueUrl: s.continueUrl };
}

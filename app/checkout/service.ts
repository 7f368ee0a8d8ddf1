// CheckoutService: create, update, retrieve and cancel an agent checkout session, written against ports only.
// Business problems come back as messages on the session; only "there is no session" outcomes are errors.
import type { PaymentGateway } from "../payments/gateway";
import type { Buyer, CheckoutMessage, CheckoutSession, FulfillmentDetails, RequestedLine } from "./model";
import type { CatalogReader, Clock, IdGenerator, Pricer, SessionStore, ShopProfile } from "./ports";
import { ConcurrentUpdateError } from "./ports";
import { priceDraft, type Draft } from "./pricing";
import { assertAllowed, isExpired, missingData, readiness } from "./status";
import { cartPermalink } from "./continue-url";
import { totalNotChargeable } from "./complete-messages";

export interface CreateCheckout {
  currency?: string;
  lines: RequestedLine[];
  buyer?: Buyer;
  fulfillmentDetails?: FulfillmentDetails;
  discountCodes?: string[];
  interventionsSupported?: string[];
  locale?: string;
  orderNotes?: string;
  metadata?: Record<string, unknown>;
}

export interface UpdateCheckout {
  lines?: RequestedLine[];
  buyer?: Buyer;
  fulfillmentDetails?: FulfillmentDetails;
  selectedFulfillmentOptionId?: string;
  discountCodes?: string[];
  orderNotes?: string;
}

export type CheckoutOutcome =
  | { kind: "ok"; session: CheckoutSession }
  | { kind: "not_found" }
  | { kind: "no_sellable_items"; param: string; itemId: string }
  | { kind: "unsupported_currency"; currency: string; supported: string };

export interface CheckoutServiceDeps {
  shop: ShopProfile;
  catalog: CatalogReader;
  pricer: Pricer;
  store: SessionStore;
  clock: Clock;
  newId: IdGenerator;
  apiVersion: string;
  /**
   * The shop's payment service, asked whether it can charge a quoted total exactly; null or absent when the shop
   * takes no payment through the app (hand-off mode, no PSP key), where complete hands off anyway.
   */
  payments?: Pick<PaymentGateway, "canCharge"> | null;
}

const MAX_WRITE_ATTEMPTS = 3;

export class CheckoutService {
  constructor(private readonly deps: CheckoutServiceDeps) {}

  async create(command: CreateCheckout): Promise<CheckoutOutcome> {
    const { shop, clock, newId } = this.deps;
    if (command.currency && command.currency.toLowerCase() !== shop.currency) {
      return { kind: "unsupported_currency", currency: command.currency, supported: shop.currency };
    }
    const now = clock.now();
    const draft: Draft = {
      id: newId("cs"),
      shopId: shop.id,
      apiVersion: this.deps.apiVersion,
      currency: shop.currency,
      requestedLines: command.lines,
      buyer: command.buyer,
      fulfillmentDetails: command.fulfillmentDetails,
      discountCodes: command.discountCodes ?? [],
      links: shop.links,
      paymentHandler: paymentHandlerFor(shop),
      interventionsSupported: [], // we offer no interventions yet; the response carries the intersection
      locale: command.locale,
      orderNotes: command.orderNotes,
      metadata: command.metadata,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + shop.sessionTtlMinutes * 60_000).toISOString(),
      revision: 0,
    };
    const session = await this.build(draft);
    if ("kind" in session) return session;
    await this.deps.store.insert(session);
    return { kind: "ok", session };
  }

  async retrieve(id: string): Promise<CheckoutOutcome> {
    const session = await this.load(id);
    return session ? { kind: "ok", session } : { kind: "not_found" };
  }

  async update(id: string, command: UpdateCheckout): Promise<CheckoutOutcome> {
    return this.write(id, async (current) => {
      assertAllowed("update", current.status);
      const draft: Draft = {
        ...current,
        requestedLines: command.lines ?? current.requestedLines,
        buyer: command.buyer ? { ...current.buyer, ...command.buyer } : current.buyer,
        fulfillmentDetails: command.fulfillmentDetails ? { ...current.fulfillmentDetails, ...command.fulfillmentDetails } : current.fulfillmentDetails,
        selectedFulfillmentOptionId: command.selectedFulfillmentOptionId ?? current.selectedFulfillmentOptionId,
        discountCodes: command.discountCodes ?? current.discountCodes,
        orderNotes: command.orderNotes ?? current.orderNotes,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      return this.build(draft, current, command.selectedFulfillmentOptionId !== undefined);
    });
  }

  async cancel(id: string, reason?: string, intentTrace?: Record<string, unknown>): Promise<CheckoutOutcome> {
    return this.write(id, async (current) => {
      assertAllowed("cancel", current.status);
      return { ...current, status: "canceled", cancelReason: reason, intentTrace, updatedAt: this.deps.clock.now().toISOString() };
    });
  }

  /** Re-prices the session as it stands, with the store's live prices (complete's price check); writes nothing. */
  async requote(current: CheckoutSession): Promise<CheckoutSession | Exclude<CheckoutOutcome, { kind: "ok" }>> {
    return this.build({ ...current, updatedAt: this.deps.clock.now().toISOString() }, current, false);
  }

  /** Load, change, and write with optimistic concurrency; a lost race re-reads and retries. */
  private async write(id: string, change: (current: CheckoutSession) => Promise<CheckoutSession | Exclude<CheckoutOutcome, { kind: "ok" }>>): Promise<CheckoutOutcome> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(id);
      if (!current) return { kind: "not_found" };
      const next = await change(current);
      if ("kind" in next) return next;
      try {
        const written = { ...next, revision: current.revision + 1 };
        await this.deps.store.update(written, current.revision);
        return { kind: "ok", session: written };
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  /** Reads a session of this shop; an open session past `expires_at` becomes `expired` on read. */
  private async load(id: string): Promise<CheckoutSession | null> {
    const session = await this.deps.store.get(this.deps.shop.id, id);
    if (!session) return null;
    if (!isExpired(session, this.deps.clock.now())) return session;
    const expired: CheckoutSession = { ...session, status: "expired", revision: session.revision + 1 };
    try {
      await this.deps.store.update(expired, session.revision);
      return expired;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return this.deps.store.get(this.deps.shop.id, id);
      throw error;
    }
  }

  private async build(draft: Draft, previous?: CheckoutSession, explicitOptionChoice = false): Promise<CheckoutSession | Exclude<CheckoutOutcome, { kind: "ok" }>> {
    const { shop, catalog, pricer, newId } = this.deps;
    const priced = await priceDraft({ shop, catalog, pricer, newLineId: () => newId("li") }, draft, previous, explicitOptionChoice);
    if ("kind" in priced) return priced;
    const session: CheckoutSession = {
      ...draft,
      ...priced,
      status: "not_ready_for_payment",
      continueUrl: cartPermalink(shop, draft.id, priced.lines, draft.discountCodes[0]),
    };
    const unpayable = this.unpayable(session);
    if (unpayable) session.messages = [...session.messages, unpayable];
    session.status = readiness(session, session.messages);
    return session;
  }

  /**
   * A total the payment service could take only rounded blocks payment (docs/decisions/0143). Asked once the total is
   * final (nothing missing that would change it) and only when the agent pays through the app.
   */
  private unpayable(session: CheckoutSession): CheckoutMessage | null {
    const { payments } = this.deps;
    if (!payments || !session.paymentHandler || session.totals.total <= 0 || missingData(session).length > 0) return null;
    const verdict = payments.canCharge(session.totals.total, session.currency);
    return verdict.ok ? null : totalNotChargeable(session, verdict.reason);
  }
}

function paymentHandlerFor(shop: ShopProfile): CheckoutSession["paymentHandler"] {
  if (shop.checkoutMode !== "agent_payment" || !shop.stripeAccountId) return undefined;
  return { id: "card_tokenized", psp: "stripe", merchantId: shop.stripeAccountId };
}

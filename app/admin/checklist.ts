// The going-live checklist on Home: what must be true before an agent can sell, computed from the shop's real
// state (docs/decisions/0080). Each item says what is wrong in the merchant's words and links to where it is fixed.

export type ChecklistItemId = "feed_settings" | "products" | "agent_key" | "order_webhook" | "payments" | "test_order";

export interface ChecklistState {
  /** Problems with the shop-wide feed settings (seller, policies, countries); errors block the feed. */
  feedSettingsProblems: Array<{ code: string; severity: "error" | "warning"; message: string }>;
  catalog: {
    /** Variants in the catalog (not deleted). */
    variants: number;
    /** Variants the merchant's rules include. */
    selectedVariants: number;
    /** Selected variants with no blocking problem: what the feed publishes. */
    eligibleVariants: number;
    /** Products that are selected but have a variant with a blocking problem. */
    productsNeedingAttention: number;
    /** Whether a full catalog sync has ever finished. */
    synced: boolean;
  };
  activeAgentKeys: number;
  orderWebhook: { urlSet: boolean; secretSet: boolean };
  payments: {
    checkoutMode: string;
    stripeKeySet: boolean;
    stripeAccountSet: boolean;
    stripeMode: string;
    /** What Stripe says about taking Shared Payment Tokens on this account (app/payments/spt-readiness.server.ts); absent = not asked. */
    sharedPaymentTokens?: { kind: "ready" | "unavailable" | "unknown"; detail?: string };
  };
}

export interface ChecklistItem {
  id: ChecklistItemId;
  title: string;
  done: boolean;
  /** A done item can still carry a caution (warnings, test mode). */
  tone: "success" | "attention" | "critical";
  detail: string;
  action: { label: string; url: string };
}

export interface Checklist {
  items: ChecklistItem[];
  done: number;
  total: number;
  /** Every item done: agents can find, buy and follow up on orders. */
  ready: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

function feedSettingsItem(s: ChecklistState): ChecklistItem {
  const errors = s.feedSettingsProblems.filter((p) => p.severity === "error");
  const warnings = s.feedSettingsProblems.filter((p) => p.severity === "warning");
  const action = { label: "Open feed settings", url: "/app/feed" };
  if (errors.length) return { id: "feed_settings", title: "Complete your feed settings", done: false, tone: "critical", detail: errors.map((p) => p.message).join(" "), action };
  return {
    id: "feed_settings",
    title: "Feed settings are complete",
    done: true,
    tone: warnings.length ? "attention" : "success",
    detail: warnings.length ? warnings.map((p) => p.message).join(" ") : "Seller, store policies and countries are set.",
    action,
  };
}

function productsItem({ catalog: c }: ChecklistState): ChecklistItem {
  if (!c.synced && c.variants === 0) {
    return { id: "products", title: "Sync your catalog", done: false, tone: "critical", detail: "The catalog has not been synced from Shopify yet.", action: { label: "Sync now", url: "/app/feed" } };
  }
  if (c.selectedVariants === 0) {
    return {
      id: "products",
      title: "Choose the products agents may sell",
      done: false,
      tone: "critical",
      detail: `None of your ${plural(c.variants, "variant")} is offered to agents yet.`,
      action: { label: "Choose products", url: "/app/products" },
    };
  }
  const attention = c.productsNeedingAttention > 0 ? ` ${plural(c.productsNeedingAttention, "product")} ${c.productsNeedingAttention === 1 ? "needs" : "need"} attention.` : "";
  if (c.eligibleVariants === 0) {
    return {
      id: "products",
      title: "Fix the problems that keep your products out of the feed",
      done: false,
      tone: "critical",
      detail: `You chose ${plural(c.selectedVariants, "variant")}, but none can be published.${attention}`,
      action: { label: "See what to fix", url: "/app/products?status=needs_attention" },
    };
  }
  return {
    id: "products",
    title: "Products are chosen and eligible",
    done: true,
    tone: attention ? "attention" : "success",
    detail: `${plural(c.eligibleVariants, "variant")} in the feed.${attention}`,
    action: attention ? { label: "See what to fix", url: "/app/products?status=needs_attention" } : { label: "Review products", url: "/app/products" },
  };
}

function agentKeyItem(s: ChecklistState): ChecklistItem {
  const action = { label: s.activeAgentKeys ? "Manage keys" : "Create a key", url: "/app/settings" };
  return s.activeAgentKeys > 0
    ? { id: "agent_key", title: "An agent API key is issued", done: true, tone: "success", detail: `${plural(s.activeAgentKeys, "active key")}.`, action }
    : { id: "agent_key", title: "Issue an agent API key", done: false, tone: "critical", detail: "Agent platforms need a key to call your checkout.", action };
}

function orderWebhookItem(s: ChecklistState): ChecklistItem {
  const { urlSet, secretSet } = s.orderWebhook;
  const action = { label: "Set order events", url: "/app/settings" };
  if (urlSet && secretSet) return { id: "order_webhook", title: "Order events reach the agent", done: true, tone: "success", detail: "Endpoint and signing secret are set.", action };
  const missing = !urlSet && !secretSet ? "the endpoint and its signing secret" : !urlSet ? "the endpoint" : "the signing secret";
  return {
    id: "order_webhook",
    title: "Set where order updates go",
    done: false,
    tone: "critical",
    detail: `Add ${missing} the agent platform gave you, so buyers hear about shipping, cancellations and refunds.`,
    action,
  };
}

function paymentsItem(s: ChecklistState): ChecklistItem {
  const p = s.payments;
  const action = { label: "Open payment settings", url: "/app/settings" };
  if (p.checkoutMode === "handoff") {
    return { id: "payments", title: "Buyers pay in Shopify checkout", done: true, tone: "success", detail: "Hand-off mode: agents send buyers to your Shopify checkout; the app takes no payment.", action };
  }
  if (!p.stripeKeySet || !p.stripeAccountSet) {
    const missing = !p.stripeKeySet && !p.stripeAccountSet ? "a secret key and account id" : !p.stripeKeySet ? "a secret key" : "your account id";
    return { id: "payments", title: "Connect Stripe", done: false, tone: "critical", detail: `Agents pay through Stripe: add ${missing}, or choose hand-off to Shopify checkout.`, action };
  }
  const spt = p.sharedPaymentTokens;
  if (spt?.kind === "unavailable") {
    return { id: "payments", title: "Stripe cannot take agent payments yet", done: false, tone: "critical", detail: spt.detail ?? "This Stripe account cannot receive shared payment tokens.", action };
  }
  if (spt?.kind === "unknown") {
    return { id: "payments", title: "Stripe is connected", done: true, tone: "attention", detail: `Could not check that Stripe accepts shared payment tokens on this account: ${spt.detail ?? "Stripe did not answer"}`, action };
  }
  return p.stripeMode === "live"
    ? { id: "payments", title: "Stripe is connected", done: true, tone: "success", detail: "Live mode: agent orders are charged.", action }
    : { id: "payments", title: "Stripe is connected in test mode", done: true, tone: "attention", detail: "Test mode: buyers are not charged. Add a live key when you are ready to sell.", action };
}

export function goingLiveChecklist(state: ChecklistState): Checklist {
  const items = [feedSettingsItem(state), productsItem(state), agentKeyItem(state), orderWebhookItem(state), paymentsItem(state)];
  const done = items.filter((i) => i.done).length;
  return { items, done, total: items.length, ready: done === items.length };
}

/** The last step, a test purchase from the admin: offered in test mode, done once one went through. */
export interface TestOrderState {
  available: boolean;
  /** Test orders placed so far. */
  placed: number;
}

export function testOrderItem(t: TestOrderState): ChecklistItem | null {
  const action = { label: t.placed ? "Place another" : "Place a test order", url: "/app/test-order" };
  if (t.placed > 0) return { id: "test_order", title: "A test order went through", done: true, tone: "success", detail: `${plural(t.placed, "test order")} placed end to end, as an agent would.`, action };
  if (!t.available) return null; // live mode: nothing to try without charging a real card
  return { id: "test_order", title: "Place a test order", done: false, tone: "critical", detail: "Buy one product as an agent would, paid with a Stripe test card, and see the order it makes.", action };
}

/** The checklist with the test-order step last (when there is one to offer). */
export function withTestOrderStep(checklist: Checklist, t: TestOrderState): Checklist {
  const item = testOrderItem(t);
  if (!item) return checklist;
  const items = [...checklist.items.filter((i) => i.id !== "test_order"), item];
  const done = items.filter((i) => i.done).length;
  return { items, done, total: items.length, ready: done === items.length };
}

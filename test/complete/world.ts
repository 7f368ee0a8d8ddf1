// The world for complete tests: a real handler on a real SQLite file, the Shopify and Stripe stand-ins over HTTP,
// the real stripe SDK, and seams to crash the workflow between steps or make orderCreate fail.
import { startShopifySim, demoShopSeed, DEMO_SHOP_DOMAIN, type ShopifySim, type ShopSeed } from "../../sim/shopify/index";
import { startStripeSim, type StripeSim } from "../../sim/stripe/index";
import { createAdminClient, AdminApiError, type AdminClient } from "../../app/shopify/admin-client";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";
import type { CrashPoint } from "../../app/checkout/complete";
import type { CheckoutSession } from "../../app/checkout/model";
import { recoverIncompleteCheckouts } from "../../app/orders/recover-checkouts.server";
import { call, harness, schemaErrors } from "../acp/harness";
import type { AcpVersion } from "../../app/acp/versions";

export const SHOP = DEMO_SHOP_DOMAIN;
export const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const defaultAddress = address;
export const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

/** Another shop than the demo one (e.g. sim `regionalShopSeed("JP")`), and a buyer address there. */
export interface WorldOptions {
  seed?: ShopSeed;
  address?: typeof address;
}

export async function completeWorld(options: WorldOptions = {}) {
  const SHOP = options.seed?.domain ?? DEMO_SHOP_DOMAIN;
  const currency = (options.seed?.currencyCode ?? "USD").toLowerCase();
  const address = options.address ?? defaultAddress;
  const shopify: ShopifySim = await startShopifySim(options.seed ? { shops: [options.seed] } : {});
  shopify.setThrottle({ maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
  const stripe: StripeSim = await startStripeSim({ port: 0 });
  const realAdmin = createAdminClient({ shop: SHOP, accessToken: shopify.accessToken(SHOP), urlTemplate: shopify.adminUrlTemplate });
  const faults = { failOrderCreate: false, orderCreates: 0, quotes: 0 };
  // Counts the calls complete costs, and can make orderCreate fail as a Shopify outage would (before it runs).
  const admin: AdminClient = {
    shop: SHOP,
    stats: realAdmin.stats,
    async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      if (document.includes("mutation AgentOrderCreate")) {
        faults.orderCreates++;
        if (faults.failOrderCreate) throw new AdminApiError("http", "Shopify answered HTTP 503 to AgentOrderCreate", { status: 503 });
      }
      if (document.includes("draftOrderCalculate")) faults.quotes++;
      return realAdmin.request<T>(document, variables);
    },
  };
  const crash: { at: CrashPoint | null; run?: (session: CheckoutSession) => void | Promise<void>; trace?: (point: CrashPoint) => void } = { at: null };
  const gateway = createStripeGateway({ secretKey: stripe.apiKey, apiBase: stripe.url, maxNetworkRetries: 0 });
  const h = await harness({
    adapters: undefined,
    adminFor: async () => admin,
    authCacheMs: 0,
    gatewayFor: (row) => (row.stripeSecretKeyEnc ? gateway : null),
    completionPolicy: { lockMs: 60_000, orderBoundMs: 5 * 60_000, maxOrderAttempts: 4 },
    crashAt: async (point, session) => {
      crash.trace?.(point);
      if (crash.at !== point) return;
      crash.at = null;
      if (crash.run) return crash.run(session);
      throw new Error(`simulated crash at ${point}`);
    },
  });
  const { shop, key } = await h.addShop({ domain: SHOP });
  await h.db.shop.update({ where: { id: shop.id }, data: { selectionRule: "all", stripeSecretKeyEnc: "configured-in-test", stripeMode: "test", currencyCode: currency.toUpperCase() } });

  const state = shopify.shop(SHOP);
  // The same variants in every shop: a regional seed is the demo catalog (same ids) repriced, so pick by the demo's USD price.
  const usdPrice = new Map(demoShopSeed().products!.flatMap((p) => p.variants.map((v) => [v.id, v.price] as const)));
  const stocked = [...state.products.values()]
    .filter((p) => p.status === "ACTIVE")
    .flatMap((p) => p.variants.map((v) => ({ v, p })))
    .filter(({ v }) => v.inventoryItem.tracked && v.inventoryPolicy === "DENY" && (usdPrice.get(v.id) ?? 0) >= 1000 && (usdPrice.get(v.id) ?? 0) <= 20000)
    .slice(0, 6);
  for (const { v } of stocked) shopify.setInventory(SHOP, v.id, 1000); // plenty: 50 concurrent completes must not run out
  const variantGid = (i = 0) => `gid://shopify/ProductVariant/${stocked[i % stocked.length].v.id}`;

  async function ready(version: AcpVersion = "2026-04-17", quantity = 2, item = variantGid()) {
    const body =
      version === "2025-09-29"
        ? { items: [{ id: item, quantity }], buyer, fulfillment_address: address }
        : { currency, capabilities: {}, line_items: [{ id: item, quantity }], buyer, fulfillment_details: { name: address.name, email: buyer.email, address } };
    const res = await call(h.acp.handler, "/checkout_sessions", { key, version, body });
    if (res.status !== 201 || res.json.status !== "ready_for_payment") throw new Error(`not ready: ${res.status} ${res.text}`);
    return res.json;
  }

  function paymentBody(version: AcpVersion, token: string, extra: Record<string, unknown> = {}) {
    return version === "2025-09-29"
      ? { payment_data: { token, provider: "stripe", billing_address: address }, ...extra }
      : { payment_data: { handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token } }, billing_address: address }, ...extra };
  }

  function token(maxAmount: number, paymentMethod: "pm_card_visa" | "pm_card_chargeDeclined" | "pm_card_threeDSecureRequired" = "pm_card_visa", expiresAt?: number) {
    return stripe.mintGrantedToken({ paymentMethod, currency, maxAmount, ...(expiresAt !== undefined ? { expiresAt } : {}) }).id;
  }

  function complete(id: string, body: unknown, o: { version?: AcpVersion; idempotencyKey?: string } = {}) {
    return call(h.acp.handler, `/checkout_sessions/${id}/complete`, { key, version: o.version ?? "2026-04-17", body, idempotencyKey: o.idempotencyKey });
  }

  const chargesFor = (sessionId: string) => stripe.ledger().paymentIntents.filter((p) => p.metadata.checkout_session_id === sessionId);
  const ordersFor = (sessionId: string) => shopify.orders(SHOP).filter((o) => o.sourceIdentifier === sessionId);
  const stored = async (id: string) => (await h.acp.sessions.get(shop.id, id))!;

  /** Past every lock, then a recovery pass (as the server's timer would run it). */
  async function recover(advanceMs = 61_000) {
    h.now.value = new Date(h.now.value.getTime() + advanceMs);
    return recoverIncompleteCheckouts({ db: h.db, completionForShop: h.acp.completionForShop, now: () => h.now.value, logger: silentLogger });
  }

  async function stop() {
    await h.close();
    await Promise.all([shopify.stop(), stripe.stop()]);
  }

  return { SHOP, currency, address, h, shop, key, shopify, stripe, faults, crash, ready, paymentBody, token, complete, chargesFor, ordersFor, stored, recover, variantGid, stop, schemaErrors };
}

const noop = () => undefined;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const silentLogger: any = { info: noop, warn: noop, error: noop, debug: noop, child: () => silentLogger };

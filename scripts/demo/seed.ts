// A few weeks of agent activity for the demo shop, made the way real activity is made: an agent reads the feed
// and calls the ACP checkout API (create → address → shipping → complete with a freshly minted Stripe shared
// payment token, or cancel with a reason, or walks away), and the merchant later fulfils, refunds or cancels
// some orders in Shopify, whose webhooks reach the app. Nothing is written into the app's tables here.
//
// The requests go through the app's own ACP handler (composeAcp, the same function the /acp route calls) in this
// process, on the app's database and stand-ins, with a business clock set back in time for each session; the
// simulated shop shares that clock, so orders, sessions and Shopify's records agree on dates
// (docs/decisions/0166).
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { PrismaClient } from "@prisma/client";
import { composeAcp } from "../../app/acp/compose.server";
import { createAdminClient } from "../../app/shopify/admin-client";
import { createAgentClient, shapes, type AcpVersion } from "../../sim/agent/client";
import type { ShopifySim } from "../../sim/shopify/index";
import type { StripeSim } from "../../sim/stripe/index";

const DAY = 86_400_000;

/** A clock that can be set to a moment in the past and runs on from there in real time. */
export interface DemoClock {
  now(): Date;
  set(at: Date): void;
  /** Moves the clock on by `ms` (a buyer thinking between two steps). */
  advance(ms: number): void;
  reset(): void;
}

export function createDemoClock(): DemoClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    set: (at) => void (offset = at.getTime() - Date.now()),
    advance: (ms) => void (offset += ms),
    reset: () => void (offset = 0),
  };
}

export interface SeedOptions {
  db: PrismaClient;
  shopify: ShopifySim;
  stripe: StripeSim;
  shop: string;
  feedUrl: string;
  appUrl: string;
  agentKey: string;
  clock: DemoClock;
  /** How far back the activity starts (default 28 days). */
  days?: number;
  /** Seed of the pseudo-random choices, so two demos look alike (default 16). */
  seed?: number;
}

export interface SeedResult {
  sessions: number;
  orders: number;
  canceled: number;
  abandoned: number;
  fulfilled: number;
  refunded: number;
  failed: number;
  /** The first few failures, as the API answered them (a demo that seeds nothing says why). */
  problems: string[];
  ms: number;
}

const BUYERS = [
  ["Ann", "Lee"], ["Marcus", "Webb"], ["Priya", "Natarajan"], ["Diego", "Alvarez"], ["Hannah", "Kim"], ["Tom", "Okafor"],
  ["Sofia", "Rossi"], ["Jamal", "Reed"], ["Emily", "Carter"], ["Kenji", "Mori"], ["Grace", "Hall"], ["Lucas", "Brandt"],
];
const ADDRESSES = [
  { line_one: "1 Main St", city: "Austin", state: "TX", postal_code: "78701" },
  { line_one: "220 Pine St", city: "Seattle", state: "WA", postal_code: "98101" },
  { line_one: "85 Grand Ave", city: "Oakland", state: "CA", postal_code: "94612" },
  { line_one: "14 W 23rd St", city: "New York", state: "NY", postal_code: "10010" },
  { line_one: "900 Pearl St", city: "Boulder", state: "CO", postal_code: "80302" },
  { line_one: "310 NW Davis St", city: "Portland", state: "OR", postal_code: "97209" },
  { line_one: "47 Elm St", city: "Burlington", state: "VT", postal_code: "05401" },
  { line_one: "1200 Lake Shore Dr", city: "Chicago", state: "IL", postal_code: "60610" },
];
const CANCEL_REASONS = [
  { reason_code: "shipping_cost", trace_summary: "Buyer felt express shipping cost too much for a small order." },
  { reason_code: "price_sensitivity", trace_summary: "Buyer wanted to wait for a sale." },
  { reason_code: "comparison", trace_summary: "Buyer is comparing with another store." },
  { reason_code: "timing_deferred", trace_summary: "Buyer will decide after the weekend." },
  { reason_code: "product_fit", trace_summary: "Buyer was unsure about the size." },
];

/** mulberry32: small, seeded, good enough to vary a demo. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
}

interface FeedRow {
  item_id: string;
  availability: string;
  is_eligible_checkout?: boolean;
}

const legacyId = (gid: string) => Number(gid.split("/").pop());
const totalOf = (body: Record<string, unknown>) => ((body.totals as Array<{ type: string; amount: number }> | undefined) ?? []).find((t) => t.type === "total")?.amount ?? 0;

/** Runs the sessions one after another (the clock is shared) and returns what was made. */
export async function seedDemoActivity(o: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const days = o.days ?? 28;
  const rnd = random(o.seed ?? 16);
  const result: SeedResult = { sessions: 0, orders: 0, canceled: 0, abandoned: 0, fulfilled: 0, refunded: 0, failed: 0, problems: [], ms: 0 };

  const admin = createAdminClient({ shop: o.shop, accessToken: o.shopify.accessToken(o.shop), urlTemplate: o.shopify.adminUrlTemplate });
  // A completion's lock is written on the shifted clock; it must still look fresh to the app's recovery job,
  // which reads it on the real clock (docs/decisions/0166).
  const acp = composeAcp({ db: o.db, adminFor: async () => admin, clock: o.clock, appUrl: o.appUrl, stripeApiBase: o.stripe.url, completionPolicy: { lockMs: (days + 1) * DAY + 120_000 } });
  const agentFor = (version: AcpVersion) =>
    createAgentClient({ baseUrl: `${o.appUrl}/acp`, apiKey: o.agentKey, version, now: () => o.clock.now(), fetch: async (url, init) => acp.handler(new Request(url, init)) });
  const agents = { "2026-04-17": agentFor("2026-04-17"), "2025-09-29": agentFor("2025-09-29") };

  // What an agent sees: the published feed, in stock and sellable; items the shop holds few of are left alone,
  // so the demo does not sell its own catalog out.
  const feed = await fetch(o.feedUrl);
  if (!feed.ok) throw new Error(`The feed answered ${feed.status}`);
  const rows = gunzipSync(Buffer.from(await feed.arrayBuffer())).toString("utf8").trim().split("\n").map((line) => JSON.parse(line) as FeedRow);
  const items = rows.filter((r) => r.is_eligible_checkout !== false && r.availability === "in_stock" && stockOf(o.shopify, o.shop, r.item_id) >= 6).map((r) => r.item_id);
  if (items.length === 0) throw new Error("No in-stock item in the feed to seed orders with");

  const now = Date.now();
  const placed: Array<{ orderId: number; at: number }> = [];
  for (let day = days; day >= 1; day--) {
    // A shop picking up: from about one session a day four weeks ago to four or five a day this week.
    const sessions = 1 + Math.round(((days - day) / days) * 3) + rnd.int(2);
    const times = Array.from({ length: sessions }, () => now - day * DAY + (8 + rnd.next() * 13) * 3_600_000).sort((a, b) => a - b);
    for (const at of times) {
      result.sessions++;
      o.clock.set(new Date(at));
      const outcome = await oneSession(agents, items, rnd, o).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      if (outcome instanceof Error) {
        result.failed++;
        if (result.problems.length < 3) result.problems.push(outcome.message);
        continue;
      }
      if (typeof outcome === "number") {
        result.orders++;
        placed.push({ orderId: outcome, at });
      } else result[outcome]++;
    }
  }

  // The merchant's side, in Shopify: most orders older than two days ship a day after they were placed; one is
  // refunded, one canceled. The app hears of each through Shopify's webhooks.
  const settled = placed.filter((p) => p.at < now - 2 * DAY);
  for (const [i, p] of settled.entries()) {
    o.clock.set(new Date(p.at + DAY + rnd.int(8) * 3_600_000));
    if (i === 3) {
      o.shopify.cancelOrder(o.shop, p.orderId, { reason: "CUSTOMER", restock: true, refund: true });
      result.refunded++;
    } else if (i === 7) {
      o.shopify.fulfillOrder(o.shop, p.orderId, { trackingCompany: "UPS", trackingNumber: `1Z999AA1${String(10_000_000 + i)}` });
      o.clock.advance(4 * DAY);
      o.shopify.refundOrder(o.shop, p.orderId, { note: "Returned: wrong size", shipping: false });
      result.fulfilled++;
      result.refunded++;
    } else if (rnd.next() < 0.8) {
      o.shopify.fulfillOrder(o.shop, p.orderId, { trackingCompany: rnd.pick(["UPS", "USPS", "FedEx"]), trackingNumber: `9400${String(100_000_000 + i * 7919)}` });
      result.fulfilled++;
    }
  }
  o.clock.reset();
  await o.shopify.waitForWebhookDeliveries();
  result.ms = Date.now() - started;
  return result;
}

function stockOf(shopify: ShopifySim, shop: string, itemId: string): number {
  try {
    return shopify.inventory(shop, legacyId(itemId));
  } catch {
    return 0;
  }
}

type Agents = Record<AcpVersion, ReturnType<typeof createAgentClient>>;
type Answer = Awaited<ReturnType<Agents[AcpVersion]["create"]>>;

/** As an agent does: a 5xx or an in-flight 409 is retried with the same Idempotency-Key, after a pause. */
async function retrying(call: (idempotencyKey: string) => Promise<Answer>): Promise<Answer> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const answer = await call(key);
    if ((answer.status < 500 && answer.status !== 409) || attempt === 5) return answer;
    await new Promise((r) => setTimeout(r, 300 * attempt));
  }
}

/** One buyer's session; the Shopify order id when it ended in an order. */
async function oneSession(agents: Agents, items: string[], rnd: ReturnType<typeof random>, o: SeedOptions): Promise<number | "canceled" | "abandoned"> {
  const version: AcpVersion = rnd.next() < 0.8 ? "2026-04-17" : "2025-09-29";
  const agent = agents[version];
  const [first, last] = rnd.pick(BUYERS);
  const buyer = { first_name: first, last_name: last, email: `${first}.${last}@example.com`.toLowerCase() };
  const lines = [{ id: rnd.pick(items), quantity: rnd.next() < 0.8 ? 1 : 2 }];
  if (rnd.next() < 0.25) {
    const other = rnd.pick(items);
    if (other !== lines[0].id) lines.push({ id: other, quantity: 1 });
  }
  const address = { name: `${first} ${last}`, ...rnd.pick(ADDRESSES), country: "US" };
  const think = () => o.clock.advance((20 + rnd.int(100)) * 1000);

  const created = await retrying((k) => agent.create(shapes.create(version, lines, buyer), k));
  if (created.status !== 201) throw failure("create", created);
  const id = String(created.body.id);
  const roll = rnd.next();
  think();
  const addressed = await retrying((k) => agent.update(id, shapes.address(version, address, buyer.email), k));
  if (addressed.status !== 200) throw failure("address", addressed);
  if (roll < 0.12) return "abandoned"; // left at the shipping step; the session expires
  const options = (addressed.body.fulfillment_options as Array<{ id: string }> | undefined) ?? [];
  if (options.length) {
    think();
    const option = rnd.next() < 0.75 ? options[0] : options[options.length - 1];
    const chosen = await retrying((k) => agent.update(id, shapes.option(version, option.id, lines.map((l) => l.id)), k));
    if (chosen.status !== 200) throw failure("shipping option", chosen);
  }
  if (roll < 0.3) {
    think();
    const reason = rnd.pick(CANCEL_REASONS);
    const canceled = await retrying((k) => agent.cancel(id, version === "2026-04-17" ? { intent_trace: reason } : {}, k));
    if (canceled.status !== 200) throw failure("cancel", canceled);
    return "canceled";
  }
  if (roll < 0.36) return "abandoned"; // ready to pay, never paid

  const session = await retrying(() => agent.retrieve(id));
  const total = totalOf(session.body);
  think();
  // Now and then the first card is declined and the buyer pays with another one.
  if (rnd.next() < 0.1) {
    const declined = o.stripe.mintGrantedToken({ paymentMethod: "pm_card_chargeDeclined", currency: "usd", maxAmount: total }).id;
    await retrying((k) => agent.complete(id, shapes.complete(version, declined), k));
    think();
  }
  const token = o.stripe.mintGrantedToken({ paymentMethod: rnd.pick(["pm_card_visa", "pm_card_mastercard", "pm_card_amex"]), currency: "usd", maxAmount: total }).id;
  const completed = await retrying((k) => agent.complete(id, shapes.complete(version, token), k));
  const order = completed.body.order as { id?: string } | undefined;
  if (completed.status !== 200 || !order?.id) throw failure("complete", completed);
  return legacyId(order.id);
}

function failure(step: string, res: { status: number; body: Record<string, unknown> }): Error {
  const b = res.body as { message?: string; status?: string; messages?: Array<{ content?: string }> };
  return new Error(`${step}: ${res.status} ${b.message ?? b.status ?? ""} ${(b.messages ?? []).map((m) => m.content).join(" ")}`.trim());
}

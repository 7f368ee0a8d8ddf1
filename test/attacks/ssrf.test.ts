// Issue 12, item 3: a merchant (or whoever holds a merchant's admin session) sets the order-event webhook URL and
// the Feed API push URL; the app then calls them. The attacker points them at the app's own network: a trap
// server on 127.0.0.1 stands for the internal service, and must never receive a request. Real outbox, real
// SQLite, real HTTP servers on loopback; DNS answers are injected (the only thing simulated).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { deliverDue, enqueue, DEFAULT_POLICY } from "../../app/jobs/outbox.server";
import { orderOutboxHandlers } from "../../app/orders/handlers.server";
import { ORDER_EVENT } from "../../app/orders/order-events.server";
import { agentOrderDetail } from "../../app/admin/orders.server";
import { parseSettings } from "../../app/shop/settings.server";
import { encryptSecret } from "../../app/security/secrets.server";
import { shopSecret } from "../../app/security/encrypted-columns.server";
import { catalogFor } from "../../app/catalog/service.server";
import { feedPageAction, feedPageData } from "../../app/catalog/feed-page.server";
import type { AdminClient } from "../../app/shopify/admin-client";
import { isPublicAddress, type Resolver } from "../../app/security/outbound.server";

const t = freshDb();
const MARKER = "INTERNAL-SECRET-MARKER-7f3a";
const policy = { ...DEFAULT_POLICY, maxAttempts: 1 };
const allowLoopback: NodeJS.ProcessEnv = { OUTBOUND_ALLOW_PRIVATE: "1", NODE_ENV: "test" };

interface Listening {
  server: Server;
  port: number;
  hits: Array<{ method: string; url: string }>;
}
async function listen(handler: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void): Promise<Listening> {
  const hits: Listening["hits"] = [];
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? "", url: req.url ?? "" });
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let trap: Listening; // the internal service the attacker wants to reach
let shopId: string;
let orderId: string;

beforeAll(async () => {
  trap = await listen((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok":true}'));
});
afterAll(async () => {
  trap.server.close();
  await t.close();
});
beforeEach(async () => {
  trap.hits.length = 0;
  await t.db.shop.deleteMany({});
  shopId = `shop_ssrf_${Date.now()}`;
  await t.db.shop.create({
    data: { id: shopId, domain: `${shopId}.myshopify.com`, orderWebhookSecretEnc: encryptSecret("agent-secret-0123456789", shopSecret("orderWebhookSecretEnc", shopId)) },
  });
  orderId = (
    await t.db.agentOrder.create({
      data: { shopId, checkoutSessionId: `cs_${shopId}`, shopifyOrderId: "gid://shopify/Order/1", orderName: "#1001", statusUrl: "https://shop.example/s", totalMinor: 1000, currency: "usd" },
    })
  ).id;
});

/** Points the shop's webhook at `url` (as if saved before the rules, or by a direct database write) and delivers. */
async function deliverTo(url: string, outbound: { resolve?: Resolver; env?: NodeJS.ProcessEnv } = {}) {
  await t.db.shop.update({ where: { id: shopId }, data: { orderWebhookUrl: url } });
  const event = await enqueue(t.db, { shopId, type: ORDER_EVENT, aggregateId: orderId, payload: { body: { type: "order_update", data: { id: orderId, status: "confirmed" } } } });
  await deliverDue(t.db, orderOutboxHandlers({ db: t.db, outbound: { env: { NODE_ENV: "test" }, ...outbound } }), { policy });
  return t.db.outboxEvent.findUniqueOrThrow({ where: { id: event.id } });
}

describe("the merchant cannot save a URL that points inside", () => {
  const base = { checkoutMode: "agent_payment", sessionTtlMinutes: "60", stripeSecretKey: "", stripeAccountId: "", orderWebhookSecret: "", orderEventNaming: "spec", signatureSecret: "" };
  const errorFor = (orderWebhookUrl: string) => {
    const parsed = parseSettings({ ...base, orderWebhookUrl });
    return parsed.ok ? null : (parsed.errors.orderWebhookUrl ?? null);
  };

  it("refuses credentials in the URL, loopback/private IP literals and localhost", () => {
    expect(errorFor("https://user:pass@agent.example/hook")).toMatch(/user name and password/);
    for (const url of ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/", "https://[::1]/", "https://[fd00::1]/", "https://[::ffff:127.0.0.1]/", "https://localhost/hook", "https://0x7f.1/hook"]) {
      expect(errorFor(url), url).toMatch(/private or local network/);
    }
    expect(errorFor("https://agent.example/hook")).toBeNull();
  });

  it("refuses http in production", () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      expect(errorFor("http://agent.example/hook")).toBe("Enter an https:// URL");
      expect(errorFor("https://agent.example/hook")).toBeNull();
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it("the Feed API push endpoint follows the same rules", async () => {
    const shop = await t.db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const form = new FormData();
    form.set("intent", "push-settings");
    form.set("feedPushUrl", `http://127.0.0.1:${trap.port}/feeds`);
    const result = await feedPageAction(t.db, { ...shop }, {} as AdminClient, form);
    expect(result.ok).toBe(false);
    expect(result.errors?.feedPushUrl).toMatch(/private or local network/);
    expect((await t.db.shop.findUniqueOrThrow({ where: { id: shopId } })).feedPushUrl).toBeNull();
  });
});

describe("a stored URL that points inside is refused at delivery", () => {
  it("userinfo and, in production, plain http are refused before any connection", async () => {
    const withCredentials = await deliverTo(`http://user:pw@127.0.0.1:${trap.port}/hook`, { env: allowLoopback });
    expect(withCredentials.lastError).toMatch(/^invalid_url: /);
    const plainInProduction = await deliverTo(`http://agent.example:${trap.port}/hook`, { env: { NODE_ENV: "production", OUTBOUND_ALLOW_PRIVATE: "1" }, resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(plainInProduction.lastError).toMatch(/^invalid_url: /);
    expect(trap.hits).toEqual([]);
  });

  it.each([
    ["loopback", () => `http://127.0.0.1:${trap.port}/hook`],
    ["private 10/8", () => `http://10.0.0.1:${trap.port}/hook`],
    ["link-local metadata", () => "http://169.254.169.254/latest/meta-data/"],
    ["CGNAT", () => `http://100.64.0.1:${trap.port}/`],
    ["IPv6 loopback", () => `http://[::1]:${trap.port}/hook`],
    ["IPv6 unique local", () => `http://[fd00::1]:${trap.port}/hook`],
    ["IPv4-mapped loopback", () => `http://[::ffff:127.0.0.1]:${trap.port}/hook`],
    ["localhost", () => `http://localhost:${trap.port}/hook`],
  ])("%s", async (_name, url) => {
    const row = await deliverTo(url());
    expect(row.deliveredAt).toBeNull();
    expect(row.lastError).toMatch(/^refused_address: /);
    expect(trap.hits).toEqual([]);
  });

  it("a public-looking host name whose DNS answer is 127.0.0.1 is refused at connect time", async () => {
    const row = await deliverTo(`http://hooks.agent.example:${trap.port}/hook`, { resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(row.lastError).toMatch(/^refused_address: /);
    expect(trap.hits).toEqual([]);
  });

  it("DNS rebinding: public to an earlier check, 127.0.0.1 to the connect — the connect's own answer is judged", async () => {
    let calls = 0;
    const rebinding: Resolver = async () => (++calls === 1 ? [{ address: "93.184.215.14", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]);
    // What a check made before connecting would have seen (a save-time or pre-flight lookup): a public address.
    expect(await rebinding("rebind.attacker.example")).toEqual([{ address: "93.184.215.14", family: 4 }]);
    const row = await deliverTo(`http://rebind.attacker.example:${trap.port}/hook`, { resolve: rebinding });
    expect(row.lastError).toMatch(/^refused_address: /);
    expect(calls).toBe(2); // exactly one lookup for the connection, and it was refused
    expect(trap.hits).toEqual([]);
    // An answer that mixes a public and a private address is refused too.
    const mixed = await deliverTo(`http://mixed.attacker.example:${trap.port}/hook`, {
      resolve: async () => [{ address: "93.184.215.14", family: 4 }, { address: "127.0.0.1", family: 4 }],
    });
    expect(mixed.lastError).toMatch(/^refused_address: /);
    expect(trap.hits).toEqual([]);
  });
});

describe("which addresses count as public", () => {
  it("only global unicast; special ranges and IPv4 hidden in IPv6 are refused", () => {
    for (const ip of ["0.0.0.0", "127.0.0.2", "10.1.1.1", "172.16.5.4", "192.168.1.1", "169.254.1.1", "100.100.1.1", "224.0.0.1", "255.255.255.255", "192.0.2.7", "198.18.0.1",
      "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2001:0:4136:e378::1", "2001:db8::1"]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ["93.184.215.14", "8.8.8.8", "::ffff:93.184.215.14", "2606:4700:4700::1111", "[2a00:1450:4001:82a::200e]"]) expect(isPublicAddress(ip), ip).toBe(true);
    expect(isPublicAddress("not-an-ip")).toBe(false);
  });
});

describe("what an allowed endpoint answers", () => {
  it("a 302 is a failed delivery and is not followed", async () => {
    const redirector = await listen((_req, res) => res.writeHead(302, { Location: `http://127.0.0.1:${trap.port}/steal` }).end());
    try {
      const row = await deliverTo(`http://127.0.0.1:${redirector.port}/hook`, { env: allowLoopback });
      expect(redirector.hits).toHaveLength(1);
      expect(trap.hits).toEqual([]);
      expect(row.deliveredAt).toBeNull();
      expect(row.lastError).toMatch(/^redirect: /);
    } finally {
      redirector.server.close();
    }
  });

  it("an upstream 500's text never reaches the database or the admin", async () => {
    const failing = await listen((_req, res) => res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ message: MARKER, error: MARKER })));
    try {
      const row = await deliverTo(`http://127.0.0.1:${failing.port}/hook`, { env: allowLoopback });
      expect(failing.hits).toHaveLength(1);
      expect(row.lastError).toBe("http_5xx: The endpoint had a server error (HTTP 500).");
      const detail = await agentOrderDetail(t.db, { id: shopId, domain: `${shopId}.myshopify.com` }, orderId, false);
      expect(JSON.stringify(detail)).toContain("http_5xx");
      expect(JSON.stringify(detail)).not.toContain(MARKER);
      expect(JSON.stringify(await t.db.outboxEvent.findMany())).not.toContain(MARKER);
    } finally {
      failing.server.close();
    }
  });

  it("the Feed API push: a 302 is not followed, and an error body's text is not stored or shown", async () => {
    let status = 302;
    const endpoint = await listen((_req, res) => {
      if (status === 302) res.writeHead(302, { Location: `http://127.0.0.1:${trap.port}/feeds` }).end();
      else res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ type: "invalid_request", code: MARKER, message: MARKER }));
    });
    const before = process.env.OUTBOUND_ALLOW_PRIVATE;
    process.env.OUTBOUND_ALLOW_PRIVATE = "1"; // this endpoint is allowed; the trap behind its redirect is not the point here
    try {
      await t.db.shop.update({ where: { id: shopId }, data: { feedPushUrl: `http://127.0.0.1:${endpoint.port}/api` } });
      const shop = await t.db.shop.findUniqueOrThrow({ where: { id: shopId } });
      const push = () => catalogFor({ db: t.db, shop: { ...shop }, admin: {} as AdminClient, sleep: async () => undefined }).push();
      const redirected = await push();
      expect(redirected).toMatchObject({ outcome: "FAILED" });
      expect(trap.hits).toEqual([]);
      for (const s of [400, 500]) {
        status = s;
        expect(await push()).toMatchObject({ outcome: "FAILED" });
      }
      const runs = await t.db.feedRun.findMany({ where: { shopId, kind: "push" }, orderBy: { startedAt: "asc" } });
      expect(runs.map((r) => r.error?.split(":")[0])).toEqual(["redirect", "http_4xx", "http_5xx"]);
      expect(JSON.stringify(runs)).not.toContain(MARKER);
      const page = await feedPageData(t.db, { ...shop }, "https://app.example");
      expect(JSON.stringify(page.pushes)).not.toContain(MARKER);
    } finally {
      process.env.OUTBOUND_ALLOW_PRIVATE = before;
      endpoint.server.close();
    }
  });
});

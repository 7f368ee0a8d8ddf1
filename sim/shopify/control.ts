// /_sim control API: JSON endpoints mirroring the programmatic API, for tests, demos and other tools.
// Documented in README.md.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ShopifySim } from "./index.js";
import { readBody, send } from "./server.js";
import { restOrder, restProduct } from "./webhooks.js";
import { findOrder } from "./domain/orders.js";
import { findProduct } from "./store.js";
import { demoShopSeed } from "./fixtures/demo-shop.js";
import type { ShopSeed } from "./types.js";

export async function handleControl(sim: ShopifySim, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? "GET";
  const raw = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent); // drop "_sim"
  // Ids may be given as raw GIDs in the path (gid://shopify/Order/1 → segments "gid:", "shopify", "Order", "1").
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "gid:" && i + 3 < raw.length + 1) {
      parts.push(`gid://${raw.slice(i + 1, i + 4).join("/")}`);
      i += 3;
    } else parts.push(raw[i]);
  }
  let body: Record<string, unknown> = {};
  if (method !== "GET" && method !== "DELETE") {
    const raw = await readBody(req);
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(res, 400, { error: "invalid JSON body" });
    }
  }
  try {
    const result = await route(sim, method, parts, body, url);
    if (result === undefined) return send(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
    send(res, 200, result);
  } catch (e) {
    send(res, 400, { error: (e as Error).message });
  }
}

async function route(sim: ShopifySim, method: string, p: string[], body: Record<string, unknown>, url: URL): Promise<unknown> {
  const [a, shopDomain, kind, id, action] = p;
  if (a === "reset" && method === "POST") {
    await sim.reset();
    return { ok: true };
  }
  if (a === "faults") {
    if (method === "PUT" || method === "POST") {
      sim.setFaults(body as never);
      return { ok: true, faults: sim.faults.current };
    }
    if (method === "DELETE") {
      sim.setFaults(null);
      return { ok: true };
    }
    return { faults: sim.faults.current, counts: sim.faultCounts() };
  }
  if (a === "calls") {
    if (method === "DELETE") {
      sim.calls.length = 0;
      return { ok: true };
    }
    const shop = url.searchParams.get("shop");
    return sim.calls.filter((c) => !shop || c.shop === shop);
  }
  if (a === "webhooks") {
    if (method === "PUT") {
      sim.setWebhooks(body as never);
      return { ok: true };
    }
    if (method === "DELETE") {
      sim.webhookDeliveries.length = 0;
      return { ok: true };
    }
    return { subscriptions: sim.webhookSubscriptions, deliveries: sim.webhookDeliveries };
  }
  if (a === "wait" && method === "POST") {
    await sim.waitForBulkOperations();
    await sim.waitForWebhookDeliveries();
    return { ok: true };
  }
  if (a === "throttle" && method === "POST") {
    sim.setThrottle(body as never, body.shop as string | undefined);
    return { ok: true };
  }
  if (a !== "shops") return undefined;
  if (!shopDomain) {
    if (method === "POST") {
      const seed = body.demo ? demoShopSeed(body.domain as string, body.accessToken as string | undefined) : (body as unknown as ShopSeed);
      const shop = sim.addShop(seed);
      return { domain: shop.domain, accessToken: sim.accessToken(shop.domain), graphqlUrl: sim.graphqlUrl(shop.domain) };
    }
    return sim.listShops();
  }
  const shop = sim.store.shop(shopDomain);
  if (!kind) return sim.listShops().find((s) => s.domain === shop.domain);
  if (kind === "uninstall" && method === "POST") {
    sim.uninstallApp(shop.domain);
    return { ok: true };
  }
  if (kind === "products") {
    if (!id && method === "POST") return restProduct(shop, sim.createProduct(shop.domain, body as never));
    if (!id) return [...shop.products.values()].map((x) => restProduct(shop, x));
    if (method === "GET") return restProduct(shop, findProduct(shop, id));
    if (method === "PATCH" || method === "PUT") return restProduct(shop, sim.updateProduct(shop.domain, id, body as never));
    if (method === "DELETE") {
      sim.deleteProduct(shop.domain, id);
      return { ok: true };
    }
  }
  if (kind === "variants" && id && method === "POST") {
    if (action === "price") {
      sim.setVariantPrice(shop.domain, id, body.price as string, body.compareAtPrice as string | null | undefined);
      return { ok: true };
    }
    if (action === "inventory") {
      sim.setInventory(shop.domain, id, Number(body.available), body.locationId as string | undefined);
      return { ok: true };
    }
  }
  if (kind === "orders") {
    if (!id) return [...shop.orders.values()].map((o) => restOrder(shop, o));
    const order = findOrder(shop, id);
    if (!order) throw new Error(`Order ${id} not found`);
    if (!action && method === "GET") return restOrder(shop, order);
    if (action === "fulfill" && method === "POST") {
      sim.fulfillOrder(shop.domain, order.id, body as never);
      return restOrder(shop, order);
    }
    if (action === "refund" && method === "POST") {
      sim.refundOrder(shop.domain, order.id, body as never);
      return restOrder(shop, order);
    }
    if (action === "cancel" && method === "POST") {
      sim.cancelOrder(shop.domain, order.id, body as never);
      return restOrder(shop, order);
    }
  }
  return undefined;
}

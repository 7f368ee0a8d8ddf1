// Shared test helpers: start a simulator and talk to it over real HTTP, as the app does.
import { afterAll, beforeAll } from "vitest";
import { startShopifySim, type ShopifySim, type ShopifySimOptions } from "../index.js";
import { DEMO_SHOP_DOMAIN } from "../fixtures/demo-shop.js";

export const SHOP = DEMO_SHOP_DOMAIN;

export interface GqlResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function startSim(options: ShopifySimOptions = {}): Promise<ShopifySim> {
  return startShopifySim({ port: 0, ...options });
}

/**
 * A simulator for one test file: started before its tests, stopped after them. `sim()` is the running simulator,
 * `gql` a client of the demo shop.
 */
export function useSim(options: ShopifySimOptions = {}) {
  let started: ShopifySim | undefined;
  beforeAll(async () => {
    started = await startSim(options);
  });
  afterAll(() => started?.stop());
  const sim = (): ShopifySim => {
    if (!started) throw new Error("the simulator starts in beforeAll: call sim() inside a test or hook");
    return started;
  };
  const gql: ReturnType<typeof client> = (query, variables, operationName) => client(sim())(query, variables, operationName);
  return { sim, gql };
}

export function client(sim: ShopifySim, shop: string = SHOP, token: string = sim.accessToken(shop)) {
  return async (query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GqlResponse> => {
    const res = await fetch(sim.graphqlUrl(shop), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** Variant GID of a demo product by handle and (optional) variant title. */
export function variantGid(sim: ShopifySim, handle: string, title?: string, shop: string = SHOP): string {
  const p = [...sim.shop(shop).products.values()].find((x) => x.handle === handle);
  if (!p) throw new Error(`no product ${handle}`);
  const v = title ? p.variants.find((x) => x.title === title) : p.variants[0];
  if (!v) throw new Error(`no variant ${title} of ${handle}`);
  return `gid://shopify/ProductVariant/${v.id}`;
}

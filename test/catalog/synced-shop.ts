// The demo shop installed from the Shopify simulator and fully synced through the real sync, for catalog tests.
// Call from beforeAll, after the test file has set DATABASE_URL and the app's environment (app modules read it when
// they load, so they are imported here, not at the top).
import { gunzipSync } from "node:zlib";
import type { Db } from "../../app/db/client.server";
import type { FlatFeedRow } from "../../app/catalog/feed-item";
import { DEMO_SHOP_DOMAIN, startShopifySim } from "../../sim/shopify/index";

export const SHOP = DEMO_SHOP_DOMAIN;

export async function syncedDemoShop(db: Db) {
  const sim = await startShopifySim();
  process.env.SHOPIFY_ADMIN_URL_TEMPLATE = sim.adminUrlTemplate;
  const service = await import("../../app/catalog/service.server");
  const { serveFeedFile } = await import("../../app/catalog/feed-serve.server");
  const { feedTokenFor } = await import("../../app/catalog/feed-token.server");
  const { createAdminClient } = await import("../../app/shopify/admin-client");
  const { recordShop } = await import("../../app/shop/install.server");

  const admin = () => createAdminClient({ shop: SHOP, accessToken: sim.accessToken(SHOP), urlTemplate: sim.adminUrlTemplate });
  const shopRow = () => db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  const ctx = async () => ({ db, shop: await shopRow(), admin: admin() });

  /** GET of a feed file as the agent platform makes it (the shop's current token unless one is given). */
  async function feed(headers: Record<string, string> = {}, file = "products.jsonl.gz", token?: string): Promise<Response> {
    const tk = token ?? (await feedTokenFor(db, await shopRow()));
    return serveFeedFile(db, tk, file, new Request(`https://app.example/feeds/${tk}/${file}`, { headers }));
  }
  const rowsOf = async (res: Response) =>
    gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as FlatFeedRow);

  await recordShop(db, admin());
  await db.shop.update({ where: { domain: SHOP }, data: { selectionRule: "all" } });
  await service.startFullSync(await ctx(), { wait: true });
  await service.catalogBackgroundWork();

  return {
    sim,
    service,
    admin,
    shopRow,
    ctx,
    feed,
    rowsOf,
    async stop() {
      await service.catalogBackgroundWork();
      await sim.stop();
    },
  };
}

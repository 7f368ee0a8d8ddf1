// The merchant's set-up, done for the demo shop: an agent API key, Stripe (the stand-in) connected in test mode,
// every active product offered to agents, the catalog synced, the feed published, and the order-event webhook
// when DEMO_ORDER_WEBHOOK_URL is set.
import type { PrismaClient, Shop } from "@prisma/client";
import type { StripeSim } from "../../sim/stripe/index";
import type { AdminClient } from "../../app/shopify/admin-client";
import { encryptSecret } from "../../app/security/secrets.server";
import { shopSecret } from "../../app/security/encrypted-columns.server";
import { createAgentKeyRepository } from "../../app/db/agent-keys.server";
import { rotateFeedToken } from "../../app/catalog/feed-token.server";
import { startFullSync } from "../../app/catalog/service.server";

export interface DemoInstall {
  agentKey: string;
  feedUrl: string;
  catalogItems: number;
}

export async function installDemoShop(
  db: PrismaClient,
  shop: Shop,
  { stripe, admin, appUrl }: { stripe: StripeSim; admin: AdminClient; appUrl: string },
): Promise<DemoInstall> {
  const { key: agentKey } = await createAgentKeyRepository(db).create(shop.id, "Demo agent", process.env.DEMO_AGENT_KEY || undefined);
  const configured = await db.shop.update({
    where: { id: shop.id },
    data: {
      stripeSecretKeyEnc: encryptSecret(stripe.apiKey, shopSecret("stripeSecretKeyEnc", shop.id)),
      stripeAccountId: stripe.accountId,
      stripeMode: "test",
      selectionRule: "all",
      orderWebhookUrl: process.env.DEMO_ORDER_WEBHOOK_URL || null,
      orderWebhookSecretEnc: process.env.DEMO_ORDER_WEBHOOK_SECRET ? encryptSecret(process.env.DEMO_ORDER_WEBHOOK_SECRET, shopSecret("orderWebhookSecretEnc", shop.id)) : null,
    },
  });
  const feedToken = await rotateFeedToken(db, shop.id);
  await startFullSync({ db, shop: configured, admin }, { wait: true });
  const catalogItems = await db.catalogItem.count({ where: { shopId: shop.id, deletedAt: null } });
  return { agentKey, feedUrl: `${appUrl}/feeds/${feedToken}/products.jsonl.gz`, catalogItems };
}

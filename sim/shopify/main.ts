// CLI: npx tsx sim/shopify/main.ts [--port 4100] [--host 127.0.0.1] [--webhook-secret s --webhook topic=url ...]
import { startShopifySim } from "./index.js";
import { DEMO_SHOP_DOMAIN } from "./fixtures/demo-shop.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const subscriptions = args.flatMap((a, i) => (a === "--webhook" && args[i + 1] ? [args[i + 1]] : [])).map((s) => {
  const [topic, ...rest] = s.split("=");
  return { topic, uri: rest.join("=") };
});
const secret = opt("webhook-secret") ?? process.env.SHOPIFY_API_SECRET;

const sim = await startShopifySim({
  port: Number(opt("port") ?? process.env.PORT ?? 4100),
  host: opt("host") ?? "127.0.0.1",
  webhooks: secret && subscriptions.length ? { secret, subscriptions } : undefined,
});
console.log(`Shopify simulator listening on ${sim.url}`);
console.log(`  shop          ${DEMO_SHOP_DOMAIN}`);
console.log(`  GraphQL       ${sim.graphqlUrl(DEMO_SHOP_DOMAIN)}`);
console.log(`  access token  ${sim.accessToken(DEMO_SHOP_DOMAIN)}`);
console.log(`  URL template  ${sim.adminUrlTemplate}`);
console.log(`  control API   ${sim.url}/_sim/shops`);
const shutdown = () => void sim.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

// The app's configuration, read once from the environment. Defaults run the demo on a fresh clone.
const env = process.env;

function list(value: string | undefined, fallback: string[]): string[] {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : fallback;
}

export const config = {
  shopifyApiKey: env.SHOPIFY_API_KEY ?? "demo-api-key",
  shopifyApiSecret: env.SHOPIFY_API_SECRET ?? "demo-api-secret",
  appUrl: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT ?? 3000}`,
  scopes: list(env.SCOPES, ["read_products", "read_inventory", "read_orders", "write_orders", "write_draft_orders", "read_locations"]),
  /** Where Admin GraphQL calls go; `{shop}`/`{version}` are filled in. Real Shopify by default, the simulator in demo/tests. */
  adminUrlTemplate: env.SHOPIFY_ADMIN_URL_TEMPLATE ?? "https://{shop}/admin/api/{version}/graphql.json",
  /** Stripe API base for the payment adapter; unset = api.stripe.com. The demo points it at sim/stripe. */
  stripeApiBase: env.STRIPE_API_BASE,
  /** Demo mode: admin pages open outside Shopify's iframe for the demo shop. Never in production. */
  demoShop: env.DEMO_MODE === "1" ? (env.DEMO_SHOP ?? "demo-outfitters.myshopify.com") : undefined,
};

if (config.demoShop && env.NODE_ENV === "production") {
  throw new Error("Demo mode (DEMO_MODE=1) refuses to run with NODE_ENV=production.");
}

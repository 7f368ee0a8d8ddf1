// `npm run demo`: the app on its embedded defaults (SQLite, simulated shop, Stripe stand-in).
// `npm run demo -- --json` prints the URLs as one JSON object on the first line of stdout, and, once the seeded
// activity is in, `{"seeded":{…}}` on the second. `npm run demo -- --empty` seeds nothing.
import { startDemoStack } from "./demo/stack";
import { createDemoClock, seedDemoActivity } from "./demo/seed";
import { createDb, sqlitePragmas, tuneSqlite } from "../app/db/client.server";
import { startWebhookReceiver, type WebhookReceiver } from "../sim/agent/webhook-receiver";
import { randomBytes } from "node:crypto";

const args = new Set(process.argv.slice(2));
const asJson = args.has("--json");
const clock = createDemoClock();

// The agent platform's order-event endpoint, unless one is given: a local receiver that checks each event's
// signature, so the orders list shows updates delivered, as they would be for a live shop.
let receiver: WebhookReceiver | undefined;
if (!process.env.DEMO_ORDER_WEBHOOK_URL && process.env.NODE_ENV !== "production") {
  process.env.DEMO_ORDER_WEBHOOK_SECRET = randomBytes(24).toString("base64url");
  receiver = await startWebhookReceiver({ secret: process.env.DEMO_ORDER_WEBHOOK_SECRET });
  process.env.DEMO_ORDER_WEBHOOK_URL = receiver.url;
}

const stack = await startDemoStack({ build: !args.has("--no-build"), log: asJson ? () => {} : undefined, clock });
if (asJson) {
  process.stdout.write(`${JSON.stringify(stack.urls)}\n`);
} else {
  const u = stack.urls;
  console.log(`
Agentic Checkout demo is running.

  Admin (demo mode)  ${u.admin}
  Product feed       ${u.feed}
  ACP base URL       ${u.acp}
  MCP endpoint       ${u.mcp}   (ChatGPT apps: ${u.mcp}/<agent key>; see docs/mcp.md)
  Agent API key      ${u.agentKey}
  Shopify (sim)      ${u.shopify}   token ${u.shopifyToken}
  Stripe (sim)       ${u.stripe}${receiver ? `\n  Order events       ${receiver.url}   (a local stand-in for the agent platform's endpoint)` : ""}
  Shop               ${u.shop}

Try:  curl -s ${u.acp}/checkout_sessions -H "Authorization: Bearer ${u.agentKey}" \\
        -H "API-Version: 2026-04-17" -H "Idempotency-Key: $(uuidgen 2>/dev/null || echo demo-1)" \\
        -H "Content-Type: application/json" -d '{"currency":"usd","line_items":[{"id":"<variant id>"}],"capabilities":{}}'
      npm run agent -- --help

Ctrl-C stops everything.`);
}

// A few weeks of agent sessions and orders, made through the checkout API after the URLs are out (0166).
if (!args.has("--empty")) {
  // The app's own SQLite settings: this process writes the same file while the app serves it.
  const db = createDb(stack.databaseUrl, sqlitePragmas());
  tuneSqlite(db)
    .then(() => seedDemoActivity({ db, shopify: stack.shopify, stripe: stack.stripe, shop: stack.urls.shop, feedUrl: stack.urls.feed, appUrl: stack.appUrl, agentKey: stack.urls.agentKey, clock }))
    .then((seeded) => {
      if (asJson) process.stdout.write(`${JSON.stringify({ seeded })}\n`);
      else console.log(`\nSeeded ${seeded.orders} agent orders from ${seeded.sessions} checkout sessions over the past four weeks (${(seeded.ms / 1000).toFixed(1)} s).`);
    })
    .catch((error: unknown) => {
      if (asJson) process.stdout.write(`${JSON.stringify({ seeded: null, error: String(error) })}\n`);
      else console.error(`Seeding the demo's activity failed: ${error instanceof Error ? error.message : String(error)}`);
    })
    .finally(() => db.$disconnect());
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    await receiver?.stop();
    process.exit(0);
  });
}

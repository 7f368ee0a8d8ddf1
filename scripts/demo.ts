// `npm run demo`: the app on its embedded defaults (SQLite, simulated shop, Stripe stand-in).
// `npm run demo -- --json` prints the URLs as one JSON object on the first line of stdout.
import { startDemoStack } from "./demo/stack";

const args = new Set(process.argv.slice(2));
const asJson = args.has("--json");

const stack = await startDemoStack({ build: !args.has("--no-build"), log: asJson ? () => {} : undefined });
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
  Stripe (sim)       ${u.stripe}
  Shop               ${u.shop}

Try:  curl -s ${u.acp}/checkout_sessions -H "Authorization: Bearer ${u.agentKey}" \\
        -H "API-Version: 2026-04-17" -H "Idempotency-Key: $(uuidgen 2>/dev/null || echo demo-1)" \\
        -H "Content-Type: application/json" -d '{"currency":"usd","line_items":[{"id":"<variant id>"}],"capabilities":{}}'
      npm run agent -- --help

Ctrl-C stops everything.`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}

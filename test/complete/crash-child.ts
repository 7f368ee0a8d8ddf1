// A separate process that completes one checkout against the same SQLite file and stand-ins as the test, and is
// killed with SIGKILL at a named step boundary (no finally blocks, no flushes: a real crash). Used by
// sigkill.test.ts; configured through the environment.
import { composeAcp } from "../../app/acp/compose.server";
import { createDb } from "../../app/db/client.server";
import { createAdminClient } from "../../app/shopify/admin-client";
import { createStripeGateway } from "../../app/payments/stripe-gateway.server";

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} missing`); })();
const now = new Date(env("CHILD_NOW"));
const db = createDb(env("DATABASE_URL"));
const admin = createAdminClient({ shop: env("SHOP"), accessToken: env("SHOPIFY_TOKEN"), urlTemplate: env("ADMIN_URL_TEMPLATE") });
const gateway = createStripeGateway({ secretKey: env("STRIPE_KEY"), apiBase: env("STRIPE_URL"), maxNetworkRetries: 0 });
const acp = composeAcp({
  db,
  adminFor: async () => admin,
  clock: { now: () => now },
  gatewayFor: () => gateway,
  completionPolicy: { lockMs: 60_000 },
  logger: { info: () => undefined, error: (fields, message) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`) },
  crashAt: (point) => {
    if (point === process.env.CRASH_AT) process.kill(process.pid, "SIGKILL");
  },
});
const body = { payment_data: { handler_id: "card_tokenized", instrument: { type: "card", credential: { type: "spt", token: env("SPT") } } } };
const res = await acp.handler(
  new Request(`https://app.example.com/acp/checkout_sessions/${env("SESSION_ID")}/complete`, {
    method: "POST",
    headers: { Authorization: `Bearer ${env("AGENT_KEY")}`, "API-Version": "2026-04-17", "Idempotency-Key": "child", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  }),
);
process.stdout.write(`survived ${res.status}\n`);
process.exit(0);

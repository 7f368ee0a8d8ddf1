// CLI: `npx tsx sim/stripe/main.ts --port 4200 [--host 127.0.0.1] [--key sk_test_x]...`
import { parseArgs } from "node:util";
import { startStripeSim } from "./index";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.STRIPE_SIM_PORT ?? "4200" },
    host: { type: "string", default: "127.0.0.1" },
    key: { type: "string", multiple: true },
    account: { type: "string" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port}`);
  process.exit(2);
}

const sim = await startStripeSim({ port, host: values.host, apiKeys: values.key, accountId: values.account });
console.log(`Stripe sim listening on ${sim.url}`);
console.log(`  secret key : ${sim.apiKey}`);
console.log(`  account    : ${sim.accountId}`);
console.log(`  ledger     : ${sim.url}/_sim/ledger   faults: POST ${sim.url}/_sim/config`);
console.log(`  app config : STRIPE_SECRET_KEY=${sim.apiKey} STRIPE_API_BASE=${sim.url}`);

const shutdown = () => {
  sim.stop().finally(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

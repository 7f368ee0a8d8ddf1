// `npm run agent -- <command>`: drive the app's ACP checkout API like ChatGPT does.
//   flow <itemId> [qty]            create → update (address) → update (option) → retrieve → cancel
//   create <itemId> [qty] | retrieve <id> | update <id> <json> | cancel <id> | complete <id> <spt>
// Environment: ACP_BASE_URL (default http://localhost:3000/acp), ACP_API_KEY, ACP_VERSION (2026-04-17 |
// 2025-09-29), ACP_SIGNING_SECRET (optional).
import { createAgentClient, shapes, type AcpVersion } from "./client";

const version = (process.env.ACP_VERSION ?? "2026-04-17") as AcpVersion;
const client = createAgentClient({
  baseUrl: process.env.ACP_BASE_URL ?? "http://localhost:3000/acp",
  apiKey: process.env.ACP_API_KEY ?? "",
  version,
  signingSecret: process.env.ACP_SIGNING_SECRET,
});

const address = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
const buyer = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

function show(step: string, res: { status: number; body: Record<string, unknown> }) {
  const b = res.body as { id?: string; status?: string; totals?: { type: string; amount: number }[]; messages?: unknown[]; code?: string; message?: string };
  const total = b.totals?.find((t) => t.type === "total")?.amount;
  console.log(`${step.padEnd(18)} ${res.status} ${b.status ?? b.code ?? ""} ${b.id ?? ""}${total !== undefined ? ` total=${total}` : ""}${b.messages?.length ? ` messages=${JSON.stringify(b.messages)}` : ""}${b.message ? ` ${b.message}` : ""}`);
}

async function main(argv: string[]) {
  if (!process.env.ACP_API_KEY) throw new Error("Set ACP_API_KEY (create one in the app's settings).");
  const [command, a, b] = argv;
  switch (command) {
    case "flow": {
      const items = [{ id: a, quantity: Number(b ?? 1) }];
      const created = await client.create(shapes.create(version, items, buyer));
      show("create", created);
      const id = created.body.id as string;
      if (!id) return process.exit(1);
      const addressed = await client.update(id, shapes.address(version, address, buyer.email));
      show("update address", addressed);
      const options = (addressed.body.fulfillment_options as { id: string }[] | undefined) ?? [];
      const chosen = options[options.length - 1];
      if (chosen) show("update option", await client.update(id, shapes.option(version, chosen.id, [a])));
      show("retrieve", await client.retrieve(id));
      show("cancel", await client.cancel(id));
      return;
    }
    case "create":
      return show("create", await client.create(shapes.create(version, [{ id: a, quantity: Number(b ?? 1) }], buyer)));
    case "retrieve":
      return show("retrieve", await client.retrieve(a));
    case "update":
      return show("update", await client.update(a, JSON.parse(b)));
    case "cancel":
      return show("cancel", await client.cancel(a));
    case "complete":
      return show("complete", await client.complete(a, shapes.complete(version, b ?? "spt_test")));
    default:
      console.log("usage: agent flow <itemId> [qty] | create <itemId> [qty] | retrieve <id> | update <id> <json> | cancel <id> | complete <id> <spt>");
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

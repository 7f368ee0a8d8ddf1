// The webhook subscriptions declared in shopify.app.toml, so the simulated shop sends exactly what Shopify would.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

interface TomlSubscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}

export function webhookSubscriptions(appUrl: string, tomlPath = path.resolve(import.meta.dirname, "../../shopify.app.toml")) {
  const toml = parse(readFileSync(tomlPath, "utf8")) as { webhooks?: { subscriptions?: TomlSubscription[] } };
  return (toml.webhooks?.subscriptions ?? []).flatMap((s) =>
    [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({ topic, uri: new URL(s.uri, appUrl).toString() })),
  );
}

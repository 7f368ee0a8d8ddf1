// shopify.app.toml is what Shopify installs: its scopes, API version and every webhook route must be right.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import type { GraphQLEnumType } from "graphql";
import { adminSchema } from "./support/admin-schema";

const root = path.resolve(import.meta.dirname, "..");
const toml = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as {
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }> };
};

/** The flat-routes file that serves a path such as /webhooks/app/uninstalled. */
function routeFileFor(uri: string): string {
  return path.join(root, "app/routes", `${uri.replace(/^\//, "").replaceAll("/", ".")}.ts`);
}

describe("shopify.app.toml", () => {
  it("asks for the scopes the app uses", () => {
    const scopes = toml.access_scopes.scopes.split(",");
    for (const scope of ["read_products", "read_inventory", "read_orders", "write_orders", "write_draft_orders"]) expect(scopes).toContain(scope);
  });

  it("subscribes at API version 2026-10, with the three compliance topics", () => {
    expect(toml.webhooks.api_version).toBe("2026-10");
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("every subscription lands on a route that exists, for a topic Shopify has", () => {
    const topicEnum = adminSchema().getType("WebhookSubscriptionTopic") as GraphQLEnumType;
    const known = new Set(topicEnum.getValues().map((v) => v.name));
    for (const sub of toml.webhooks.subscriptions) {
      expect(existsSync(routeFileFor(sub.uri)), sub.uri).toBe(true);
      for (const topic of sub.topics ?? []) expect(known.has(topic.toUpperCase().replaceAll("/", "_")), topic).toBe(true);
    }
  });
});

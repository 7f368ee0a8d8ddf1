// Shopify's Admin GraphQL schema for the pinned version, from the repo's own copy (spec/shopify-admin).
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema } from "graphql";

let cached: GraphQLSchema | undefined;

export function adminSchema(version = "2026-10"): GraphQLSchema {
  if (cached) return cached;
  const file = path.resolve(import.meta.dirname, "../../spec/shopify-admin", version, "introspection.json.gz");
  cached = buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")).data);
  return cached;
}

// Loads Shopify's real Admin schema (introspection JSON shipped in spec/) once per process.
// Every request is validated and executed against it, so the simulator can never accept a
// document that real Shopify would reject (and vice versa for fields we implement).
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const SUPPORTED_API_VERSIONS = ["2026-10"] as const;
export const DEFAULT_API_VERSION = "2026-10";

const here = path.dirname(fileURLToPath(import.meta.url));
const specRoot = path.resolve(here, "../../spec/shopify-admin");

const cache = new Map<string, GraphQLSchema>();

export function loadAdminSchema(version: string = DEFAULT_API_VERSION): GraphQLSchema {
  const hit = cache.get(version);
  if (hit) return hit;
  const file = path.join(specRoot, version, "introspection.json.gz");
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
  // assumeValid: the schema comes from Shopify; re-validating 10k types costs ~1 s for nothing.
  const schema = buildClientSchema(json.data, { assumeValid: true });
  cache.set(version, schema);
  return schema;
}

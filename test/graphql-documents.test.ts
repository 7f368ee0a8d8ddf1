// Every GraphQL document the app sends is validated against Shopify's Admin schema 2026-10.
// Documents are written as `/* GraphQL */ \`…\`` literals anywhere under app/; this test finds them all.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, validate } from "graphql";
import { adminSchema } from "./support/admin-schema";

const appDir = path.resolve(import.meta.dirname, "../app");
const MARKER = /\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const documents = sourceFiles(appDir).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(MARKER)].map((m) => ({ file: path.relative(appDir, file), source: m[1] })),
);

describe("Admin GraphQL documents in app/", () => {
  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.some((d) => d.source.includes("query ShopDetails"))).toBe(true);
  });

  it("contain no template interpolation (each document is static and checkable)", () => {
    for (const doc of documents) expect(doc.source, doc.file).not.toContain("${");
  });

  it.each(documents.map((d) => [`${d.file}: ${/(query|mutation)\s+(\w+)/.exec(d.source)?.[2] ?? "?"}`, d] as const))(
    "%s validates against Admin 2026-10",
    (_name, doc) => {
      const errors = validate(adminSchema(), parse(doc.source));
      expect(errors.map((e) => e.message)).toEqual([]);
    },
  );

  it("the validator is strict: a misspelled field fails", () => {
    const errors = validate(adminSchema(), parse("query Bad { shop { naem } }"));
    expect(errors[0]?.message).toMatch(/Cannot query field "naem" on type "Shop"/);
  });
});

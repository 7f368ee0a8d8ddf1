#!/usr/bin/env node
// The PostgreSQL schema is derived from prisma/schema.prisma, never edited by hand (docs/decisions/0124):
// the same models, with the PostgreSQL datasource and a generator writing the second client to its own
// directory. `node scripts/migrate-postgres-schema.mjs` rewrites prisma/postgres/schema.prisma; with
// `--new <name>` it also writes the PostgreSQL migration from the checked-in schema to the new one
// (prisma migrate diff between two datamodels: offline, no database); with `--generate` it generates the
// PostgreSQL client. test/db.test.ts fails when the checked-in file or the migrations drift from prisma/schema.prisma.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma/postgres/schema.prisma");
export const POSTGRES_MIGRATIONS = path.join(root, "prisma/postgres/migrations");
export const POSTGRES_CLIENT = path.join(root, "node_modules/.prisma/client-pg");

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/migrate-postgres-schema.mjs: do not edit (docs/decisions/0124).
// The same data model for PostgreSQL (@prisma/adapter-pg); its client is generated to node_modules/.prisma/client-pg.
`;

const GENERATOR = `generator client {
  provider   = "prisma-client-js"
  engineType = "client"
  output     = "../../node_modules/.prisma/client-pg"
}`;

const DATASOURCE = `datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/ignored" // ignored at run time: the pg adapter takes DATABASE_URL
}`;

/** The PostgreSQL schema text for a SQLite schema text. */
export function postgresSchema(sqlite) {
  const generator = /generator client \{[^}]*\}/;
  const datasource = /datasource db \{[^}]*\}/;
  if (!generator.test(sqlite) || !datasource.test(sqlite)) throw new Error("prisma/schema.prisma: generator client or datasource db block not found");
  if (!/provider\s*=\s*"sqlite"/.test(sqlite.match(datasource)[0])) throw new Error("prisma/schema.prisma: expected the sqlite provider");
  return HEADER + sqlite.replace(generator, GENERATOR).replace(datasource, DATASOURCE);
}

function prisma(args) {
  // Diffs between datamodels and generate touch no database; prisma.config.ts still builds its (SQLite) adapter,
  // so a PostgreSQL DATABASE_URL in the environment is left out.
  const { DATABASE_URL: _unused, ...env } = process.env;
  return execFileSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    env: { ...env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

/** SQL taking the `from` datamodel (a schema file, or null for an empty database) to the `to` datamodel. */
export function diffSql(from, to) {
  return prisma(["migrate", "diff", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", to, "--script"]);
}

/**
 * Generates the PostgreSQL client, then points it at @prisma/client's runtime instead of the copy Prisma puts in
 * its output directory (byte-identical, same version): one set of error classes, so the app's
 * `error instanceof Prisma.PrismaClientKnownRequestError` (unique violations, P2002) holds on both databases.
 */
export function generatePostgresClient() {
  prisma(["generate", "--schema", POSTGRES_SCHEMA]);
  for (const file of readdirSync(POSTGRES_CLIENT).filter((f) => f.endsWith(".js"))) {
    const full = path.join(POSTGRES_CLIENT, file);
    const text = readFileSync(full, "utf8");
    const patched = text.replaceAll("require('./runtime/client.js')", "require('@prisma/client/runtime/client.js')");
    if (patched !== text) writeFileSync(full, patched);
  }
  const index = readFileSync(path.join(POSTGRES_CLIENT, "index.js"), "utf8");
  if (!index.includes("require('@prisma/client/runtime/client.js')")) throw new Error("The generated PostgreSQL client no longer loads ./runtime/client.js: check generatePostgresClient()");
  console.log(`generated ${path.relative(root, POSTGRES_CLIENT)} (runtime: @prisma/client)`);
}

function stamp(d = new Date()) {
  return d.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function main() {
  const args = process.argv.slice(2);
  const next = postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
  const newIndex = args.indexOf("--new");
  if (newIndex >= 0) {
    const name = args[newIndex + 1];
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("--new needs a migration name in lower case letters, digits and _");
    const tmp = path.join(tmpdir(), `pg-schema-${process.pid}.prisma`);
    writeFileSync(tmp, next);
    try {
      const sql = diffSql(existsSync(POSTGRES_SCHEMA) ? POSTGRES_SCHEMA : null, tmp);
      if (!sql.replace(/--.*$/gm, "").trim()) {
        console.log("The PostgreSQL schema is unchanged: no migration written.");
      } else {
        const dir = path.join(POSTGRES_MIGRATIONS, `${stamp()}_${name}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, "migration.sql"), sql);
        console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
      }
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  writeFileSync(POSTGRES_SCHEMA, next);
  console.log(`wrote ${path.relative(root, POSTGRES_SCHEMA)}`);
  if (args.includes("--generate")) generatePostgresClient();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

#!/usr/bin/env node
// The PostgreSQL schema is derived from prisma/schema.prisma, never edited by hand (docs/decisions/0124):
// the same models, with the PostgreSQL datasource and a generator writing the second client to its own
// directory. `node scripts/migrate-postgres-schema.mjs` rewrites prisma/postgres/schema.prisma; with
// `--new <name>` it also writes the PostgreSQL migration from the checked-in schema to the new one
// (prisma migrate diff between two datamodels: offline, no database). test/db.test.ts fails when the
// checked-in file or the migrations drift from prisma/schema.prisma.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma/postgres/schema.prisma");
export const POSTGRES_MIGRATIONS = path.join(root, "prisma/postgres/migrations");

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
  return execFileSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

/** SQL taking the `from` datamodel (a schema file, or null for an empty database) to the `to` datamodel. */
export function diffSql(from, to) {
  return prisma(["migrate", "diff", ...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]), "--to-schema-datamodel", to, "--script"]);
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

// Test databases: one migrated template made once per run, copied for each test file. SQLite by default;
// TEST_DATABASE=postgres (the `postgres` test project, docs/decisions/0126) gives each file its own PostgreSQL
// database, created from a template database migrated once per run.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, type Db } from "../../app/db/client.server";

const root = path.resolve(import.meta.dirname, "../..");
const dir = path.join(tmpdir(), "acp-shopify-tests");
export const templatePath = path.join(dir, `template-${process.ppid}.sqlite`);

/** The PostgreSQL server tests use (a maintenance database on it: databases are created next to it). */
export const testPostgresUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const onPostgres = () => process.env.TEST_DATABASE === "postgres";

/** The URL of database `name` on the test server. */
export function postgresUrlFor(name: string): string {
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs statements on the test server's maintenance database, synchronously (freshDb() is called at collection
 * time, outside any hook). A child process with node-postgres: no psql needed.
 */
export function postgresAdmin(statements: Array<string | { dropDatabasesLike: string }>, url = testPostgresUrl): void {
  const script = `import pg from "pg";
const c = new pg.Client({ connectionString: process.env.PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
await c.connect();
try {
  for (const s of JSON.parse(process.env.PG_ADMIN_SQL)) {
    if (typeof s === "string") { await c.query(s); continue; }
    const { rows } = await c.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [s.dropDatabasesLike]);
    for (const r of rows) await c.query('DROP DATABASE IF EXISTS "' + r.datname.replaceAll('"', '""') + '" WITH (FORCE)');
  }
} finally { await c.end(); }`;
  execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, PG_ADMIN_URL: url, PG_ADMIN_SQL: JSON.stringify(statements) },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Applies the checked-in PostgreSQL migrations with the deploy runner (scripts/migrate.mjs). */
export function migratePostgresFresh(name: string): void {
  postgresAdmin([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
  execFileSync(process.execPath, [path.join(root, "scripts/migrate.mjs")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: postgresUrlFor(name) },
    stdio: "pipe",
  });
}

/** Applies prisma/migrations to a fresh SQLite file with `npm run db:migrate`'s script (`prisma migrate deploy`
 * for a file: URL), as production does. */
export function migrateFresh(file: string): void {
  rmSync(file, { force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(process.execPath, [path.join(root, "scripts/migrate.mjs")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${file}`, CHECKPOINT_DISABLE: "1" },
    stdio: "pipe",
  });
}

/** Database names of one test run share this prefix, so the run's teardown drops every one it left. */
export function runPrefix(): string {
  process.env.ACP_TEST_PG_PREFIX ??= `acp_t_${randomBytes(4).toString("hex")}`;
  return process.env.ACP_TEST_PG_PREFIX;
}

/** Global setup: the SQLite template, and the PostgreSQL one when this run includes the postgres project. */
export async function prepareTemplateDatabase({ postgres = false }: { postgres?: boolean } = {}): Promise<() => void> {
  process.env.ACP_TEST_TEMPLATE_DB = templatePath;
  migrateFresh(templatePath);
  if (!postgres) return () => {};
  await ensurePostgresClient();
  const template = `${runPrefix()}_template`;
  migratePostgresFresh(template);
  process.env.ACP_TEST_PG_TEMPLATE = template;
  return () => dropRunDatabases();
}

/**
 * The PostgreSQL Prisma client, generated when it is missing or older than the schema (`npm ci` generates only the
 * SQLite one; `npm run db:generate` both).
 */
async function ensurePostgresClient(): Promise<void> {
  const { postgresSchema, generatePostgresClient, SQLITE_SCHEMA, POSTGRES_CLIENT } = await import("../../scripts/migrate-postgres-schema.mjs");
  const generated = path.join(POSTGRES_CLIENT, "schema.prisma");
  const squash = (text: string) => text.replace(/\s+/g, " ").trim();
  if (existsSync(generated) && squash(readFileSync(generated, "utf8")) === squash(postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8")))) return;
  generatePostgresClient();
}

/** Drops the databases this run created (files that crashed before their close()). */
export function dropRunDatabases(): void {
  const prefix = process.env.ACP_TEST_PG_PREFIX;
  if (!prefix || !/^acp_t_[0-9a-f]+$/.test(prefix)) return;
  postgresAdmin([{ dropDatabasesLike: `${prefix}_` }]);
}

export interface TestDb {
  db: Db;
  url: string;
  /** The SQLite file, or the PostgreSQL database name. */
  file: string;
  provider: "sqlite" | "postgres";
  close: () => Promise<void>;
}

/** A fresh, migrated database for one test file, on the provider the test project runs (TEST_DATABASE). */
export function freshDb(): TestDb {
  if (onPostgres()) return freshPostgresDb();
  const template = process.env.ACP_TEST_TEMPLATE_DB ?? templatePath;
  if (!existsSync(template)) migrateFresh(template);
  const file = path.join(dir, `db-${randomUUID()}.sqlite`);
  copyFileSync(template, file);
  const url = `file:${file}`;
  const db = createDb(url);
  return {
    db,
    url,
    file,
    provider: "sqlite",
    close: async () => {
      await db.$disconnect();
      rmSync(file, { force: true });
    },
  };
}

function freshPostgresDb(): TestDb {
  let template = process.env.ACP_TEST_PG_TEMPLATE;
  if (!template) {
    // A file run on its own (no global setup for the postgres project): migrate a template for this process.
    template = `${runPrefix()}_template`;
    migratePostgresFresh(template);
    process.env.ACP_TEST_PG_TEMPLATE = template;
  }
  const name = `${runPrefix()}_${randomBytes(6).toString("hex")}`;
  postgresAdmin([`CREATE DATABASE "${name}" TEMPLATE "${template}"`]);
  const url = postgresUrlFor(name);
  const db = createDb(url);
  return {
    db,
    url,
    file: name,
    provider: "postgres",
    close: async () => {
      await db.$disconnect();
      postgresAdmin([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
    },
  };
}

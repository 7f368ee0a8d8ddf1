#!/usr/bin/env node
// `npm run db:migrate`: applies the checked-in migrations for the database DATABASE_URL names, at deploy time
// (docs/decisions/0125). Offline on both providers.
// - file:… (SQLite, the default): `prisma migrate deploy` on prisma/migrations, as before.
// - postgres://… or postgresql://…: prisma/postgres/migrations, applied by this runner: one transaction per
//   migration, recorded in "_app_migrations" with a checksum, under an advisory lock so two deploys never race
//   (the second waits, then finds nothing left to do). Prisma's own migrate cannot run on PostgreSQL through
//   its JS engine (prisma/orm#27403).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const POSTGRES_MIGRATIONS = path.join(root, "prisma/postgres/migrations");
/** pg_advisory_lock key: any constant the app uses for nothing else ("acp-migrate"). */
const LOCK_KEY = 0x6163706d;

export function isPostgresUrl(url) {
  return /^postgres(ql)?:\/\//i.test(url ?? "");
}

/** The migration folders in order, with their SQL and its checksum. */
export function postgresMigrations(dir = POSTGRES_MIGRATIONS) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Applies pending migrations to the PostgreSQL database at `url`. Returns the names applied. Throws when an
 * applied migration's file has changed since (a checked-in migration is never edited) or one fails (its
 * transaction is rolled back; the ones before it stay applied).
 */
export async function migratePostgres(url, { dir = POSTGRES_MIGRATIONS, log = () => {} } = {}) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: "acp-migrate" });
  await client.connect();
  const applied = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_app_migrations" (
      "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query(`SELECT "name", "checksum" FROM "_app_migrations"`);
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of postgresMigrations(dir)) {
      if (done.has(m.name)) {
        if (done.get(m.name) !== m.checksum) throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs)`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_app_migrations" ("name", "checksum") VALUES ($1, $2)`, [m.name, m.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new Error(`Migration ${m.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
  return applied;
}

async function main() {
  const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
  if (isPostgresUrl(url)) {
    const applied = await migratePostgres(url, { log: (line) => console.log(line) });
    console.log(applied.length ? `PostgreSQL: ${applied.length} migration(s) applied.` : "PostgreSQL: no pending migrations.");
    return;
  }
  if (!url.startsWith("file:")) throw new Error("DATABASE_URL must be file:… (SQLite) or postgres://… (PostgreSQL)");
  const run = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? "1" },
  });
  process.exitCode = run.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { tmpdir } from "node:os";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createClient, type Client } from "@libsql/client";
import { freshDb, migrateFresh, migratePostgresFresh, onPostgres, postgresAdmin, postgresUrlFor, runPrefix } from "./support/db";
import { createDb, providerOf, sqlitePragmas, tuneSqlite } from "../app/db/client.server";
import { numberPlaceholders, rawSql } from "../app/db/sql.server";
import { postgresSchema, diffSql, POSTGRES_SCHEMA, SQLITE_SCHEMA } from "../scripts/migrate-postgres-schema.mjs";
import { migratePostgres } from "../scripts/migrate.mjs";

const root = path.resolve(import.meta.dirname, "..");
const prismaBin = path.join(root, "node_modules/.bin/prisma");

/** Tables, columns and indexes of a SQLite database, in a comparable form. */
async function describeSchema(client: Client) {
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name",
  );
  const out: Record<string, unknown> = {};
  for (const row of tables.rows) {
    const name = String(row.name);
    const cols = await client.execute(`PRAGMA table_info("${name}")`);
    const idx = await client.execute(`PRAGMA index_list("${name}")`);
    const indexes = [];
    for (const i of idx.rows) {
      const info = await client.execute(`PRAGMA index_info("${String(i.name)}")`);
      indexes.push({ name: i.name, unique: i.unique, cols: info.rows.map((c) => c.name) });
    }
    const fks = await client.execute(`PRAGMA foreign_key_list("${name}")`);
    out[name] = {
      columns: cols.rows.map((c) => ({ name: c.name, type: c.type, notnull: c.notnull, dflt: c.dflt_value, pk: c.pk })),
      indexes: indexes.sort((a, b) => String(a.name).localeCompare(String(b.name))),
      foreignKeys: fks.rows.map((f) => ({ table: f.table, from: f.from, to: f.to, onDelete: f.on_delete })),
    };
  }
  return out;
}

/** Tables, columns, indexes and foreign keys of a PostgreSQL database, in a comparable form. */
async function describePostgres(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default, ordinal_position FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name != '_app_migrations' ORDER BY table_name, ordinal_position`,
    );
    const indexes = await c.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename != '_app_migrations' ORDER BY indexname`);
    const constraints = await c.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text != '_app_migrations' ORDER BY conname`,
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  } finally {
    await c.end();
  }
}

describe("the PostgreSQL schema and migrations (docs/decisions/0124, 0125)", () => {
  it("prisma/postgres/schema.prisma is derived from prisma/schema.prisma (run scripts/migrate-postgres-schema.mjs)", () => {
    const derived = postgresSchema(readFileSync(SQLITE_SCHEMA, "utf8"));
    expect(readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(derived);
    expect(derived).toContain('provider = "postgresql"');
  });

  it.runIf(onPostgres())("the checked-in PostgreSQL migrations build exactly the database the schema describes", async () => {
    const migrated = `${runPrefix()}_migrated`;
    const fromSchema = `${runPrefix()}_fromschema`;
    migratePostgresFresh(migrated);
    postgresAdmin([`DROP DATABASE IF EXISTS "${fromSchema}" WITH (FORCE)`, `CREATE DATABASE "${fromSchema}"`]);
    try {
      const c = new pg.Client({ connectionString: postgresUrlFor(fromSchema) });
      await c.connect();
      await c.query(diffSql(null, POSTGRES_SCHEMA));
      await c.end();
      const [left, right] = [await describePostgres(postgresUrlFor(migrated)), await describePostgres(postgresUrlFor(fromSchema))];
      expect(left.columns.length).toBeGreaterThan(50);
      expect(left).toEqual(right);
    } finally {
      postgresAdmin([`DROP DATABASE IF EXISTS "${migrated}" WITH (FORCE)`, `DROP DATABASE IF EXISTS "${fromSchema}" WITH (FORCE)`]);
    }
  });

  it.runIf(onPostgres())("the runner applies each migration once, under a lock, and refuses an edited one", async () => {
    const name = `${runPrefix()}_runner`;
    const url = postgresUrlFor(name);
    const dir = path.join(tmpdir(), `pg-migrations-${randomBytes(4).toString("hex")}`);
    mkdirSync(path.join(dir, "001_a"), { recursive: true });
    writeFileSync(path.join(dir, "001_a/migration.sql"), `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY); INSERT INTO "A" VALUES (1);`);
    mkdirSync(path.join(dir, "002_b"), { recursive: true });
    writeFileSync(path.join(dir, "002_b/migration.sql"), `INSERT INTO "A" VALUES (2); SELECT pg_sleep(0.2);`);
    postgresAdmin([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
    try {
      // Two deploys at once: one applies both, the other waits for the lock and finds nothing to do.
      const [a, b] = await Promise.all([migratePostgres(url, { dir }), migratePostgres(url, { dir })]);
      expect([...a, ...b].sort()).toEqual(["001_a", "002_b"]);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      expect((await c.query(`SELECT "id" FROM "A" ORDER BY "id"`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
      // A failing migration rolls back whole and is not recorded.
      cpSync(path.join(dir, "002_b"), path.join(dir, "003_c"), { recursive: true });
      writeFileSync(path.join(dir, "003_c/migration.sql"), `INSERT INTO "A" VALUES (3); INSERT INTO "A" VALUES (1);`);
      await expect(migratePostgres(url, { dir })).rejects.toThrow(/003_c failed/);
      expect((await c.query(`SELECT count(*)::int AS n FROM "A"`)).rows[0].n).toBe(2);
      expect((await c.query(`SELECT "name" FROM "_app_migrations" ORDER BY "name"`)).rows.map((r) => r.name)).toEqual(["001_a", "002_b"]);
      await c.end();
      // An applied migration edited afterwards is refused.
      rmSync(path.join(dir, "003_c"), { recursive: true });
      writeFileSync(path.join(dir, "001_a/migration.sql"), `CREATE TABLE "A" ("id" BIGINT PRIMARY KEY);`);
      await expect(migratePostgres(url, { dir })).rejects.toThrow(/001_a was changed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      postgresAdmin([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
    }
  });
});

describe("database", () => {
  const t = freshDb();
  afterAll(() => t.close());

  it("numbers ? placeholders for PostgreSQL, leaving string literals and quoted identifiers alone", () => {
    expect(numberPlaceholders(`SELECT "a?" FROM "T" WHERE "x" = ? AND "y" LIKE ? ESCAPE '\\' AND "z" = '?' AND "w" IN (?, ?)`)).toBe(
      `SELECT "a?" FROM "T" WHERE "x" = $1 AND "y" LIKE $2 ESCAPE '\\' AND "z" = '?' AND "w" IN ($3, $4)`,
    );
  });

  it("runs the dialect's pieces on this database: JSON arrays and paths, case-insensitive LIKE, the UTC day", async () => {
    const raw = rawSql(t.db);
    const d = raw.dialect;
    expect(d.provider).toBe(onPostgres() ? "postgres" : "sqlite");
    const shop = await t.db.shop.create({ data: { domain: "dialect-test.myshopify.com" } });
    await t.db.checkoutSession.create({
      data: {
        id: "cs_dialect", shopId: shop.id, apiVersion: "2026-04-17", status: "ready_for_payment", currency: "usd", expiresAt: new Date("2026-12-08T06:00:00Z"),
        stateJson: JSON.stringify({ buyer: { fullName: "Ada Lovelace" } }), createdAt: new Date("2026-12-07T23:59:59.500Z"),
      },
    });
    const picked = await raw.query<Array<{ domain: string }>>(`SELECT "domain" FROM "Shop" WHERE "domain" IN (${d.jsonValues("?")})`, JSON.stringify(["dialect-test.myshopify.com", "none"]));
    expect(picked.map((r) => r.domain)).toEqual(["dialect-test.myshopify.com"]);
    const [row] = await raw.query<Array<{ name: string | null; missing: string | null; day: string; liked: number | bigint }>>(
      `SELECT ${d.jsonText(`"stateJson"`, "buyer.fullName")} AS "name", ${d.jsonText(`"stateJson"`, "buyer.none")} AS "missing", ${d.day(`"createdAt"`)} AS "day",
              (SELECT COUNT(*) FROM "Shop" WHERE "domain" ${d.like} ?) AS "liked"
         FROM "CheckoutSession" WHERE "id" = ?`,
      "%DIALECT-TEST%",
      "cs_dialect",
    );
    expect(row).toMatchObject({ name: "Ada Lovelace", missing: null, day: "2026-12-07" });
    expect(Number(row.liked)).toBe(1);
    const tags = await raw.query<Array<{ tag: string }>>(`SELECT j.value AS "tag" FROM "Shop" s, ${d.jsonEach(`?`, "j")} WHERE s."id" = ? ORDER BY 1`, JSON.stringify(["x", "y"]), shop.id);
    expect(tags.map((r) => r.tag)).toEqual(["x", "y"]);
  });

  it.runIf(!onPostgres())("the checked-in migrations build exactly the database that prisma/schema.prisma describes", async () => {
    const dir = path.join(tmpdir(), "acp-shopify-tests");
    const migrated = path.join(dir, `migrated-${process.pid}.sqlite`);
    const fromSchema = path.join(dir, `from-schema-${process.pid}.sqlite`);
    migrateFresh(migrated);
    // The SQL Prisma would write for the schema as it is now, applied to an empty database.
    const sql = execFileSync(prismaBin, ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    }).toString();
    rmSync(fromSchema, { force: true });
    const a = createClient({ url: `file:${migrated}` });
    const b = createClient({ url: `file:${fromSchema}` });
    await b.executeMultiple(sql);
    const [left, right] = [await describeSchema(a), await describeSchema(b)];
    a.close();
    b.close();
    expect(Object.keys(left).length).toBeGreaterThan(5);
    expect(left).toEqual(right);
  });

  it("stores and reads a shop through the adapter the URL selects", async () => {
    expect(providerOf(t.db)).toBe(onPostgres() ? "postgres" : "sqlite");
    const shop = await t.db.shop.create({ data: { domain: "db-test.myshopify.com", name: "DB test" } });
    const found = await t.db.shop.findUnique({ where: { domain: "db-test.myshopify.com" } });
    expect(found?.id).toBe(shop.id);
    expect(found?.checkoutMode).toBe("agent_payment");
  });

  it.runIf(!onPostgres())("runs SQLite in WAL mode with a busy timeout once tuned", async () => {
    await tuneSqlite(t.db);
    const [mode] = await t.db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    expect(mode.journal_mode).toBe("wal");
    const [timeout] = await t.db.$queryRawUnsafe<Array<{ timeout: number }>>("PRAGMA busy_timeout");
    expect(Number(timeout.timeout)).toBe(5000);
  });

  it.runIf(!onPostgres())("keeps the per-connection settings on the connection opened after an interactive transaction", async () => {
    const db = createDb(t.url, sqlitePragmas("NORMAL"));
    await tuneSqlite(db, "NORMAL");
    await db.$transaction(async (tx) => tx.shop.count());
    const [timeout] = await db.$queryRawUnsafe<Array<{ timeout: number }>>("PRAGMA busy_timeout");
    const [sync] = await db.$queryRawUnsafe<Array<{ synchronous: number }>>("PRAGMA synchronous");
    expect(Number(timeout.timeout)).toBe(5000);
    expect(Number(sync.synchronous)).toBe(1); // NORMAL
    await db.$disconnect();
  });
});

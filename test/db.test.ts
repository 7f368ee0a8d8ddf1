import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { tmpdir } from "node:os";
import { rmSync } from "node:fs";
import { createClient, type Client } from "@libsql/client";
import { freshDb, migrateFresh } from "./support/db";
import { createDb, sqlitePragmas, tuneSqlite } from "../app/db/client.server";

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

describe("database", () => {
  const t = freshDb();
  afterAll(() => t.close());

  it("the checked-in migrations build exactly the database that prisma/schema.prisma describes", async () => {
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

  it("stores and reads a shop through the libSQL adapter", async () => {
    const shop = await t.db.shop.create({ data: { domain: "db-test.myshopify.com", name: "DB test" } });
    const found = await t.db.shop.findUnique({ where: { domain: "db-test.myshopify.com" } });
    expect(found?.id).toBe(shop.id);
    expect(found?.checkoutMode).toBe("agent_payment");
  });

  it("runs SQLite in WAL mode with a busy timeout once tuned", async () => {
    await tuneSqlite(t.db);
    const [mode] = await t.db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    expect(mode.journal_mode).toBe("wal");
    const [timeout] = await t.db.$queryRawUnsafe<Array<{ timeout: number }>>("PRAGMA busy_timeout");
    expect(Number(timeout.timeout)).toBe(5000);
  });

  it("keeps the per-connection settings on the connection opened after an interactive transaction", async () => {
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

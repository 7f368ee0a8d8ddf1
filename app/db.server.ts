import type { PrismaClient } from "@prisma/client";
import { createDb, isPostgresUrl, sqlitePragmas, tuneSqlite } from "./db/client.server";

export { createDb, type Db } from "./db/client.server";

declare global {
  var __db: PrismaClient | undefined;
}

const SQLITE_SYNCHRONOUS = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
const isSqliteFile = !isPostgresUrl(process.env.DATABASE_URL) && (process.env.DATABASE_URL ?? "file:").startsWith("file:");

// One client per process; cached on globalThis so the dev server's module reloads reuse it.
const db: PrismaClient = globalThis.__db ?? createDb(undefined, isSqliteFile ? sqlitePragmas(SQLITE_SYNCHRONOUS) : []);
// Runs before the first query the app sends: Prisma's adapter serialises statements on its one connection.
// (PostgreSQL: nothing to tune; pool and timeouts are set in createDb, docs/decisions/0127.)
if (!globalThis.__db) void tuneSqlite(db, SQLITE_SYNCHRONOUS).catch((error) => console.error("SQLite tuning failed", error));
if (process.env.NODE_ENV !== "production") globalThis.__db = db;

export default db;

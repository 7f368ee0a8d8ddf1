import type { PrismaClient } from "@prisma/client";
import { createDb, tuneSqlite } from "./db/client.server";

export { createDb, type Db } from "./db/client.server";

declare global {
  var __db: PrismaClient | undefined;
}

// One client per process; cached on globalThis so the dev server's module reloads reuse it.
const db: PrismaClient = globalThis.__db ?? createDb();
// Runs before the first query the app sends: Prisma's adapter serialises statements on its one connection.
const SQLITE_SYNCHRONOUS = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL";
if (!globalThis.__db) void tuneSqlite(db, SQLITE_SYNCHRONOUS).catch((error) => console.error("SQLite tuning failed", error));
if (process.env.NODE_ENV !== "production") globalThis.__db = db;

export default db;

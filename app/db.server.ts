import type { PrismaClient } from "@prisma/client";
import { createDb } from "./db/client.server";

export { createDb, type Db } from "./db/client.server";

declare global {
  var __db: PrismaClient | undefined;
}

// One client per process; cached on globalThis so the dev server's module reloads reuse it.
const db: PrismaClient = globalThis.__db ?? createDb();
if (process.env.NODE_ENV !== "production") globalThis.__db = db;

export default db;

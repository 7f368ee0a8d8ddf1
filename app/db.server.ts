import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";

export type Db = PrismaClient;

/** A Prisma client on the libSQL driver adapter (no native engine; docs/decisions/0002). */
export function createDb(url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite"): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

declare global {
  // eslint-disable-next-line no-var
  var __db: PrismaClient | undefined;
}

// One client per process; cached on globalThis so the dev server's module reloads reuse it.
const db: PrismaClient = globalThis.__db ?? createDb();
if (process.env.NODE_ENV !== "production") globalThis.__db = db;

export default db;

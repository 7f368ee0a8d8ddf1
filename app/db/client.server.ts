import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";

export type Db = PrismaClient;

/** A Prisma client on the libSQL driver adapter (no native engine; docs/decisions/0002). */
export function createDb(url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite"): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

/**
 * SQLite tuned for a server (docs/decisions/0009): write-ahead logging, so readers never wait for the writer and a
 * commit is one append instead of a rollback-journal round; a busy timeout, so the demo or a second process
 * sharing the file waits for a lock instead of failing.
 */
export async function tuneSqlite(db: PrismaClient, synchronous: "FULL" | "NORMAL" = "FULL"): Promise<void> {
  if (!(process.env.DATABASE_URL ?? "file:").startsWith("file:")) return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe(`PRAGMA synchronous = ${synchronous}`);
}

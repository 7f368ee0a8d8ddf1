import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";

export type Db = PrismaClient;

/** A Prisma client on the libSQL driver adapter (no native engine; docs/decisions/0002). */
export function createDb(url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite"): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

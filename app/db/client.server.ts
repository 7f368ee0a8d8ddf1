import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import type { TransactionMode } from "@libsql/client";

export type Db = PrismaClient;

type LibSQLConfig = Parameters<PrismaLibSQL["createClient"]>[0];

/**
 * The libSQL adapter with per-connection SQLite settings. @libsql/client hands its connection to each interactive
 * transaction and opens a fresh one with default settings, so the settings are applied to every connection it
 * opens, not just the first (docs/decisions/0009).
 */
class TunedLibSQL extends PrismaLibSQL {
  constructor(
    config: LibSQLConfig,
    private readonly pragmas: string[],
  ) {
    super(config);
  }

  override createClient(config: LibSQLConfig) {
    const client = super.createClient(config);
    if (this.pragmas.length === 0) return client;
    const startTransaction = client.transaction.bind(client);
    client.transaction = (async (mode?: TransactionMode) => {
      const tx = await startTransaction(mode);
      for (const pragma of this.pragmas) await client.execute(pragma); // the client's new connection
      return tx;
    }) as typeof client.transaction;
    return client;
  }
}

/** Per-connection settings: wait for a lock instead of failing; durability as configured. */
export function sqlitePragmas(synchronous: "FULL" | "NORMAL" = "FULL"): string[] {
  return ["PRAGMA busy_timeout = 5000", `PRAGMA synchronous = ${synchronous}`];
}

/** A Prisma client on the libSQL driver adapter (no native engine; docs/decisions/0002). */
export function createDb(url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite", pragmas: string[] = []): PrismaClient {
  return new PrismaClient({ adapter: new TunedLibSQL({ url }, pragmas) });
}

/**
 * SQLite tuned for a server (docs/decisions/0009): write-ahead logging (persistent in the file), so readers never
 * wait for the writer and a commit is one append; plus the per-connection settings on the current connection.
 */
export async function tuneSqlite(db: PrismaClient, synchronous: "FULL" | "NORMAL" = "FULL"): Promise<void> {
  if (!(process.env.DATABASE_URL ?? "file:").startsWith("file:")) return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  for (const pragma of sqlitePragmas(synchronous)) await db.$queryRawUnsafe(pragma);
}

// A second SQLite connection on the file the Prisma client uses, for the catalog's bulk statements: a 100,000-variant
// full sync through Prisma's query compiler cost ~10× the SQLite work itself, and each interactive $transaction
// makes the libSQL client open a new connection (cold page cache, default pragmas). This connection keeps its
// prepared statements and runs every write transaction as one synchronous burst (BEGIN IMMEDIATE … COMMIT, no
// await inside), so no other statement of this process can interleave with it. If another connection holds the
// write lock (a Prisma interactive transaction waiting on I/O, another process), the burst is not started: it is
// retried after an asynchronous pause, so the event loop can finish the other transaction (a busy_timeout here
// would block the one thread that can release the lock).
import Database from "libsql";
import type { PrismaClient } from "@prisma/client";

type Statement = ReturnType<Database.Database["prepare"]>;

export interface SqliteTx {
  run(sql: string, args?: unknown[]): { changes: number };
  /** Rows as arrays, in column order. */
  rows<T extends unknown[] = unknown[]>(sql: string, args?: unknown[]): T[];
}

export interface SqliteConnection extends SqliteTx {
  /** Runs `work` inside BEGIN IMMEDIATE … COMMIT, retrying while another connection holds the write lock. */
  write<T>(work: (tx: SqliteTx) => T): Promise<T>;
  readonly file: string;
  close(): void;
}

const MAX_CACHED_STATEMENTS = 100;
const BUSY_RETRY_MS = 60_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : "";
  return (typeof code === "string" && code.startsWith("SQLITE_BUSY")) || /database is locked/i.test(message);
}

export function openSqlite(file: string, synchronous: "FULL" | "NORMAL" = process.env.SQLITE_SYNCHRONOUS === "NORMAL" ? "NORMAL" : "FULL"): SqliteConnection {
  const db = new Database(file);
  // The same durability as the app's connection (docs/decisions/0009); waits for locks are handled in write().
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma("busy_timeout = 0");
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const rowsStatement = (sql: string) => {
    const stmt = prepared(sql);
    stmt.raw(true);
    return stmt;
  };
  const tx: SqliteTx = {
    run: (sql, args = []) => prepared(sql).run(args) as { changes: number },
    rows: <T extends unknown[]>(sql: string, args: unknown[] = []) => rowsStatement(sql).all(args) as T[],
  };
  return {
    ...tx,
    file,
    async write<T>(work: (t: SqliteTx) => T): Promise<T> {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          db.exec("BEGIN IMMEDIATE");
        } catch (error) {
          if (!isBusy(error) || Date.now() - started > BUSY_RETRY_MS) throw error;
          await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 50)));
          continue;
        }
        try {
          const result = work(tx);
          db.exec("COMMIT");
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw error;
        }
      }
    },
    close: () => db.close(),
  };
}

const connections = new WeakMap<object, Promise<SqliteConnection>>();

/** The connection for this Prisma client's database file (opened once per client). */
export function sqliteFor(prisma: Pick<PrismaClient, "$queryRawUnsafe">): Promise<SqliteConnection> {
  let conn = connections.get(prisma);
  if (!conn) {
    conn = (async () => {
      const list = (await prisma.$queryRawUnsafe("PRAGMA database_list")) as Array<{ name: string; file: string }>;
      const file = list.find((d) => d.name === "main")?.file;
      if (!file) throw new Error("The catalog store needs a SQLite database file (DATABASE_URL=file:…)");
      return openSqlite(file);
    })();
    conn.catch(() => connections.delete(prisma));
    connections.set(prisma, conn);
  }
  return conn;
}

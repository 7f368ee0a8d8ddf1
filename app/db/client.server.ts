import { createRequire } from "node:module";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { TransactionMode } from "@libsql/client";
import Database from "libsql";

/**
 * The app's one database type. The client is generated for SQLite (prisma/schema.prisma); on PostgreSQL it is the
 * client generated from prisma/postgres/schema.prisma (the same models, derived mechanically), whose query API
 * is the same, typed as this one (docs/decisions/0124).
 */
export type Db = PrismaClient;
export type DbProvider = "sqlite" | "postgres";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function isPostgresUrl(url: string | undefined): boolean {
  return /^postgres(ql)?:\/\//i.test(url ?? "");
}

/** Which database a client (or an interactive transaction's client) talks to. */
export function providerOf(db: unknown): DbProvider {
  const active = (db as { _activeProvider?: string } | null)?._activeProvider;
  if (active) return active === "postgresql" ? "postgres" : "sqlite";
  return isPostgresUrl(process.env.DATABASE_URL) ? "postgres" : "sqlite";
}

type LibSQLConfig = Parameters<PrismaLibSQL["createClient"]>[0];
type LibSQLTransaction = Awaited<ReturnType<ReturnType<PrismaLibSQL["createClient"]>["transaction"]>>;

// @libsql/client hands its connection to each interactive transaction and never closes it: COMMIT and ROLLBACK
// leave the connection open (its page cache, statement cache and WAL file handles), and Prisma keeps the last 100
// closed transactions. Under the mixed load that was hundreds of open SQLite connections and most of the app's
// native memory (docs/decisions/0177). The connection a transaction gets is the one BEGIN is prepared on: this
// notes it (one synchronous window, no await between setting and clearing) so the transaction can close it.
let noteConnection: ((connection: Database.Database) => void) | null = null;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function noted(this: Database.Database, ...args: Parameters<typeof prepare>) {
  if (noteConnection) {
    const note = noteConnection;
    noteConnection = null;
    note(this);
  }
  return prepare.apply(this, args);
} as typeof prepare;

/** Runs `begin` (which prepares BEGIN on the connection it hands over) and returns that connection. */
function connectionOf<T>(begin: () => T): { result: T; connection: Database.Database | null } {
  let connection: Database.Database | null = null;
  noteConnection = (c) => (connection = c);
  try {
    return { result: begin(), connection };
  } finally {
    noteConnection = null;
  }
}

/** The transaction, closing its connection once it has committed or rolled back. */
function closingConnection(tx: LibSQLTransaction, connection: Database.Database | null): LibSQLTransaction {
  if (!connection) return tx;
  const release = () => {
    if (connection.open) connection.close();
  };
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  const close = tx.close.bind(tx);
  tx.commit = async () => {
    try {
      await commit();
    } finally {
      release();
    }
  };
  tx.rollback = async () => {
    try {
      await rollback();
    } finally {
      release();
    }
  };
  tx.close = () => {
    if (connection.open) close();
    release();
  };
  return tx;
}

/**
 * The libSQL adapter with per-connection SQLite settings, closing each interactive transaction's connection when
 * it ends. @libsql/client hands its connection to each interactive transaction and opens a fresh one with default
 * settings, so the settings are applied to every connection it opens, not just the first (docs/decisions/0009).
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
    const startTransaction = client.transaction.bind(client);
    client.transaction = (async (mode?: TransactionMode) => {
      const { result, connection } = connectionOf(() => startTransaction(mode));
      const tx = closingConnection(await result, connection);
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

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
  return n;
}

/** Pool and timeout settings for PostgreSQL, from the environment (docs/operations.md, docs/decisions/0127). */
export function postgresPoolSettings() {
  return {
    /** Connections per process. Requests beyond it queue for a free connection. */
    max: positiveInt("DATABASE_POOL_SIZE", 10),
    /** How long a query waits for a connection (a new one, or a free one from a full pool) before it fails. */
    connectionTimeoutMillis: positiveInt("DATABASE_CONNECT_TIMEOUT_MS", 5_000),
    /** Server-side cap on one statement. */
    statement_timeout: positiveInt("DATABASE_STATEMENT_TIMEOUT_MS", 15_000),
    /** Client-side cap on one query (a server that stops answering mid-query). */
    query_timeout: positiveInt("DATABASE_STATEMENT_TIMEOUT_MS", 15_000) + 1_000,
    /** A transaction left open (a crashed request) frees its locks after this. */
    idle_in_transaction_session_timeout: positiveInt("DATABASE_IDLE_IN_TRANSACTION_MS", 30_000),
    idleTimeoutMillis: 30_000,
  };
}

type PgClientModule = { PrismaClient: new (options: { adapter: PrismaPg; transactionOptions?: { maxWait: number; timeout: number } }) => unknown };

/** The PostgreSQL client (node_modules/.prisma/client-pg, `npm run db:generate`), loaded only when asked for. */
function loadPostgresClient(): PgClientModule {
  try {
    return createRequire(import.meta.url)(".prisma/client-pg") as PgClientModule;
  } catch (error) {
    throw new Error("DATABASE_URL is a PostgreSQL URL but its Prisma client is not generated: run `npm run db:generate`", { cause: error });
  }
}

/** A Prisma client on @prisma/adapter-pg (node-postgres pool; no native engine). */
function createPostgresDb(url: string): Db {
  const { PrismaClient: PostgresClient } = loadPostgresClient();
  const pool = postgresPoolSettings();
  const adapter = new PrismaPg(
    { connectionString: url, application_name: "agentic-checkout", ...pool },
    // An idle connection the server closed (a restart, pg_terminate_backend) is dropped from the pool; the next
    // query opens a new one. Without a listener node-postgres would crash the process.
    { onPoolError: (error) => console.warn(`PostgreSQL connection lost: ${error.message}`) },
  );
  const client = new PostgresClient({
    adapter,
    // Interactive transactions: wait for a connection no longer than a query does.
    transactionOptions: { maxWait: pool.connectionTimeoutMillis, timeout: pool.statement_timeout },
  });
  return client as Db;
}

/**
 * A Prisma client for DATABASE_URL: `postgres://…`/`postgresql://…` selects @prisma/adapter-pg; `file:…` the
 * libSQL adapter on a SQLite file (no native engine; docs/decisions/0002). `pragmas` apply to SQLite only.
 */
export function createDb(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, pragmas: string[] = []): Db {
  if (isPostgresUrl(url)) return createPostgresDb(url);
  return new PrismaClient({ adapter: new TunedLibSQL({ url }, pragmas) });
}

/**
 * SQLite tuned for a server (docs/decisions/0009): write-ahead logging (persistent in the file), so readers never
 * wait for the writer and a commit is one append; plus the per-connection settings on the current connection.
 */
export async function tuneSqlite(db: PrismaClient, synchronous: "FULL" | "NORMAL" = "FULL"): Promise<void> {
  if (providerOf(db) !== "sqlite") return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  for (const pragma of sqlitePragmas(synchronous)) await db.$queryRawUnsafe(pragma);
}

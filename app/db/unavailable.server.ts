// Errors that mean "the database cannot answer now" rather than "this request is wrong" (docs/decisions/0129):
// the server is unreachable or restarting, a connection was cut, the pool had no free connection within its
// timeout, a statement ran past its timeout, or SQLite stayed busy. Callers answer them 503 with Retry-After:
// the request did nothing durable that a retry would repeat (each write is one transaction, rolled back whole).

/** Prisma error codes for connection-level failures (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // database server reached but timed out
  "P1008", // operations timed out
  "P1017", // server closed the connection
  "P2024", // timed out fetching a new connection from the pool
  "P2028", // transaction API error (could not start, or expired, under load)
]);

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that describe the connection, not the query. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionWriteConflict"]);

/**
 * PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/15/errcodes-appendix.html): class 08 connection exception,
 * 53 insufficient resources, 57 operator intervention (57014 statement timeout, 57P01–57P03 shutdown or start-up),
 * 40001/40P01 serialization failure and deadlock (a retry runs afresh).
 */
function unavailableSqlState(code: string): boolean {
  return /^(08|53|57)/.test(code) || code === "40001" || code === "40P01";
}

/** Messages node-postgres and libSQL give for the same situations (plain Errors, no code). */
const MESSAGES = [
  /timeout exceeded when trying to connect/i, // pg.Pool: no free connection within connectionTimeoutMillis
  /Connection terminated/i,
  /Query read timeout/i, // pg query_timeout
  /not queryable/i,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/,
  /SQLITE_BUSY|database is locked/i,
  /Can't reach database server/i,
];

function causeOf(error: unknown): { kind?: string; code?: string; originalCode?: string } | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string; originalCode?: string } } } })?.meta;
  return meta?.driverAdapterError?.cause ?? (error as { cause?: { kind?: string } })?.cause;
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const e = error as { name?: string; code?: unknown; message?: unknown; cause?: unknown };
  if (e.name === "PrismaClientInitializationError") return true;
  if (typeof e.code === "string" && (PRISMA_CODES.has(e.code) || (/^[0-9A-Z]{5}$/.test(e.code) && unavailableSqlState(e.code)))) return true;
  const cause = causeOf(error);
  if (cause?.kind && ADAPTER_KINDS.has(cause.kind)) return true;
  const state = cause?.originalCode ?? cause?.code;
  if (cause?.kind === "postgres" && typeof state === "string" && unavailableSqlState(state)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  if (MESSAGES.some((m) => m.test(message))) return true;
  return e.cause !== undefined && e.cause !== error ? isDatabaseUnavailable(e.cause, depth + 1) : false;
}

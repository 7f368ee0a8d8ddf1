// Raw SQL that runs on SQLite and on PostgreSQL (docs/decisions/0128). Statements are written once, in the common
// subset: every identifier double-quoted (PostgreSQL folds unquoted names to lower case), booleans compared with
// TRUE/FALSE (SQLite stores 1/0 and reads TRUE as 1), `?` placeholders (numbered $1… for PostgreSQL here), and
// the few provider-specific pieces (JSON arrays) from the dialect below.
import { providerOf, type DbProvider } from "./client.server";

type RawClient = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
};

/** `?` → `$1`, `$2`, … outside string literals and quoted identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = "";
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

export interface Dialect {
  readonly provider: DbProvider;
  /** The statement as this database wants it (placeholders). */
  sql(text: string): string;
  /** A subquery of the elements of a JSON array of strings, e.g. a bound `?` holding JSON text: `IN (${d.jsonValues("?")})`. */
  jsonValues(expr: string): string;
  /** FROM item: the elements of a JSON array column as rows of `alias.value` (text; an object element as its JSON text). */
  jsonEach(expr: string, alias: string): string;
  /** The text at `path` ("a.b") in a JSON text expression, or NULL. */
  jsonText(expr: string, path: string): string;
  /** LIKE that ignores case, as SQLite's LIKE does for ASCII (PostgreSQL: ILIKE). */
  readonly like: string;
  /** The UTC calendar day (YYYY-MM-DD) of a DateTime column. */
  day(expr: string): string;
}

function checkedPath(path: string): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) throw new Error(`Not a JSON path: ${path}`);
  return path.split(".");
}

const sqlite: Dialect = {
  provider: "sqlite",
  sql: (text) => text,
  jsonValues: (expr) => `SELECT value FROM json_each(${expr})`,
  jsonEach: (expr, alias) => `json_each(${expr}) ${alias}`,
  jsonText: (expr, path) => `json_extract(${expr}, '$.${checkedPath(path).join(".")}')`,
  like: "LIKE",
  // Prisma's SQLite DateTime text starts with the UTC date.
  day: (expr) => `substr(${expr}, 1, 10)`,
};

const postgres: Dialect = {
  provider: "postgres",
  sql: numberPlaceholders,
  jsonValues: (expr) => `SELECT jsonb_array_elements_text(CAST(${expr} AS jsonb))`,
  jsonEach: (expr, alias) => `jsonb_array_elements_text(CAST(${expr} AS jsonb)) AS ${alias}(value)`,
  jsonText: (expr, path) => `(CAST(${expr} AS jsonb) #>> '{${checkedPath(path).join(",")}}')`,
  like: "ILIKE",
  // Prisma's PostgreSQL DateTime is timestamp(3) without time zone, holding UTC.
  day: (expr) => `to_char(${expr}, 'YYYY-MM-DD')`,
};

export function dialectOf(db: unknown): Dialect {
  return providerOf(db) === "postgres" ? postgres : sqlite;
}

/** Raw statements on a Prisma client (or an interactive transaction's client) in the dialect of its database. */
export function rawSql(db: RawClient) {
  const d = dialectOf(db);
  return {
    dialect: d,
    query: <T>(text: string, ...values: unknown[]) => db.$queryRawUnsafe<T>(d.sql(text), ...values),
    execute: (text: string, ...values: unknown[]) => db.$executeRawUnsafe(d.sql(text), ...values),
  };
}

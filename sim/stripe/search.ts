// A small subset of Stripe's Search Query Language (https://docs.stripe.com/search#search-query-language):
// clauses `field:'value'`, `metadata['key']:'value'`, `field>number` (and <, >=, <=), negation with a
// leading `-`, joined by AND or by OR (Stripe forbids mixing the two). Enough for
// `metadata['checkout_session_id']:'cs_…'`, which the app uses to find a charge after a crash.
import { invalidRequest } from "./errors";

export interface Clause {
  field: string;
  key?: string;
  op: ":" | ">" | "<" | ">=" | "<=";
  value: string;
  negate: boolean;
}

export interface ParsedQuery {
  join: "AND" | "OR";
  clauses: Clause[];
}

const CLAUSE = /^(-)?([a-z_]+)(?:\[(?:'([^']*)'|"([^"]*)")\])?(:|>=|<=|>|<)(?:'([^']*)'|"([^"]*)"|([^\s'"]+))$/;

function bad(query: string): never {
  throw invalidRequest(`Invalid search query: ${query}`, { code: "parameter_invalid", param: "query" });
}

export function parseSearchQuery(query: string): ParsedQuery {
  const trimmed = query.trim();
  if (!trimmed) bad(query);
  // Split on AND/OR outside quotes.
  const parts: string[] = [];
  const joins = new Set<string>();
  let current = "";
  let quote: string | null = null;
  const tokens = trimmed.split(/(\s+)/);
  for (const tok of tokens) {
    for (const ch of tok) if (ch === "'" || ch === '"') quote = quote === ch ? null : quote ?? ch;
    if (!quote && (tok === "AND" || tok === "OR")) {
      joins.add(tok);
      parts.push(current.trim());
      current = "";
    } else {
      current += tok;
    }
  }
  parts.push(current.trim());
  if (joins.size > 1) throw invalidRequest("Search queries cannot mix AND and OR.", { code: "parameter_invalid", param: "query" });
  const clauses = parts.map((p) => {
    const m = CLAUSE.exec(p);
    if (!m) bad(query);
    const [, neg, field, k1, k2, op, v1, v2, v3] = m;
    return { field, key: k1 ?? k2, op: op as Clause["op"], value: v1 ?? v2 ?? v3, negate: neg === "-" };
  });
  return { join: joins.has("OR") ? "OR" : "AND", clauses };
}

/** `get(field, key)` returns the record's value as a string, or undefined when absent. */
export function matchesQuery(q: ParsedQuery, get: (field: string, key?: string) => string | undefined): boolean {
  const test = (c: Clause): boolean => {
    const actual = get(c.field, c.key);
    let ok: boolean;
    if (c.op === ":") ok = actual !== undefined && actual === c.value;
    else {
      if (actual === undefined || !/^-?\d+$/.test(actual) || !/^-?\d+$/.test(c.value)) ok = false;
      else {
        const a = Number(actual);
        const b = Number(c.value);
        ok = c.op === ">" ? a > b : c.op === "<" ? a < b : c.op === ">=" ? a >= b : a <= b;
      }
    }
    return c.negate ? !ok : ok;
  };
  return q.join === "AND" ? q.clauses.every(test) : q.clauses.some(test);
}

// A parser/evaluator for Shopify's search syntax (the `query:` argument of products, productVariants,
// orders, collections…). Supports: `field:value`, comparators `field:>v` `:>=` `:<` `:<=`, quoted values
// ('…' or "…"), `*` prefix wildcards, comma lists (`status:active,draft`), free text, implicit AND,
// explicit AND / OR / NOT, `-term` negation and parentheses.
// Unknown fields are ignored (match everything) and reported as warnings, like Shopify does.

export type SearchNode =
  | { kind: "and" | "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode }
  | { kind: "term"; field: string | null; op: ":" | ">" | ">=" | "<" | "<="; value: string; prefix: boolean };

type Tok = { t: "word"; v: string; quoted: boolean } | { t: "lp" } | { t: "rp" };

function tokenize(input: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(") {
      out.push({ t: "lp" });
      i++;
      continue;
    }
    if (c === ")") {
      out.push({ t: "rp" });
      i++;
      continue;
    }
    // A word runs until whitespace/paren, but quoted sections (anywhere in it) may contain those.
    let w = "";
    let quoted = false;
    while (i < input.length && !/\s/.test(input[i]) && input[i] !== "(" && input[i] !== ")") {
      const q = input[i];
      if (q === "'" || q === '"') {
        const end = input.indexOf(q, i + 1);
        const stop = end === -1 ? input.length : end;
        w += input.slice(i + 1, stop);
        quoted = true;
        i = stop + 1;
      } else if (q === "\\" && i + 1 < input.length) {
        w += input[i + 1];
        i += 2;
      } else {
        w += q;
        i++;
      }
    }
    out.push({ t: "word", v: w, quoted });
  }
  return out;
}

export function parseSearch(input: string | null | undefined): SearchNode | null {
  if (!input || !input.trim()) return null;
  const toks = tokenize(input);
  let pos = 0;
  const peekWord = (v: string) => {
    const t = toks[pos];
    return t && t.t === "word" && !t.quoted && t.v === v;
  };
  function parseOr(): SearchNode {
    const kids = [parseAnd()];
    while (peekWord("OR")) {
      pos++;
      kids.push(parseAnd());
    }
    return kids.length === 1 ? kids[0] : { kind: "or", children: kids };
  }
  function parseAnd(): SearchNode {
    const kids: SearchNode[] = [];
    while (pos < toks.length) {
      const t = toks[pos];
      if (t.t === "rp" || peekWord("OR")) break;
      if (peekWord("AND")) {
        pos++;
        continue;
      }
      kids.push(parseUnary());
    }
    if (kids.length === 1) return kids[0];
    return { kind: "and", children: kids };
  }
  function parseUnary(): SearchNode {
    const t = toks[pos];
    if (t.t === "lp") {
      pos++;
      const inner = parseOr();
      if (toks[pos]?.t === "rp") pos++;
      return inner;
    }
    if (t.t === "rp") {
      pos++;
      return { kind: "and", children: [] };
    }
    if (!t.quoted && t.v === "NOT") {
      pos++;
      return { kind: "not", child: parseUnary() };
    }
    pos++;
    if (!t.quoted && t.v.startsWith("-") && t.v.length > 1) return { kind: "not", child: parseTerm(t.v.slice(1), false) };
    return parseTerm(t.v, t.quoted);
  }
  return parseOr();
}

function parseTerm(word: string, quotedWhole: boolean): SearchNode {
  const m = quotedWhole && !word.includes(":") ? null : /^([A-Za-z_][\w.$]*):(>=|<=|>|<)?(.*)$/.exec(word);
  const field = m ? m[1].toLowerCase() : null;
  const op = (m?.[2] as ">" | ">=" | "<" | "<=" | undefined) ?? ":";
  let value = m ? m[3] : word;
  let prefix = false;
  if (value.endsWith("*")) {
    prefix = true;
    value = value.slice(0, -1);
  }
  return { kind: "term", field, op, value, prefix };
}

export type FieldKind = "id" | "string" | "text" | "list" | "date" | "number" | "boolean";

export interface FieldSpec<T> {
  kind: FieldKind;
  get: (item: T) => unknown;
}

export interface SearchSpec<T> {
  fields: Record<string, FieldSpec<T>>;
  /** strings searched by free text */
  text: (item: T) => Array<string | null | undefined>;
}

export interface CompiledSearch<T> {
  match: (item: T) => boolean;
  warnings: Array<{ field: string; message: string }>;
}

const norm = (s: unknown) => String(s ?? "").toLowerCase();

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function parseDate(v: string, now: Date): number {
  const s = v.trim().toLowerCase();
  if (s === "now") return now.getTime();
  if (s === "today") return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (s === "yesterday") return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1);
  return Date.parse(v);
}

function matchValue<T>(spec: FieldSpec<T>, item: T, op: string, value: string, prefix: boolean, now: Date): boolean {
  const raw = spec.get(item);
  // comma = OR within one field ("status:active,draft"), only for equality
  if (op === ":" && value.includes(",") && spec.kind !== "text") return value.split(",").some((v) => matchValue(spec, item, op, v, prefix, now));
  switch (spec.kind) {
    case "id":
    case "number": {
      const want = Number(value.replace(/^gid:\/\/shopify\/\w+\//, ""));
      if (!Number.isFinite(want) || raw === null || raw === undefined) return false;
      return compare(Number(raw), op, want);
    }
    case "date": {
      if (raw === null || raw === undefined) return false;
      const want = parseDate(value, now);
      if (Number.isNaN(want)) return false;
      const have = Date.parse(String(raw));
      // A bare date "2026-01-01" with ':' means that whole day.
      if (op === ":" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return have >= want && have < want + 86400_000;
      return compare(have, op, want);
    }
    case "boolean":
      return norm(raw) === norm(value);
    case "list": {
      const list = (raw as unknown[]) ?? [];
      return list.some((x) => (prefix ? norm(x).startsWith(norm(value)) : norm(x) === norm(value)));
    }
    case "text": {
      // Shopify tokenizes text fields: match a word prefix (with *) or the phrase anywhere.
      const have = norm(raw);
      const want = norm(value);
      if (prefix) return have.startsWith(want) || have.split(/[^a-z0-9]+/).some((w) => w.startsWith(want));
      return have.includes(want);
    }
    default: {
      if (op !== ":") return compare(norm(raw) < norm(value) ? -1 : norm(raw) > norm(value) ? 1 : 0, op, 0);
      return prefix ? norm(raw).startsWith(norm(value)) : norm(raw) === norm(value);
    }
  }
}

export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>, now: Date = new Date()): CompiledSearch<T> {
  const ast = parseSearch(query);
  const warnings: Array<{ field: string; message: string }> = [];
  if (!ast) return { match: () => true, warnings };
  const build = (n: SearchNode): ((item: T) => boolean) => {
    if (n.kind === "and") {
      const kids = n.children.map(build);
      return (item) => kids.every((k) => k(item));
    }
    if (n.kind === "or") {
      const kids = n.children.map(build);
      return (item) => kids.some((k) => k(item));
    }
    if (n.kind === "not") {
      const k = build(n.child);
      return (item) => !k(item);
    }
    return buildTerm(n as Extract<SearchNode, { kind: "term" }>);
  };
  const buildTerm = (n: Extract<SearchNode, { kind: "term" }>): ((item: T) => boolean) => {
    if (n.field === null) {
      const want = norm(n.value);
      return (item) => spec.text(item).some((s) => (n.prefix ? norm(s).split(/[^a-z0-9]+/).some((w) => w.startsWith(want)) : norm(s).includes(want)));
    }
    const f = spec.fields[n.field];
    if (!f) {
      warnings.push({ field: n.field, message: "Invalid search field for this query." });
      return () => true;
    }
    return (item) => matchValue(f, item, n.op, n.value, n.prefix, now);
  };
  return { match: build(ast), warnings };
}

// ---- the search index ----------------------------------------------------------------------------------
// Shopify answers `query:` from a search index that is updated after the write, so a resource created a moment
// ago may not be found yet, while a direct read (by id, or by a custom id through `orderByIdentifier`) sees it
// at once. Nothing documents how long the lag is; it is off (0 ms) unless a test or run switches it on
// (`setSearchIndexLag`, or SHOPIFY_SIM_SEARCH_LAG_MS for every shop).

interface IndexState {
  lagMs: number;
  /** When (real time, ms) each resource written through the API becomes searchable. */
  searchableAt: Map<number, number>;
}

const indexes = new WeakMap<object, IndexState>();

function indexOf(owner: object): IndexState {
  let s = indexes.get(owner);
  // SHOPIFY_SIM_SEARCH_LAG_MS switches the lag on for a whole run (the demo, the fault suite).
  if (!s) indexes.set(owner, (s = { lagMs: Math.max(0, Number(process.env.SHOPIFY_SIM_SEARCH_LAG_MS) || 0), searchableAt: new Map() }));
  return s;
}

/** Sets how long after a write the resource stays out of search results (per shop; 0 = at once). */
export function setSearchIndexLag(owner: object, lagMs: number): void {
  indexOf(owner).lagMs = Math.max(0, lagMs);
}

/** Records a write (e.g. orderCreate) of resource `id`: it becomes searchable after the lag. */
export function noteIndexedWrite(owner: object, id: number, at: number = Date.now()): void {
  const s = indexOf(owner);
  if (s.lagMs > 0) s.searchableAt.set(id, at + s.lagMs);
}

/** Whether search sees resource `id` yet (resources never noted, e.g. seeded or merchant-made, always are). */
export function isSearchable(owner: object, id: number, now: number = Date.now()): boolean {
  const s = indexes.get(owner);
  const at = s?.searchableAt.get(id);
  if (at === undefined) return true;
  if (now >= at) {
    s!.searchableAt.delete(id);
    return true;
  }
  return false;
}

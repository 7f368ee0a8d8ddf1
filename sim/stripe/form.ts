// Decodes Stripe's form encoding: `a[b][c]=v` nests objects, `a[]=v` appends and `a[0]=v` indexes
// arrays (stripe-node sends the indexed form). Values always stay strings, as on the wire; the
// endpoint handlers coerce and validate them the way Stripe does (integers, booleans, timestamps).

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormParseError extends Error {}

function splitKey(raw: string): string[] {
  const first = raw.indexOf("[");
  if (first === -1) return [raw];
  const parts = [raw.slice(0, first)];
  const rest = raw.slice(first);
  const re = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index !== consumed) throw new FormParseError(`Invalid parameter name: ${raw}`);
    parts.push(m[1]);
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length) throw new FormParseError(`Invalid parameter name: ${raw}`);
  return parts;
}

function insert(target: FormObject, path: string[], value: string, rawKey: string): void {
  let node: FormObject = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] === "" ? String(Object.keys(node).length) : path[i];
    const existing = node[seg];
    if (existing === undefined) {
      const child: FormObject = {};
      node[seg] = child;
      node = child;
    } else if (typeof existing === "object" && !Array.isArray(existing)) {
      node = existing;
    } else {
      throw new FormParseError(`Invalid parameter name: ${rawKey}`);
    }
  }
  const last = path[path.length - 1];
  const seg = last === "" ? String(Object.keys(node).length) : last;
  if (typeof node[seg] === "object") throw new FormParseError(`Invalid parameter name: ${rawKey}`);
  node[seg] = value;
}

/** Objects whose keys are exactly 0..n-1 were arrays on the client side. */
function arrayify(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const k of keys) value[k] = arrayify(value[k]);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => value[k]);
  return value;
}

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  if (!body) return root;
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decodeURIComponent((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
    const rawValue = eq === -1 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    insert(root, splitKey(rawKey), rawValue, rawKey);
  }
  for (const k of Object.keys(root)) root[k] = arrayify(root[k]);
  return root;
}

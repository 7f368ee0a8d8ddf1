// Global IDs (gid://shopify/Type/123) and opaque cursors.

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses a GID (or a bare numeric id) and returns {type, id}. `type` is "" for bare numbers. */
export function parseGid(value: string | number): { type: string; id: number } | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? { type: "", id: value } : null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value.trim());
  if (m) return { type: m[1], id: Number(m[2]) };
  if (/^\d+$/.test(value.trim())) return { type: "", id: Number(value) };
  return null;
}

/** Numeric id of a GID of the expected type (or a bare number); null when it does not parse. */
export function idOf(value: string | number, type: string): number | null {
  const p = parseGid(value);
  if (!p) return null;
  if (p.type && p.type !== type) return null;
  return p.id;
}

// Shopify cursors are base64 JSON like {"last_id":123,"last_value":"..."}; clients must treat them as opaque.
export function encodeCursor(id: number, value: string | number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString("base64");
}

export function decodeCursor(cursor: string): { last_id: number; last_value: string | number } | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof v.last_id !== "number") return null;
    return { last_id: v.last_id, last_value: (v.last_value as string | number) ?? v.last_id };
  } catch {
    return null;
  }
}

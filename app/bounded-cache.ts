// A per-process cache bounded by size and by age (docs/decisions/0176): at most `maxEntries` entries (the least
// recently used goes first) and none older than `maxAgeMs` since it was set. Every per-shop or per-key memory the
// app keeps between requests goes through one of these, so a process serving many shops for weeks holds no more
// than the bound: an expired entry is dropped when it is read, and each set evicts expired entries from the old end.
export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export function boundedCache<K, V>(options: { maxEntries: number; maxAgeMs: number; now?: () => number }): BoundedCache<K, V> {
  const { maxEntries, maxAgeMs } = options;
  if (!(Number.isInteger(maxEntries) && maxEntries > 0) || !(maxAgeMs > 0)) throw new Error("boundedCache: maxEntries must be a positive integer and maxAgeMs positive");
  const now = options.now ?? Date.now;
  // Insertion order is least-recently-used first: a hit is moved to the end.
  const entries = new Map<K, { at: number; value: V }>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      entries.delete(key);
      if (now() - hit.at >= maxAgeMs) return undefined;
      entries.set(key, hit);
      return hit.value;
    },
    set(key, value) {
      const at = now();
      entries.delete(key);
      // Least recently used first: drop the expired ones and, past the bound, the oldest.
      for (const [k, e] of entries) {
        if (entries.size < maxEntries && at - e.at < maxAgeMs) break;
        entries.delete(k);
      }
      entries.set(key, { at, value });
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

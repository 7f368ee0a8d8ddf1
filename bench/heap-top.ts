// Summarises a V8 heap snapshot (bench/soak.ts --snapshots): the heap's total, the top constructors by shallow
// size (count, MB), and the largest single objects with the chain of retainers that holds each (up to the first
// named module-level or global holder). Reads the snapshot JSON directly: no DevTools needed.
//   npx tsx bench/heap-top.ts <file.heapsnapshot> [--top 15]
import { readFileSync } from "node:fs";

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error("usage: npx tsx bench/heap-top.ts <file.heapsnapshot> [--top 15]");
const TOP = Number(rest[rest.indexOf("--top") + 1] ?? 15) || 15;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}
const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
const { node_fields: nf, edge_fields: ef } = snap.snapshot.meta;
const nodeTypes = snap.snapshot.meta.node_types[0];
const edgeTypes = snap.snapshot.meta.edge_types[0];
const N = nf.length;
const E = ef.length;
const [TYPE, NAME, SIZE, EDGES] = ["type", "name", "self_size", "edge_count"].map((f) => nf.indexOf(f));
const [ETYPE, ENAME, ETO] = ["type", "name_or_index", "to_node"].map((f) => ef.indexOf(f));
const count = snap.nodes.length / N;

const label = (n: number) => {
  const type = nodeTypes[snap.nodes[n * N + TYPE]];
  const name = snap.strings[snap.nodes[n * N + NAME]];
  return type === "object" || type === "closure" ? name : `(${type}) ${type === "string" || type === "concatenated string" ? "" : name}`.trim();
};

// Shallow size by constructor / type, and each node's first retainer (reverse edges, skipping weak ones).
const byName = new Map<string, { count: number; bytes: number }>();
const retainer = new Int32Array(count).fill(-1);
const retainerEdge = new Int32Array(count).fill(-1);
let total = 0;
for (let n = 0, e = 0; n < count; n++) {
  const size = snap.nodes[n * N + SIZE];
  total += size;
  const key = label(n).slice(0, 80);
  const agg = byName.get(key) ?? { count: 0, bytes: 0 };
  agg.count++;
  agg.bytes += size;
  byName.set(key, agg);
  const edges = snap.nodes[n * N + EDGES];
  for (let k = 0; k < edges; k++, e++) {
    const to = snap.edges[e * E + ETO] / N;
    const type = edgeTypes[snap.edges[e * E + ETYPE]];
    if (type === "weak" || type === "shortcut") continue;
    if (retainer[to] === -1 && to !== n) {
      retainer[to] = n;
      retainerEdge[to] = e;
    }
  }
}
const edgeName = (e: number) => {
  const type = edgeTypes[snap.edges[e * E + ETYPE]];
  const v = snap.edges[e * E + ENAME];
  return type === "element" || type === "hidden" ? `[${v}]` : snap.strings[v];
};

const mb = (b: number) => (b / 1024 / 1024).toFixed(2);
console.log(`${file}\n${count} objects, ${mb(total)} MB shallow\n\nTop ${TOP} by shallow size (constructor or type: count, MB)`);
for (const [name, agg] of [...byName.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, TOP)) console.log(`${mb(agg.bytes).padStart(8)} MB ${String(agg.count).padStart(8)}  ${name}`);

console.log(`\nLargest ${TOP} objects and what holds them (first strong retainer chain, 8 deep)`);
const largest = Array.from({ length: count }, (_, n) => n)
  .sort((a, b) => snap.nodes[b * N + SIZE] - snap.nodes[a * N + SIZE])
  .slice(0, TOP);
for (const n of largest) {
  const chain: string[] = [];
  for (let at = n, depth = 0; retainer[at] !== -1 && depth < 8; depth++) {
    chain.push(`${edgeName(retainerEdge[at])} ← ${label(retainer[at]).slice(0, 40)}`);
    at = retainer[at];
  }
  console.log(`${mb(snap.nodes[n * N + SIZE]).padStart(8)} MB  ${label(n).slice(0, 50)}  ${chain.join("  ")}`);
}

// `npm run bench [-- checkout|complete|catalog|admin|load|scale|soak]`: runs the benchmarks one after another (never in parallel: they share
// two cores) and prints their figures. Not part of the tests.
import { spawnSync } from "node:child_process";
import path from "node:path";

const all = ["checkout", "complete", "catalog", "admin", "load", "scale", "soak"];
const chosen = process.argv.slice(2).filter((a) => all.includes(a));
const root = path.resolve(import.meta.dirname, "..");
let failed = false;
for (const name of chosen.length ? chosen : all) {
  console.log(`\n=== bench/${name}.ts ===`);
  const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "bench", `${name}.ts`)], { stdio: "inherit", cwd: root });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);

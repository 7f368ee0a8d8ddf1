// The stack every agent benchmark runs on: the demo stack in production mode (no demo admin), the Shopify bucket
// wide open (throttling is the fault suite's subject, not the benchmarks'), and a stocked set of items to sell.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startDemoStack, type DemoStack } from "../scripts/demo/stack";
import { freePort } from "../test/support/ports";

export const BENCH_ADDRESS = { name: "Ann Lee", line_one: "1 Main St", city: "Austin", state: "TX", country: "US", postal_code: "78701" };
export const BENCH_BUYER = { first_name: "Ann", last_name: "Lee", email: "ann@example.com" };

export async function startBenchStack(name: string, options: { build?: boolean; env?: Record<string, string>; exposeGc?: boolean } = {}): Promise<DemoStack> {
  const stack = await startDemoStack({
    port: await freePort(),
    production: true,
    build: options.build ?? true,
    env: { LOG_LEVEL: "warn", ...options.env },
    // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of the app process there.
    // BENCH_HEAP_DIR=dir: SIGUSR2 writes a heap snapshot of the app process there (bench/soak.ts --snapshots).
    nodeArgs: [
      ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
      ...(process.env.BENCH_HEAP_DIR ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${process.env.BENCH_HEAP_DIR}`] : []),
      ...(options.exposeGc ? ["--expose-gc"] : []),
    ],
    dataDir: mkdtempSync(path.join(tmpdir(), `bench-${name}-`)),
    log: (line) => console.error(line),
  });
  stack.shopify.setThrottle({ maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
  return stack;
}

/**
 * Up to 20 active variants priced at least $10, as feed item ids (variant GIDs). With `restockTo`, their stock is
 * set to it (for runs that sell many); without, only variants already holding 50 or more are taken and nothing is
 * changed — a restock sends inventory webhooks the app answers with Admin calls, which would blur call counts.
 */
export function stockedItems(stack: DemoStack, restockTo?: number): string[] {
  const shop = stack.urls.shop;
  const variants = [...stack.shopify.shop(shop).products.values()]
    .filter((p) => p.status === "ACTIVE")
    .flatMap((p) => p.variants)
    .filter((v) => v.price >= 1000 && (restockTo !== undefined || stack.shopify.inventory(shop, v.id) >= 50))
    .slice(0, 20);
  if (restockTo !== undefined) for (const v of variants) stack.shopify.setInventory(shop, v.id, restockTo);
  if (variants.length === 0) throw new Error("No sellable variants in the simulated shop");
  return variants.map((v) => `gid://shopify/ProductVariant/${v.id}`);
}

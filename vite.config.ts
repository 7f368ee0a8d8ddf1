/// <reference types="vitest/config" />
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { vitePlugin as remix } from "@remix-run/dev";
import { installGlobals } from "@remix-run/node";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

installGlobals({ nativeFetch: true });

// Shopify CLI sets HOST; the app expects SHOPIFY_APP_URL (same as Shopify's template).
if (process.env.HOST && (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const hmrConfig =
  host === "localhost"
    ? { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 }
    : { protocol: "wss", host, port: parseInt(process.env.FRONTEND_PORT ?? "8002"), clientPort: 443 };

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: false;
  }
}

// Test files that touch the database run twice: on SQLite and on PostgreSQL (the `postgres` project, with
// TEST_DATABASE=postgres; docs/decisions/0126). Pure unit tests run once. "Touches the database" = the file uses
// a test database (test/support/db, the ACP harness, the complete world, the production server); found by
// reading the files, so a new one is included without a list to keep. Left out of the PostgreSQL half, with why:
const SQLITE_ONLY: Record<string, string> = {
  "test/catalog/store.test.ts": "SQLite's write lock on the catalog's raw connection",
  "test/attacks/production-config.test.ts": "start-up checks of the environment, forty server spawns, nothing provider-specific",
};
const USES_DATABASE = /support\/db"|acp\/harness"|\.\/harness"|complete\/world"|\.\/world"|support\/production-server"/;
const ALL_TESTS = ["app/**/*.test.{ts,tsx}", "sim/**/*.test.ts", "test/**/*.test.ts", "extensions/**/*.test.ts"];

function databaseTests(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (/\.test\.tsx?$/.test(entry.name) && !/\.browser\.test\./.test(entry.name) && !(file in SQLITE_ONLY) && USES_DATABASE.test(readFileSync(file, "utf8"))) found.push(file);
    }
  };
  for (const dir of ["test", "app", "sim"]) if (existsSync(dir)) walk(dir);
  return found.sort();
}

/**
 * Whether the PostgreSQL half runs: TEST_POSTGRES=0 skips it, =required (.ci/run) fails without a server, otherwise
 * it runs when the server at TEST_POSTGRES_URL answers. Returns why it is skipped, or null.
 */
function postgresSkipReason(): string | null {
  if (!process.env.VITEST) return "not a test run";
  if (process.env.TEST_POSTGRES === "0") return "TEST_POSTGRES=0";
  const url = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const probe = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `import pg from "pg"; const c = new pg.Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 2000 }); await c.connect(); await c.query("SELECT 1"); await c.end();`],
    { env: { ...process.env, PROBE_URL: url }, encoding: "utf8", timeout: 10_000 },
  );
  if (probe.status === 0) return null;
  const reason = `no PostgreSQL server answers at ${url.replace(/\/\/[^@/]*@/, "//")} (${(probe.stderr.match(/Error: .*/)?.[0] ?? "unreachable").slice(0, 120)})`;
  if (process.env.TEST_POSTGRES === "required") throw new Error(`TEST_POSTGRES=required but ${reason}`);
  return reason;
}

const postgresSkipped = process.env.VITEST ? postgresSkipReason() : "not a test run";
if (process.env.VITEST) {
  if (postgresSkipped && !process.env.ACP_TEST_PG_NOTICE) console.warn(`\n  PostgreSQL half of the suite SKIPPED: ${postgresSkipped}. Only SQLite ran.\n`);
  else process.env.ACP_TEST_POSTGRES = "1"; // test/global-setup.ts migrates the PostgreSQL template
  process.env.ACP_TEST_PG_NOTICE = "1"; // the config is loaded more than once per run: one notice
}

export default defineConfig({
  server: {
    allowedHosts: [host],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: hmrConfig,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    // The Remix plugin is for the app build; tests import modules directly.
    !process.env.VITEST &&
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          v3_singleFetch: false,
          v3_routeConfig: true,
        },
      }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
  test: {
    // No include here: projects extend this config and Vite concatenates arrays, so each project names its own.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ["test/global-setup.ts"],
    projects: [
      { extends: true, test: { name: "sqlite", include: ALL_TESTS } },
      ...(postgresSkipped ? [] : [{ extends: true as const, test: { name: "postgres", include: databaseTests(), env: { TEST_DATABASE: "postgres" } } }]),
    ],
  },
}) satisfies UserConfig;

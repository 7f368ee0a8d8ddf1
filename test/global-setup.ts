// Runs once before the whole suite: the pristine migrated database that DB tests copy, and the app build
// that end-to-end tests serve (built once here so parallel test files never race on build/).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { prepareTemplateDatabase } from "./support/db";

declare global {
  var __acpGlobalSetup: boolean | undefined;
}

export default async function setup() {
  // Vitest runs the global setup of the root config and of each project (sqlite, postgres): once is enough.
  if (globalThis.__acpGlobalSetup) return;
  globalThis.__acpGlobalSetup = true;
  // The PostgreSQL template when the postgres project runs (vite.config.ts) or a file is run with TEST_DATABASE=postgres.
  const teardown = await prepareTemplateDatabase({ postgres: process.env.ACP_TEST_POSTGRES === "1" || process.env.TEST_DATABASE === "postgres" });
  if (process.env.SKIP_APP_BUILD !== "1") {
    const root = path.resolve(import.meta.dirname, "..");
    // Without VITEST in its environment, or vite.config.ts leaves the Remix plugin out; and with NODE_ENV=production
    // (vitest sets "test"), or the browser bundle is React's development build, which `npm run build` never ships.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST"))), NODE_ENV: "production" } as NodeJS.ProcessEnv;
    execFileSync(path.join(root, "node_modules/.bin/remix"), ["vite:build"], { cwd: root, stdio: "pipe", env });
  }
  return teardown;
}

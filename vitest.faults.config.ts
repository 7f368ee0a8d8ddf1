// `npm run test:faults`: the full fault suite (1,000 checkouts, a SIGKILL mid-run). Not part of `npm test`,
// whose default config runs the same file as a 50-checkout smoke (no kill).
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

process.env.FAULT_SUITE ??= "full";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/faults/**/*.test.ts"],
    pool: "forks",
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    globalSetup: ["test/global-setup.ts"],
  },
});

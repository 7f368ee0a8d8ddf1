// The production build served as `npm start` serves it: `node --max-old-space-size=<heap> scripts/serve.mjs` with
// NODE_ENV=production and a valid production environment (random secrets, an https app URL, a real 32-byte key).
// Needs build/ (the suite's global setup builds it).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { freePort } from "./ports";

const root = path.resolve(import.meta.dirname, "../..");

/** A valid production environment; tests take one variable away or spoil it. */
export function productionEnv(databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: `key-${randomBytes(8).toString("hex")}`,
    SHOPIFY_API_SECRET: `shpss_${randomBytes(16).toString("hex")}`,
    SHOPIFY_APP_URL: "https://agentic-checkout.example.com",
    APP_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    METRICS_TOKEN: randomBytes(24).toString("base64url"),
    BACKGROUND_JOBS: "0",
    LOG_LEVEL: "warn",
  };
}

/** The parent's environment without what would leak into the app (vitest's, demo and test switches). */
function baseEnv(): Record<string, string> {
  const drop = /^(VITEST|DEMO_|SHOPIFY_|STRIPE_|APP_ENCRYPTION|METRICS_TOKEN|OUTBOUND_|NODE_ENV$|DATABASE_URL$|PORT$|HOST$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !drop.test(k))) as Record<string, string>;
}

export interface ServerRun {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

export async function spawnServer(env: Record<string, string>, { heapMb = 256 }: { heapMb?: number } = {}): Promise<ServerRun> {
  const port = await freePort();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, path.join(root, "scripts/serve.mjs")], {
    cwd: root,
    env: { ...baseEnv(), PORT: String(port), HOST: "127.0.0.1", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code: number | null) => resolve(code)));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until /healthz answers 200, or the process exits (then throws with its output). */
export async function waitHealthy(run: ServerRun, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`The server exited with ${run.child.exitCode}:\n${run.output()}`);
    try {
      if ((await fetch(`${run.url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The server did not become healthy:\n${run.output()}`);
}

// Chromium from Debian, driven by playwright-core (Playwright's own browser download is unreachable here).
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(import.meta.dirname, "../../artifacts");

/** Browser tests run wherever Chromium is installed, and must run in CI (.ci/run installs it). */
export const browserAvailable = existsSync(CHROMIUM) || process.env.CI === "true";

export async function launchBrowser(): Promise<BrowserContext> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

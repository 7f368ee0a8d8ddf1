import { afterEach, describe, expect, it, vi } from "vitest";

describe("config", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("refuses demo mode in production", async () => {
    vi.stubEnv("DEMO_MODE", "1");
    vi.stubEnv("NODE_ENV", "production");
    await expect(import("./config.server")).rejects.toThrow(/Demo mode .* refuses to run with NODE_ENV=production/);
  });

  it("serves the demo shop only in demo mode", async () => {
    vi.stubEnv("DEMO_MODE", "1");
    vi.stubEnv("DEMO_SHOP", "x.myshopify.com");
    expect((await import("./config.server")).config.demoShop).toBe("x.myshopify.com");
    vi.resetModules();
    vi.stubEnv("DEMO_MODE", "");
    expect((await import("./config.server")).config.demoShop).toBeUndefined();
  });
});

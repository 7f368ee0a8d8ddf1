import { describe, expect, it } from "vitest";
import { isSqliteBusy, retryWhileBusy } from "./busy.server";

describe("retryWhileBusy", () => {
  it("re-runs work that met SQLITE_BUSY, and gives up after the bound", async () => {
    let calls = 0;
    const result = await retryWhileBusy(async () => {
      calls++;
      if (calls < 3) throw new Error("SQLITE_BUSY_SNAPSHOT: database is locked");
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(3);

    let tries = 0;
    const alwaysBusy = async () => {
      tries++;
      throw new Error("SQLITE_BUSY");
    };
    await expect(retryWhileBusy(alwaysBusy, 2)).rejects.toThrow("SQLITE_BUSY");
    expect(tries).toBe(2);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    await expect(retryWhileBusy(async () => (calls++, Promise.reject(new Error("UNIQUE constraint failed"))))).rejects.toThrow("UNIQUE");
    expect(calls).toBe(1);
    expect(isSqliteBusy(new Error("SQLITE_BUSY"))).toBe(true);
    expect(isSqliteBusy(new Error("nope"))).toBe(false);
  });
});

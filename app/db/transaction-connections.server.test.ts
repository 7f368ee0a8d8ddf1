// Each interactive transaction's SQLite connection is closed when it ends (docs/decisions/0177): @libsql/client
// leaves it open, and hundreds of them held most of the app's native memory under load.
import { mkdtempSync, readdirSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { createDb, sqlitePragmas } from "./client.server";

const openHandles = (file: string) =>
  readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;

describe.runIf(process.platform === "linux")("interactive transactions on SQLite", () => {
  it("close their connection after commit and after rollback, keeping what they committed", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tx-connections-")), "t.sqlite");
    const db = createDb(`file:${file}`, sqlitePragmas());
    try {
      await db.$executeRawUnsafe("CREATE TABLE t (n INTEGER)");
      for (let i = 0; i < 150; i++) {
        await db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe("INSERT INTO t (n) VALUES (?)", i);
        });
        await db
          .$transaction(async (tx) => {
            await tx.$executeRawUnsafe("INSERT INTO t (n) VALUES (?)", -1);
            throw new Error("rolled back");
          })
          .catch((e: Error) => expect(e.message).toBe("rolled back"));
      }
      const [{ count, total }] = (await db.$queryRawUnsafe("SELECT COUNT(*) AS count, SUM(n) AS total FROM t")) as Array<{ count: number | bigint; total: number | bigint }>;
      expect(Number(count)).toBe(150);
      expect(Number(total)).toBe((149 * 150) / 2);
      // SQLite finishes closing a connection once its prepared statements are collected (sqlite3_close_v2): collect
      // them, then only the client's own connection is left, not one per transaction (300).
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as () => void;
      gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      expect(openHandles(file)).toBeLessThanOrEqual(2);
    } finally {
      await db.$disconnect();
    }
  });
});

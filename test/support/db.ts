// Test databases: one migrated template made once per run, copied for each test file.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createDb, type Db } from "../../app/db/client.server";

const root = path.resolve(import.meta.dirname, "../..");
const dir = path.join(tmpdir(), "acp-shopify-tests");
export const templatePath = path.join(dir, `template-${process.ppid}.sqlite`);

/** Applies prisma/migrations to a fresh SQLite file with `prisma migrate deploy`, as production does. */
export function migrateFresh(file: string): void {
  rmSync(file, { force: true });
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${file}`, CHECKPOINT_DISABLE: "1" },
    stdio: "pipe",
  });
}

export async function prepareTemplateDatabase(): Promise<void> {
  process.env.ACP_TEST_TEMPLATE_DB = templatePath;
  migrateFresh(templatePath);
}

/** A fresh, migrated database for one test file. Call `close()` in afterAll. */
export function freshDb(): { db: Db; url: string; file: string; close: () => Promise<void> } {
  const template = process.env.ACP_TEST_TEMPLATE_DB ?? templatePath;
  if (!existsSync(template)) migrateFresh(template);
  const file = path.join(dir, `db-${randomUUID()}.sqlite`);
  copyFileSync(template, file);
  const url = `file:${file}`;
  const db = createDb(url);
  return {
    db,
    url,
    file,
    close: async () => {
      await db.$disconnect();
      rmSync(file, { force: true });
    },
  };
}

// Prisma without native engines: the wasm schema engine and the libSQL driver adapter (docs/decisions/0002).
// This config drives Prisma's CLI on SQLite (`prisma migrate deploy`/`diff`, `prisma generate`). PostgreSQL has its
// own schema and migrations in prisma/postgres/, applied by `npm run db:migrate` (docs/decisions/0124, 0125).
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

export const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
      // Prisma's migrate fails on PostgreSQL through the JS engine (prisma/orm#27403).
      throw new Error("DATABASE_URL is PostgreSQL: apply migrations with `npm run db:migrate` (scripts/migrate.mjs), not the Prisma CLI");
    }
    return new PrismaLibSQL({ url: databaseUrl });
  },
});

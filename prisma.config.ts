// Prisma without native engines: the wasm schema engine and the libSQL driver adapter (docs/decisions/0002).
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

export const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaLibSQL({ url: databaseUrl });
  },
});

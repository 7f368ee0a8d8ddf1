// Leases: "only one instance does this until then". A row per lease name in "JobLease"; claiming is one
// conditional upsert (insert, or take over a lease whose time is up), so of several instances claiming at once
// exactly one gets it, on SQLite and PostgreSQL alike. A holder that dies simply lets its lease run out
// (docs/decisions/0137). Times are ISO strings: PostgreSQL reads them as the column's type, SQLite compares them
// as text (every value is written by this module, in one format).
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";

/** This process, as a lease holder (pid and a random part: a restarted process is a new holder). */
export const LEASE_HOLDER = `${process.pid}-${randomBytes(4).toString("hex")}`;

export interface Leases {
  /** True when this process now holds `name` until `now + holdMs`. */
  claim(name: string, holdMs: number, now?: Date): Promise<boolean>;
  /** Ends this process's lease early (a no-op when someone else holds it now). */
  release(name: string, now?: Date): Promise<void>;
}

export function createLeases(db: PrismaClient, holder = LEASE_HOLDER): Leases {
  return {
    async claim(name, holdMs, now = new Date()) {
      const until = new Date(now.getTime() + holdMs).toISOString();
      const claimed = await db.$executeRaw`
        INSERT INTO "JobLease" ("name", "holder", "expiresAt") VALUES (${name}, ${holder}, ${until})
        ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt"
        WHERE "JobLease"."expiresAt" <= ${now.toISOString()} OR "JobLease"."holder" = ${holder}`;
      return claimed === 1;
    },
    async release(name, now = new Date()) {
      await db.$executeRaw`UPDATE "JobLease" SET "expiresAt" = ${now.toISOString()} WHERE "name" = ${name} AND "holder" = ${holder}`;
    },
  };
}

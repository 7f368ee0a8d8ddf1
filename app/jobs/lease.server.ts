// Leases: "only one instance does this until then". A row per lease name in "JobLease"; claiming is one
// conditional upsert (insert, or take over a lease whose time is up), so of several instances claiming at once
// exactly one gets it, on SQLite and PostgreSQL alike. A holder that dies simply lets its lease run out
// (docs/decisions/0137). Times are ISO strings: PostgreSQL reads them as the column's type, SQLite compares them
// as text (every value is written by this module, in one format).
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { providerOf } from "../db/client.server";
import { memorySerializer, type Serializer } from "./serializer";

/** This process, as a lease holder (pid and a random part: a restarted process is a new holder). */
export const LEASE_HOLDER = `${process.pid}-${randomBytes(4).toString("hex")}`;

export interface Leases {
  /** True when this process now holds `name` until `now + holdMs`. */
  claim(name: string, holdMs: number, now?: Date): Promise<boolean>;
  /** Ends this process's lease early (a no-op when someone else holds it now). */
  release(name: string, now?: Date): Promise<void>;
  /** Ends it and removes its row (leases of many short-lived names, e.g. one per product). */
  drop(name: string): Promise<void>;
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
    async drop(name) {
      await db.$executeRaw`DELETE FROM "JobLease" WHERE "name" = ${name} AND "holder" = ${holder}`;
    },
  };
}

/**
 * One key at a time across instances: work waits (polling, 25 ms doubling to 500 ms) for the key's lease, holds it
 * for at most `holdMs` (a holder that dies frees it then), and drops it when done. Within one process, callers
 * queue in memory first, so the lease is only contended between instances.
 */
export function leaseSerializer(leases: Leases, { holdMs = 30_000, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) } = {}): Serializer {
  const local = memorySerializer();
  return (key, work) =>
    local(key, async () => {
      const name = `serial:${key}`;
      for (let wait = 25; !(await leases.claim(name, holdMs)); wait = Math.min(wait * 2, 500)) await sleep(wait);
      try {
        return await work();
      } finally {
        await leases.drop(name).catch(() => undefined);
      }
    });
}

const serializers = new WeakMap<object, Serializer>();

/**
 * The serializer for work that must not interleave across instances: lease-backed on PostgreSQL (several instances
 * share it), undefined on SQLite (one process: the caller's in-memory default). One per client, shared by callers.
 */
export function sharedSerializer(db: PrismaClient): Serializer | undefined {
  if (providerOf(db) !== "postgres") return undefined;
  let serializer = serializers.get(db);
  if (!serializer) serializers.set(db, (serializer = leaseSerializer(createLeases(db))));
  return serializer;
}

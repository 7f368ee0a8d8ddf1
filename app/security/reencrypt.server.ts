// Re-encrypts every encrypted column under the keyring's current key (docs/decisions/0108): v1 ciphertexts,
// ciphertexts under an older key id, and legacy plaintext Shopify session tokens. Idempotent (a value already
// under the current key is left alone), in batches by row id, and safe beside a running app: each row is
// rewritten only if it still holds the value that was read (compare-and-set).
import type { PrismaClient } from "@prisma/client";
import { ENCRYPTED_COLUMNS, type EncryptedColumn } from "./encrypted-columns.server";
import { decryptSecret, encryptSecret, isCurrent, isSealed } from "./secrets.server";

export interface ColumnReport {
  table: string;
  column: string;
  /** Non-empty values seen. */
  scanned: number;
  /** Rewritten under the current key. */
  reencrypted: number;
  /** Already under the current key. */
  current: number;
  /** Changed by someone else between read and write (already written by the app under the current key). */
  skipped: number;
  /** Could not be decrypted with any key of the ring (ids only, never values). */
  failed: string[];
}

interface Delegate {
  findMany(args: unknown): Promise<Array<Record<string, string | null>>>;
  updateMany(args: unknown): Promise<{ count: number }>;
}

function delegateFor(db: PrismaClient, table: EncryptedColumn["table"]): Delegate {
  const name = (table.charAt(0).toLowerCase() + table.slice(1)) as "shop" | "session" | "complianceRequest";
  return db[name] as unknown as Delegate;
}

export async function reencryptColumn(db: PrismaClient, target: EncryptedColumn, batchSize = 200): Promise<ColumnReport> {
  const report: ColumnReport = { table: target.table, column: target.column, scanned: 0, reencrypted: 0, current: 0, skipped: 0, failed: [] };
  const table = delegateFor(db, target.table);
  let cursor: string | undefined;
  for (;;) {
    const rows = await table.findMany({
      where: { ...(cursor ? { id: { gt: cursor } } : {}), [target.column]: { gt: "" } }, // neither null nor the empty access token
      select: { id: true, [target.column]: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const id = row.id as string;
      const value = row[target.column];
      if (!value) continue; // null, or the empty access token of a session without one
      report.scanned += 1;
      const where = { table: target.table, column: target.column, row: id };
      let plain: string;
      if (!isSealed(value)) {
        if (!target.plaintextLegacy) {
          report.failed.push(id);
          continue;
        }
        plain = value;
      } else if (isCurrent(value)) {
        report.current += 1;
        continue;
      } else {
        try {
          plain = decryptSecret(value, where);
        } catch {
          report.failed.push(id);
          continue;
        }
      }
      const { count } = await table.updateMany({ where: { id, [target.column]: value }, data: { [target.column]: encryptSecret(plain, where) } });
      if (count === 1) report.reencrypted += 1;
      else report.skipped += 1;
    }
    cursor = rows[rows.length - 1]!.id as string;
  }
  return report;
}

/** Every encrypted column of the database, one after another. */
export async function reencryptAll(db: PrismaClient, options: { batchSize?: number; onColumn?: (report: ColumnReport) => void } = {}): Promise<ColumnReport[]> {
  const reports: ColumnReport[] = [];
  for (const column of ENCRYPTED_COLUMNS) {
    const report = await reencryptColumn(db, column, options.batchSize);
    options.onColumn?.(report);
    reports.push(report);
  }
  return reports;
}

// The merchant's view of Shopify's privacy (GDPR) requests: the list, and the data-request export to download and
// send on to the customer, for a limited time (docs/decisions/0107). Always scoped to the signed-in shop. Expired
// exports are deleted by the retention job (app/jobs/retention.server.ts) and on a download attempt.
import type { PrismaClient } from "@prisma/client";
import { decryptSecret } from "../security/secrets.server";
import { complianceExport } from "../security/encrypted-columns.server";

/** How long a data-request export can be downloaded: Shopify gives the merchant 30 days to answer the customer. */
export const EXPORT_RETENTION_DAYS = 30;

export interface PrivacyRequestRow {
  id: string;
  topic: string;
  receivedAt: string;
  completedAt: string | null;
  recordCount: number;
  /** data_request only: "available" until expiresAt, then "expired" (the export is deleted). */
  download: "available" | "expired" | null;
  expiresAt: string | null;
}

export async function listPrivacyRequests(db: PrismaClient, shopDomain: string, now = new Date()): Promise<PrivacyRequestRow[]> {
  const rows = await db.complianceRequest.findMany({
    where: { shopDomain },
    orderBy: { receivedAt: "desc" },
    take: 100,
    select: { id: true, topic: true, receivedAt: true, completedAt: true, recordCount: true, expiresAt: true, exportEnc: true },
  });
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    receivedAt: r.receivedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    recordCount: r.recordCount,
    download: r.topic !== "customers/data_request" ? null : r.exportEnc && (!r.expiresAt || r.expiresAt > now) ? "available" : "expired",
    expiresAt: r.expiresAt?.toISOString() ?? null,
  }));
}

export type ExportDownload = { kind: "ok"; filename: string; json: string } | { kind: "not_found" } | { kind: "gone" };

/** The decrypted export of one of the shop's data requests; another shop's id is simply not found. */
export async function exportForDownload(db: PrismaClient, shopDomain: string, id: string, now = new Date()): Promise<ExportDownload> {
  const row = await db.complianceRequest.findFirst({ where: { id, shopDomain, topic: "customers/data_request" } });
  if (!row) return { kind: "not_found" };
  if (!row.exportEnc) return { kind: "gone" };
  if (row.expiresAt && row.expiresAt <= now) {
    await db.complianceRequest.update({ where: { id: row.id }, data: { exportEnc: null } }); // purged on sight too
    return { kind: "gone" };
  }
  const data = JSON.parse(decryptSecret(row.exportEnc, complianceExport(row.id))) as Record<string, unknown>;
  delete data.match; // matching keys, not the customer's data
  return { kind: "ok", filename: `data-request-${row.receivedAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.json`, json: JSON.stringify(data, null, 2) };
}

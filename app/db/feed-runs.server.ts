// FeedRun repository: progress of full syncs, reconciles and Feed API pushes, shown in the admin.
import type { Db } from "../db.server";
import type { FeedRunLog } from "../catalog/ports";

export interface FeedRunView {
  id: string;
  kind: string;
  status: string;
  itemsTotal: number;
  itemsDone: number;
  detail: Record<string, unknown>;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export class FeedRunRepository implements FeedRunLog {
  constructor(private readonly db: Db, readonly shopId: string) {}

  async start(kind: "full_sync" | "push" | "reconcile", detail: Record<string, unknown> = {}): Promise<string> {
    const run = await this.db.feedRun.create({ data: { shopId: this.shopId, kind, status: "running", detailJson: JSON.stringify(detail) } });
    return run.id;
  }

  async setBulkOperation(runId: string, operationId: string): Promise<void> {
    await this.db.feedRun.updateMany({ where: { id: runId, shopId: this.shopId }, data: { bulkOperationId: operationId } });
  }

  async claimImport(runId: string): Promise<boolean> {
    const { count } = await this.db.feedRun.updateMany({
      where: { id: runId, shopId: this.shopId, status: "running", detailJson: { contains: '"phase":"export"' } },
      data: { detailJson: JSON.stringify({ phase: "import" }) },
    });
    return count === 1;
  }

  async progress(runId: string, itemsDone: number, itemsTotal?: number): Promise<void> {
    await this.db.feedRun.updateMany({
      where: { id: runId, shopId: this.shopId },
      data: { itemsDone, ...(itemsTotal !== undefined ? { itemsTotal } : {}) },
    });
  }

  async finish(runId: string, outcome: { status: "succeeded" | "failed"; detail?: Record<string, unknown>; error?: string }): Promise<void> {
    await this.db.feedRun.updateMany({
      where: { id: runId, shopId: this.shopId },
      data: {
        status: outcome.status,
        finishedAt: new Date(),
        error: outcome.error?.slice(0, 1000) ?? null,
        ...(outcome.detail ? { detailJson: JSON.stringify(outcome.detail) } : {}),
      },
    });
  }

  async runForBulkOperation(operationId: string): Promise<{ id: string; startedAt: Date; status: string } | null> {
    return this.db.feedRun.findFirst({ where: { shopId: this.shopId, bulkOperationId: operationId }, select: { id: true, startedAt: true, status: true } });
  }

  async recent(kind?: string, take = 20): Promise<FeedRunView[]> {
    const rows = await this.db.feedRun.findMany({
      where: { shopId: this.shopId, ...(kind ? { kind } : {}) },
      orderBy: { startedAt: "desc" },
      take,
    });
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      itemsTotal: r.itemsTotal,
      itemsDone: r.itemsDone,
      detail: JSON.parse(r.detailJson || "{}") as Record<string, unknown>,
      error: r.error,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    }));
  }

  /** Last successful sync or reconcile start: the reconcile's "changed since" watermark. */
  async lastSyncStart(): Promise<Date | null> {
    const run = await this.db.feedRun.findFirst({
      where: { shopId: this.shopId, kind: { in: ["full_sync", "reconcile"] }, status: "succeeded" },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true },
    });
    return run?.startedAt ?? null;
  }

  /** Runs stuck in "running" longer than `olderThanMs` (a crashed process) are marked failed. */
  async failStale(olderThanMs = 60 * 60_000): Promise<number> {
    const { count } = await this.db.feedRun.updateMany({
      where: { shopId: this.shopId, status: "running", startedAt: { lt: new Date(Date.now() - olderThanMs) } },
      data: { status: "failed", finishedAt: new Date(), error: "Interrupted (the app restarted while it ran)" },
    });
    return count;
  }
}

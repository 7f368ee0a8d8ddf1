// ProductSelection repository: the merchant's per-product include/exclude on top of the shop rule.
import type { Db } from "../db.server";
import { retryWhileBusy } from "./busy.server";

export class ProductSelectionRepository {
  constructor(private readonly db: Db, readonly shopId: string) {}

  /** included: true/false sets the choice; null clears it (back to the shop rule). */
  async set(productIds: string[], included: boolean | null): Promise<void> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return;
    if (included === null) {
      await this.db.productSelection.deleteMany({ where: { shopId: this.shopId, productId: { in: ids } } });
      return;
    }
    // Idempotent upserts: safe to re-run when the catalog's own connection holds the write lock.
    await retryWhileBusy(() =>
      this.db.$transaction(
        ids.map((productId) =>
          this.db.productSelection.upsert({
            where: { shopId_productId: { shopId: this.shopId, productId } },
            create: { shopId: this.shopId, productId, included },
            update: { included },
          }),
        ),
      ),
    );
  }

  async get(productId: string): Promise<boolean | undefined> {
    const row = await this.db.productSelection.findUnique({ where: { shopId_productId: { shopId: this.shopId, productId } } });
    return row?.included;
  }

  async clearAll(): Promise<void> {
    await this.db.productSelection.deleteMany({ where: { shopId: this.shopId } });
  }
}

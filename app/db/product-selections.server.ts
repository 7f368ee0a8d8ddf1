// ProductSelection repository: the merchant's per-product include/exclude on top of the shop rule; and the
// variants the merchant excluded within a selected product (VariantExclusion, issue 16).
import type { Db } from "../db.server";
import { retryWhileBusy } from "./busy.server";
import { rawSql } from "./sql.server";

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

export class VariantExclusionRepository {
  constructor(private readonly db: Db, readonly shopId: string) {}

  /** excluded: true keeps these variants away from agents; false lets them follow their product again. */
  async set(variants: ReadonlyArray<{ productId: string; variantId: string }>, excluded: boolean): Promise<void> {
    if (!variants.length) return;
    if (!excluded) {
      await this.db.variantExclusion.deleteMany({ where: { shopId: this.shopId, variantId: { in: variants.map((v) => v.variantId) } } });
      return;
    }
    await retryWhileBusy(() =>
      this.db.$transaction(
        variants.map(({ productId, variantId }) =>
          this.db.variantExclusion.upsert({
            where: { shopId_variantId: { shopId: this.shopId, variantId } },
            create: { shopId: this.shopId, productId, variantId },
            update: { productId },
          }),
        ),
      ),
    );
  }

  /** Which of these variants the merchant excluded. Raw SQL: every agent create and update that resolves items runs it (0171). */
  async excludedOf(variantIds: readonly string[]): Promise<Set<string>> {
    if (!variantIds.length) return new Set();
    const rows = await rawSql(this.db).query<Array<{ variantId: string }>>(
      `SELECT "variantId" FROM "VariantExclusion" WHERE "shopId"=? AND "variantId" IN (${variantIds.map(() => "?").join(",")})`,
      this.shopId, ...variantIds,
    );
    return new Set(rows.map((r) => r.variantId));
  }
}

// The catalog store's raw SQLite connection next to Prisma's: writes wait for a Prisma transaction that holds the
// write lock (without blocking the event loop that must finish it), and what one connection commits the other reads.
import { afterAll, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { tuneSqlite } from "../../app/db/client.server";
import { CatalogRepository } from "../../app/db/catalog.server";
import { evaluateProduct } from "../../app/catalog/catalog-item";
import { ctx, product, variant } from "./fixtures";

const t = freshDb();
afterAll(() => t.close());

describe("catalog store on its own connection", () => {
  it("waits for a Prisma transaction holding the write lock, then stores; both commit", async () => {
    process.env.DATABASE_URL = t.url;
    await tuneSqlite(t.db);
    const shop = await t.db.shop.create({ data: { domain: "store-test.myshopify.com", selectionRule: "all" } });
    const repo = new CatalogRepository(t.db, shop.id);
    const p = product({ id: "gid://shopify/Product/1" }, [variant({ id: "gid://shopify/ProductVariant/11" }), variant({ id: "gid://shopify/ProductVariant/12", position: 2 })]);
    const records = evaluateProduct(p, ctx, { rule: "all", value: null }, undefined);

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const locked = new Promise<void>((r) => (inside = r));
    const tx = t.db.$transaction(async (txc) => {
      await txc.shop.update({ where: { id: shop.id }, data: { name: "Renamed in a transaction" } });
      inside();
      await held;
    });
    await locked;
    let saved = false;
    const save = repo.saveProducts([{ productId: p.id, records }], new Date()).then((r) => ((saved = true), r));
    await new Promise((r) => setTimeout(r, 60));
    expect(saved).toBe(false);
    release();
    await tx;
    const { changedProductIds } = await save;
    expect(changedProductIds).toEqual([p.id]);
    expect((await repo.variantRecord("gid://shopify/ProductVariant/12"))?.fields).toEqual(records[1].fields);
    expect((await t.db.shop.findUniqueOrThrow({ where: { id: shop.id } })).name).toBe("Renamed in a transaction");

    // Unchanged on a second save: only syncedAt moves (what deleteNotSyncedSince goes by).
    const later = new Date(Date.now() + 60_000);
    expect((await repo.saveProducts([{ productId: p.id, records }], later)).changedProductIds).toEqual([]);
    const rows = await t.db.catalogItem.findMany({ where: { shopId: shop.id }, orderBy: { position: "asc" } });
    expect(rows.map((r) => r.syncedAt.getTime())).toEqual([later.getTime(), later.getTime()]);
    expect(await repo.deleteNotSyncedSince(new Date(later.getTime() - 1))).toBe(0);
    // A change to a column outside the feed fields (tags) is written, though the content hash is the same.
    const tagged = evaluateProduct({ ...p, tags: ["new-tag"] }, ctx, { rule: "all", value: null }, undefined);
    expect(tagged[0].contentHash).toBe(records[0].contentHash);
    await repo.saveProducts([{ productId: p.id, records: tagged }], later);
    expect((await repo.variantRecord("gid://shopify/ProductVariant/11"))?.tags).toEqual(["new-tag"]);
    // A vanished variant is soft-deleted and reported.
    expect((await repo.saveProducts([{ productId: p.id, records: records.slice(0, 1) }], new Date())).changedProductIds).toEqual([p.id]);
    expect(await repo.variantRecord("gid://shopify/ProductVariant/12")).toBeNull();
    expect(await t.db.catalogItem.count({ where: { shopId: shop.id, deletedAt: null } })).toBe(1);
  });
});

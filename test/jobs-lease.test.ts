// Leases (app/jobs/lease.server.ts) on the database under test: of many claimers at once exactly one wins; the
// holder may renew; an expired or released lease goes to the next claimer.
import { afterAll, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { createLeases, leaseSerializer } from "../app/jobs/lease.server";
import { schedule } from "../app/jobs/schedule.server";
import { startFullSync } from "../app/catalog/service.server";
import { recordShop } from "../app/shop/install.server";
import { createAdminClient } from "../app/shopify/admin-client";
import { startShopifySim } from "../sim/shopify/index";

const t = freshDb();
afterAll(() => t.close());

describe("job leases", () => {
  it("one winner among concurrent claimers; renewal by the holder; taken over after expiry or release", async () => {
    const holders = Array.from({ length: 8 }, (_, i) => createLeases(t.db, `holder-${i}`));
    const now = new Date("2026-12-08T10:00:00.000Z");
    const results = await Promise.all(holders.map((l) => l.claim("job:catalog reconcile", 60_000, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    const other = holders[(winner + 1) % holders.length];
    expect(await other.claim("job:catalog reconcile", 60_000, new Date(now.getTime() + 59_000))).toBe(false);
    expect(await holders[winner].claim("job:catalog reconcile", 60_000, new Date(now.getTime() + 30_000))).toBe(true); // renewal
    expect(await other.claim("job:catalog reconcile", 60_000, new Date(now.getTime() + 89_000))).toBe(false);
    expect(await other.claim("job:catalog reconcile", 60_000, new Date(now.getTime() + 90_000))).toBe(true); // expired
    expect(await holders[winner].claim("job:catalog reconcile", 1000, new Date(now.getTime() + 91_000))).toBe(false);
    await holders[winner].release("job:catalog reconcile", new Date(now.getTime() + 92_000)); // not its lease: no effect
    expect(await holders[winner].claim("job:catalog reconcile", 1000, new Date(now.getTime() + 93_000))).toBe(false);
    await other.release("job:catalog reconcile", new Date(now.getTime() + 94_000));
    expect(await holders[winner].claim("job:catalog reconcile", 1000, new Date(now.getTime() + 94_000))).toBe(true);
    // Names are independent.
    expect(await other.claim("full_sync:shop-1", 1000, now)).toBe(true);
  });

  it("two schedulers with leases (two instances) run a job once per interval between them", async () => {
    const runs: string[] = [];
    const job = (who: string) => ({ name: "retention", intervalMs: 100, run: async () => void runs.push(who) });
    const a = schedule([job("a")], { leases: createLeases(t.db, "instance-a") });
    const b = schedule([job("b")], { leases: createLeases(t.db, "instance-b") });
    await new Promise((r) => setTimeout(r, 1050));
    await Promise.all([a.stop(), b.stop()]);
    // About ten intervals passed: without leases both would have run about ten times each (~20).
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeLessThanOrEqual(11);
  });

  it("one full catalog sync per shop at a time: concurrent starts (two instances, two clicks) make one run", async () => {
    const sim = await startShopifySim();
    try {
      const domain = sim.listShops()[0].domain;
      const admin = createAdminClient({ shop: domain, accessToken: sim.accessToken(domain), urlTemplate: sim.adminUrlTemplate });
      const shop = await recordShop(t.db, admin);
      const started = await Promise.all([1, 2, 3].map(() => startFullSync({ db: t.db, shop, admin })));
      const outcomes = await Promise.all(started.map((s) => s.done));
      expect(outcomes.filter((o) => o.outcome === "SYNCED")).toHaveLength(1);
      expect(await t.db.feedRun.count({ where: { shopId: shop.id, kind: "full_sync" } })).toBe(1);
      // Finished: the lease is released and the next sync starts.
      const next = await startFullSync({ db: t.db, shop, admin }, { wait: true });
      expect((await next.done).outcome).toBe("SYNCED");
      expect(await t.db.feedRun.count({ where: { shopId: shop.id, kind: "full_sync" } })).toBe(2);
    } finally {
      await sim.stop();
    }
  });

  it("a lease serializer runs one piece of work per key at a time across instances, in arrival order per instance", async () => {
    const a = leaseSerializer(createLeases(t.db, "instance-a"));
    const b = leaseSerializer(createLeases(t.db, "instance-b"));
    let inside = 0;
    let most = 0;
    const done: string[] = [];
    const work = (label: string) => async () => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 30));
      inside--;
      done.push(label);
      return label;
    };
    const results = await Promise.all([a("product:1", work("a1")), b("product:1", work("b1")), a("product:1", work("a2")), b("product:1", work("b2")), a("product:2", work("other"))]);
    expect(results).toEqual(["a1", "b1", "a2", "b2", "other"]);
    expect(most).toBe(2); // product:1 alone never overlapped itself; product:2 ran beside it
    expect(done.indexOf("a1")).toBeLessThan(done.indexOf("a2"));
    expect(done.indexOf("b1")).toBeLessThan(done.indexOf("b2"));
    expect(await t.db.$queryRaw<unknown[]>`SELECT "name" FROM "JobLease" WHERE "name" LIKE 'serial:%'`).toEqual([]); // rows dropped
  });
});

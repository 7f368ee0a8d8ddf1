import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { schedule } from "../app/jobs/schedule.server";
import { catalogJobs } from "../app/catalog/jobs.server";
import { catalogBackgroundWork } from "../app/catalog/service.server";
import { recordShop } from "../app/shop/install.server";
import { createAdminClient } from "../app/shopify/admin-client";
import { startShopifySim, type ShopifySim } from "../sim/shopify/index";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("schedule", () => {
  it("runs each job repeatedly, never overlapping itself, and stop() waits for a run in flight", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const jobs = schedule([
      {
        name: "slow",
        intervalMs: 5,
        run: async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await wait(20);
          runs++;
          running--;
        },
      },
    ]);
    await wait(120);
    await jobs.stop();
    const after = runs;
    await wait(50);
    expect(after).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    expect(running).toBe(0);
    expect(runs).toBe(after); // nothing runs after stop
  });
});

describe("catalog jobs", () => {
  const t = freshDb();
  let sim: ShopifySim;
  beforeAll(async () => {
    sim = await startShopifySim();
  });
  afterAll(async () => {
    await sim.stop();
    await t.close();
  });

  it("runs a full sync for a shop that never had one, not again within a day, and again after a day", async () => {
    const shop = sim.listShops()[0].domain;
    const adminFor = async (domain: string) => createAdminClient({ shop: domain, accessToken: sim.accessToken(domain), urlTemplate: sim.adminUrlTemplate });
    await recordShop(t.db, await adminFor(shop));
    let clock = Date.now();
    const daily = catalogJobs({ db: t.db, adminFor }, () => clock).find((j) => j.name === "catalog daily full sync")!;
    const fullSyncs = () => t.db.feedRun.count({ where: { kind: "full_sync" } });

    await daily.run();
    await catalogBackgroundWork();
    expect(await fullSyncs()).toBe(1);
    expect(await t.db.catalogItem.count()).toBeGreaterThan(100);

    await daily.run();
    await catalogBackgroundWork();
    expect(await fullSyncs()).toBe(1);

    clock += 25 * 3_600_000;
    await daily.run();
    await catalogBackgroundWork();
    expect(await fullSyncs()).toBe(2);
  });
});

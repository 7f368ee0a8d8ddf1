// A process killed with SIGKILL mid-complete (after the charge, before the order; after the order, before the
// commit), then recovery on "restart": exactly one charge, one order, the session completed.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { completeWorld, SHOP } from "./world";
import type { CrashPoint } from "../../app/checkout/complete";

let w: Awaited<ReturnType<typeof completeWorld>>;
beforeAll(async () => {
  w = await completeWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const root = path.resolve(import.meta.dirname, "../..");

it.each(["after_charge", "after_order"] as CrashPoint[])("SIGKILL %s → recovery finishes it: one charge, one order, completed", async (point) => {
  const session = await w.ready();
  const total = session.totals.find((t: { type: string }) => t.type === "total").amount;
  // Not spawnSync: the stand-ins live in this process and must keep answering the child.
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "test/complete/crash-child.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: w.h.url,
      CHILD_NOW: w.h.now.value.toISOString(),
      SHOP,
      SHOPIFY_TOKEN: w.shopify.accessToken(SHOP),
      ADMIN_URL_TEMPLATE: w.shopify.adminUrlTemplate,
      STRIPE_KEY: w.stripe.apiKey,
      STRIPE_URL: w.stripe.url,
      SPT: w.token(total),
      SESSION_ID: session.id,
      AGENT_KEY: w.key,
      CRASH_AT: point,
    },
  });
  let output = "";
  proc.stdout.on("data", (d) => (output += d));
  proc.stderr.on("data", (d) => (output += d));
  const child = await new Promise<{ signal: NodeJS.Signals | null }>((resolve) => proc.once("exit", (_code, signal) => resolve({ signal })));
  expect(child.signal, output).toBe("SIGKILL");
  const stuck = await w.stored(session.id);
  expect(stuck.status).toBe("complete_in_progress");
  expect(w.chargesFor(session.id)).toHaveLength(1);
  expect(w.ordersFor(session.id)).toHaveLength(point === "after_order" ? 1 : 0);

  const report = await w.recover();
  expect(report.completed).toBe(1);
  const done = await w.stored(session.id);
  expect(done.status).toBe("completed");
  expect(w.chargesFor(session.id)).toHaveLength(1);
  expect(w.ordersFor(session.id)).toHaveLength(1);
  expect(done.order?.id).toBe(`gid://shopify/Order/${w.ordersFor(session.id)[0].id}`);
  expect(await w.h.db.agentOrder.count({ where: { checkoutSessionId: session.id } })).toBe(1);
}, 90_000);

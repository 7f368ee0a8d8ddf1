// Exactly once: 50 concurrent completes of one session, and a crash at every step boundary recovered by
// recoverIncompleteCheckouts. End state each time: one charge in the Stripe ledger, one order in the shop, the
// session completed (or, when the order cannot be made within the bound, refunded and canceled with a message).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeWorld } from "./world";
import type { CrashPoint } from "../../app/checkout/complete";

let w: Awaited<ReturnType<typeof completeWorld>>;
beforeAll(async () => {
  w = await completeWorld();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

const total = (s: { totals: { type: string; amount: number }[] }) => s.totals.find((t) => t.type === "total")!.amount;

describe("concurrency", () => {
  it("50 concurrent completes on one session (same and different idempotency keys) → one charge, one order", async () => {
    const session = await w.ready();
    const body = w.paymentBody("2026-04-17", w.token(total(session)));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w.complete(session.id, body, { idempotencyKey: i % 2 === 0 ? "same-key-for-half" : `key-${i}` })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409), JSON.stringify(statuses)).toBe(true);
    const completed = responses.filter((r) => r.status === 200 && r.json.status === "completed");
    expect(completed.length).toBeGreaterThanOrEqual(1);
    expect(new Set(completed.map((r) => r.json.order.id)).size).toBe(1);
    expect(w.chargesFor(session.id)).toHaveLength(1);
    expect(w.ordersFor(session.id)).toHaveLength(1);
    // After the dust settles, every retry (any key) answers the one order.
    const after = await w.complete(session.id, body, { idempotencyKey: "late-retry" });
    expect(after.json.order.id).toBe(completed[0].json.order.id);
    expect(w.chargesFor(session.id)).toHaveLength(1);
  });
});

describe("a crash between steps is finished by recovery", () => {
  it.each(["after_charge", "after_charge_recorded", "after_order", "before_commit"] as CrashPoint[])("crash %s → one charge, one order, completed", async (point) => {
    const session = await w.ready();
    const body = w.paymentBody("2026-04-17", w.token(total(session)));
    w.crash.at = point;
    const crashed = await w.complete(session.id, body);
    expect(crashed.status).toBe(500);
    expect((await w.stored(session.id)).status).toBe("complete_in_progress");
    const orderCreatesBefore = w.faults.orderCreates;

    // The agent retries while the dead request's lock is still trusted: 409, nothing new happens.
    const retry = await w.complete(session.id, body, { idempotencyKey: "retry-during-lock" });
    expect(retry.status).toBe(409);

    const report = await w.recover();
    expect(report.completed).toBe(1);
    const done = await w.stored(session.id);
    expect(done.status).toBe("completed");
    expect(w.chargesFor(session.id)).toHaveLength(1);
    expect(w.chargesFor(session.id)[0].status).toBe("succeeded");
    expect(w.ordersFor(session.id)).toHaveLength(1);
    expect(done.order?.id).toBe(`gid://shopify/Order/${w.ordersFor(session.id)[0].id}`);
    // The order existed already when the crash came after orderCreate: recovery found it, created none.
    if (point === "after_order" || point === "before_commit") expect(w.faults.orderCreates).toBe(orderCreatesBefore);
    expect(await w.h.db.agentOrder.count({ where: { checkoutSessionId: session.id } })).toBe(1);

    // The agent's next call gets the completed session with its order.
    const final = await w.complete(session.id, body, { idempotencyKey: "after-recovery" });
    expect(final.status).toBe(200);
    expect(final.json.order.id).toBe(done.order!.id);
  });

  it("crash after the lock, before the charge → released, nothing charged; the agent completes again", async () => {
    const session = await w.ready();
    const body = w.paymentBody("2026-04-17", w.token(total(session)));
    w.crash.at = "after_lock";
    expect((await w.complete(session.id, body)).status).toBe(500);
    const report = await w.recover();
    expect(report.released).toBe(1);
    expect((await w.stored(session.id)).status).toBe("ready_for_payment");
    expect(w.chargesFor(session.id)).toHaveLength(0);
    expect((await w.complete(session.id, body, { idempotencyKey: "again" })).json.status).toBe("completed");
    expect(w.chargesFor(session.id)).toHaveLength(1);
  });

  it("the PSP answered but the answer was lost (crash right after the charge, before anything was written): findCharge finds it", async () => {
    const session = await w.ready();
    w.crash.at = "after_charge";
    await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total(session))));
    expect((await w.stored(session.id)).completion?.paymentIntentId).toBeUndefined();
    await w.recover();
    const done = await w.stored(session.id);
    expect(done.completion?.paymentIntentId).toBe(w.chargesFor(session.id)[0].id);
    expect(done.status).toBe("completed");
  });
});

describe("the order cannot be made", () => {
  it("orderCreate failing for longer than the bound → the charge is refunded and the agent told", async () => {
    const session = await w.ready();
    w.faults.failOrderCreate = true;
    try {
      const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total(session))));
      expect(res.status).toBe(503); // paid, order pending: retry later
      expect(res.headers.get("retry-after")).toBeTruthy();
      for (let pass = 0; pass < 6 && (await w.stored(session.id)).status === "complete_in_progress"; pass++) await w.recover();
    } finally {
      w.faults.failOrderCreate = false;
    }
    const final = await w.stored(session.id);
    expect(final.status).toBe("canceled");
    expect(final.messages).toContainEqual(expect.objectContaining({ type: "error", code: "conflict", content: expect.stringContaining("refunded") }));
    const [charge] = w.chargesFor(session.id);
    expect(charge.amountRefunded).toBe(charge.amount);
    expect(w.ordersFor(session.id)).toHaveLength(0);
    const seen = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total(session))), { idempotencyKey: "agent-looks" });
    expect(seen.status).toBe(405); // canceled: the agent starts a new checkout
    expect(w.chargesFor(session.id)).toHaveLength(1);
  });

  it("stock claimed by someone else between the quote and the order → refunded, out_of_stock on the canceled session", async () => {
    const item = w.variantGid(3);
    const session = await w.ready("2026-04-17", 1, item);
    w.crash.at = "after_charge_recorded";
    const variantId = Number(item.split("/").pop());
    w.crash.run = () => {
      for (const location of w.shopify.shop(w.shop.domain).locations) w.shopify.setInventory(w.shop.domain, variantId, 0, location.id);
    };
    try {
      const res = await w.complete(session.id, w.paymentBody("2026-04-17", w.token(total(session))));
      expect(res.status).toBe(200);
      expect(res.json.status).toBe("canceled");
      expect(res.json.messages).toContainEqual(expect.objectContaining({ code: "out_of_stock", param: "$.line_items[0]" }));
    } finally {
      w.crash.run = undefined;
      w.shopify.setInventory(w.shop.domain, variantId, 1000);
    }
    const [charge] = w.chargesFor(session.id);
    expect(charge.amountRefunded).toBe(charge.amount);
    expect(w.ordersFor(session.id)).toHaveLength(0);
  });
});

// One complete world (test/complete/world.ts) per test file, and paying a ready session with a token for its total.
import { afterAll, beforeAll } from "vitest";
import { completeWorld } from "../complete/world";

export type World = Awaited<ReturnType<typeof completeWorld>>;

/** Starts the world before the file's tests and stops it after; the getter returns it. */
export function useCompleteWorld(): () => World {
  let w: World | undefined;
  beforeAll(async () => {
    w = await completeWorld();
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
  });
  return () => w!;
}

export const sessionTotal = (s: { totals: { type: string; amount: number }[] }) => s.totals.find((t) => t.type === "total")!.amount;

/** Completes a ready session (ACP 2026-04-17) with a fresh Shared Payment Token for exactly its total. */
export function pay(w: World, session: { id: string; totals: { type: string; amount: number }[] }) {
  return w.complete(session.id, w.paymentBody("2026-04-17", w.token(sessionTotal(session))));
}

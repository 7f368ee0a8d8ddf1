// The attack: a create whose session is stored, then a failure in the bookkeeping after it (the open-session
// record, the stored idempotent answer). Before docs/decisions/0175 the handler answered 5xx and released the
// Idempotency-Key, so the agent's retry with the same key created a second session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import examples from "../../spec/acp/2026-04-17/examples/examples.agentic_checkout.json";
import { call, harness } from "./harness";
import { expectValidSession } from "./assertions";
import { onPostgres } from "../support/db";

let h: Awaited<ReturnType<typeof harness>>;
let key: string;
let shopId: string;
const V = "2026-04-17";

beforeAll(async () => {
  h = await harness();
  const added = await h.addShop();
  key = added.key;
  shopId = added.shop.id;
});
afterAll(() => h.close());

/** Makes every `event` on `table` fail inside the database until the returned function is called. */
async function failOn(table: string, event: "INSERT" | "UPDATE"): Promise<() => Promise<void>> {
  const name = `fail_${table}_${event}`.toLowerCase();
  if (onPostgres()) {
    await h.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`);
    await h.db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE ${event} ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => {
      await h.db.$executeRawUnsafe(`DROP TRIGGER ${name} ON "${table}"`);
    };
  }
  await h.db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE ${event} ON "${table}" BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
  return async () => {
    await h.db.$executeRawUnsafe(`DROP TRIGGER ${name}`);
  };
}

const sessions = () => h.db.checkoutSession.count({ where: { shopId } });
const create = (idempotencyKey: string) => call(h.acp.handler, "/checkout_sessions", { key, idempotencyKey, body: examples.create_checkout_session_request });

/** A create while `event` on `table` fails; the database is healed before anything else runs. */
async function createWhileFailing(table: string, event: "INSERT" | "UPDATE", idempotencyKey: string) {
  const heal = await failOn(table, event);
  try {
    return await create(idempotencyKey);
  } finally {
    await heal();
  }
}

describe("bookkeeping that fails after the session is stored", () => {
  it("a failing open-session record: the agent still gets its session, and a retry with the key replays it", async () => {
    const before = await sessions();
    const first = await createWhileFailing("AgentKeySession", "INSERT", "retry-after-record-failure");
    expect(first.status).toBe(201);
    expectValidSession(V, first.json);
    const retry = await create("retry-after-record-failure");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.json.id).toBe(first.json.id);
    expect(await sessions()).toBe(before + 1);
  });

  it("a failing stored answer: the agent still gets its session and the key is not released for a second one", async () => {
    const before = await sessions();
    const first = await createWhileFailing("IdempotencyRecord", "UPDATE", "retry-after-store-failure");
    expect(first.status).toBe(201);
    expectValidSession(V, first.json);
    // The key is still claimed (its answer could not be stored): a retry is told to wait, never served a new session.
    const retry = await create("retry-after-store-failure");
    expect(retry.status).toBe(409);
    expect(await sessions()).toBe(before + 1);
  });
});

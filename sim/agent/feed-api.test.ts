import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFeedApiSim, type FeedApiSim } from "./feed-api";

let sim: FeedApiSim;
beforeAll(async () => {
  sim = await startFeedApiSim({ apiKey: "k_test" });
});
afterAll(() => sim.close());

const headers = (extra: Record<string, string> = {}) => ({ "Content-Type": "application/json", "API-Version": "2026-04-17", Authorization: "Bearer k_test", ...extra });

describe("Feed API simulator", () => {
  it("creates a feed, upserts products by id, lists them", async () => {
    const created = await fetch(`${sim.url}/feeds`, { method: "POST", headers: headers({ "Idempotency-Key": "c1" }), body: JSON.stringify({ target_country: "US" }) });
    expect(created.status).toBe(201);
    const feed = (await created.json()) as { id: string; target_country: string };
    expect(feed.target_country).toBe("US");
    const product = { id: "p1", title: "Tee", variants: [{ id: "v1", title: "Tee - S", price: { amount: 1999, currency: "USD" } }] };
    const up = await fetch(`${sim.url}/feeds/${feed.id}/products`, { method: "PATCH", headers: headers({ "Idempotency-Key": "u1" }), body: JSON.stringify({ products: [product] }) });
    expect(await up.json()).toEqual({ id: feed.id, accepted: true });
    const list = await fetch(`${sim.url}/feeds/${feed.id}/products`, { headers: headers() });
    expect(await list.json()).toEqual({ products: [product] });
    // Replay and conflict on the same key.
    const replay = await fetch(`${sim.url}/feeds/${feed.id}/products`, { method: "PATCH", headers: headers({ "Idempotency-Key": "u1" }), body: JSON.stringify({ products: [product] }) });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const conflict = await fetch(`${sim.url}/feeds/${feed.id}/products`, { method: "PATCH", headers: headers({ "Idempotency-Key": "u1" }), body: JSON.stringify({ products: [] }) });
    expect(conflict.status).toBe(422);
  });

  it("answers with the spec's flat errors", async () => {
    const missing = await fetch(`${sim.url}/feeds/nope`, { headers: headers() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ type: "invalid_request", code: "feed_not_found", message: "Feed not found", param: "id" });
    const badCountry = await fetch(`${sim.url}/feeds`, { method: "POST", headers: headers({ "Idempotency-Key": "c2" }), body: JSON.stringify({ target_country: "usa" }) });
    expect((await badCountry.json()) as object).toMatchObject({ code: "invalid_target_country" });
    const feed = (await (await fetch(`${sim.url}/feeds`, { method: "POST", headers: headers({ "Idempotency-Key": "c3" }), body: "{}" })).json()) as { id: string };
    const bad = await fetch(`${sim.url}/feeds/${feed.id}/products`, { method: "PATCH", headers: headers({ "Idempotency-Key": "u2" }), body: JSON.stringify({ products: [{ id: "p", variants: [{ id: "v" }] }] }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()) as object).toMatchObject({ code: "invalid_product_payload", param: "products" });
    const noVersion = await fetch(`${sim.url}/feeds/${feed.id}`, { headers: { Authorization: "Bearer k_test" } });
    expect(noVersion.status).toBe(400);
    const noAuth = await fetch(`${sim.url}/feeds/${feed.id}`, { headers: { "API-Version": "2026-04-17" } });
    expect(noAuth.status).toBe(401);
  });
});

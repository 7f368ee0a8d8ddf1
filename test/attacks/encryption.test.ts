// Attack: someone with write access to the database (a backup restored by hand, a SQL console, an injection
// elsewhere) moves ciphertexts between rows and columns, or the operator must rotate a leaked key.
// Every ciphertext is bound to its table, column and row; keys rotate through a keyring and a re-encrypt command.
import { execFileSync } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { freshDb } from "../support/db";
import { decryptSecret, encryptSecret } from "../../app/security/secrets.server";
import { saveSettings, parseSettings } from "../../app/shop/settings.server";
import { stripeGatewayForShop } from "../../app/orders/stripe-refund.server";

const root = path.resolve(import.meta.dirname, "../..");
const t = freshDb();
afterAll(() => t.close());

const KEY_OLD = randomBytes(32).toString("base64");
const KEY_NEW = randomBytes(32).toString("base64");
const saved = { keys: process.env.APP_ENCRYPTION_KEYS, key: process.env.APP_ENCRYPTION_KEY };
afterAll(() => {
  for (const [name, value] of [["APP_ENCRYPTION_KEYS", saved.keys], ["APP_ENCRYPTION_KEY", saved.key]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
const useKeys = (value: string) => {
  delete process.env.APP_ENCRYPTION_KEY;
  process.env.APP_ENCRYPTION_KEYS = value;
};

const settings = (stripeSecretKey: string) => {
  const parsed = parseSettings({ checkoutMode: "agent_payment", sessionTtlMinutes: "360", stripeSecretKey, stripeAccountId: "acct_1234567890", orderWebhookUrl: "https://agent.example/events", orderWebhookSecret: `whsec_${stripeSecretKey}`, orderEventNaming: "spec", signatureRequired: "on", signatureSecret: `sig_${stripeSecretKey}` });
  if (!parsed.ok) throw new Error(`settings rejected: ${JSON.stringify(parsed)}`);
  return parsed.value;
};
const at = (column: string, row: string) => ({ table: "Shop", column, row });

/** A ciphertext in the format of the previous release: `v1.<iv>.<tag>.<ct>`, no key id, no associated data. */
function legacyV1(plain: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

let shopA: string, shopB: string;
beforeEach(async () => {
  useKeys(`old:${KEY_OLD}`);
  await t.db.shop.deleteMany({});
  await t.db.session.deleteMany({});
  const a = await t.db.shop.create({ data: { domain: "enc-a.myshopify.com" } });
  const b = await t.db.shop.create({ data: { domain: "enc-b.myshopify.com" } });
  shopA = a.id;
  shopB = b.id;
  await saveSettings(t.db, a, settings("sk_test_AAAAAAAAAAAA"));
  await saveSettings(t.db, b, settings("sk_test_BBBBBBBBBBBB"));
});

describe("ciphertexts are bound to their table, column and row", () => {
  it("shop A's Stripe key copied into shop B's row does not decrypt as B's", async () => {
    const a = await t.db.shop.findUniqueOrThrow({ where: { id: shopA } });
    const b = await t.db.shop.update({ where: { id: shopB }, data: { stripeSecretKeyEnc: a.stripeSecretKeyEnc } });
    expect(() => decryptSecret(b.stripeSecretKeyEnc!, at("stripeSecretKeyEnc", shopB))).toThrow();
    // Through the app's own path: B's refunds would otherwise run on A's Stripe account.
    expect(() => stripeGatewayForShop("http://127.0.0.1:9")(b)).toThrow();
    // A's own row still reads.
    expect(decryptSecret(a.stripeSecretKeyEnc!, at("stripeSecretKeyEnc", shopA))).toBe("sk_test_AAAAAAAAAAAA");
  });

  it("a ciphertext moved to another column of the same row does not decrypt", async () => {
    const a = await t.db.shop.findUniqueOrThrow({ where: { id: shopA } });
    // The signature secret (which agents may know) moved into the Stripe key column.
    const moved = await t.db.shop.update({ where: { id: shopA }, data: { stripeSecretKeyEnc: a.signatureSecretEnc } });
    expect(() => decryptSecret(moved.stripeSecretKeyEnc!, at("stripeSecretKeyEnc", shopA))).toThrow();
    expect(decryptSecret(a.signatureSecretEnc!, at("signatureSecretEnc", shopA))).toBe("sig_sk_test_AAAAAAAAAAAA");
  });

  it("a tampered key id is refused, whether the id is unknown or another key of the ring", async () => {
    useKeys(`new:${KEY_NEW},old:${KEY_OLD}`);
    const sealed = encryptSecret("secret", at("feedTokenEnc", shopA));
    const parts = sealed.split(".");
    expect(parts[1]).toBe("new");
    expect(() => decryptSecret([parts[0], "old", ...parts.slice(2)].join("."), at("feedTokenEnc", shopA))).toThrow();
    expect(() => decryptSecret([parts[0], "nope", ...parts.slice(2)].join("."), at("feedTokenEnc", shopA))).toThrow();
    expect(decryptSecret(sealed, at("feedTokenEnc", shopA))).toBe("secret");
  });
});

describe("key rotation", () => {
  it("old rows read after a new key goes first; re-encrypt moves every column to it; the old key can then go", async () => {
    const { reencryptAll } = await import("../../app/security/reencrypt.server");
    // Rows of the previous release: a v1 ciphertext (no key id) and a plaintext Shopify offline token.
    await t.db.shop.update({ where: { id: shopB }, data: { feedPushKeyEnc: legacyV1("feed-push-key", KEY_OLD) } });
    await t.db.session.create({ data: { id: "offline_enc-a.myshopify.com", shop: "enc-a.myshopify.com", state: "", accessToken: "shpat_plaintext_token", refreshToken: "shprt_plaintext_refresh" } });

    useKeys(`new:${KEY_NEW},old:${KEY_OLD}`);
    const before = await t.db.shop.findUniqueOrThrow({ where: { id: shopA } });
    expect(before.stripeSecretKeyEnc!.split(".")[1]).toBe("old");
    expect(decryptSecret(before.stripeSecretKeyEnc!, at("stripeSecretKeyEnc", shopA))).toBe("sk_test_AAAAAAAAAAAA");

    const reports = await reencryptAll(t.db, { batchSize: 1 }); // batch of one: the cursor walks every row
    const count = (table: string, column: string) => reports.find((r) => r.table === table && r.column === column)!;
    expect(count("Shop", "stripeSecretKeyEnc").reencrypted).toBe(2);
    expect(count("Shop", "feedPushKeyEnc").reencrypted).toBe(1);
    expect(count("Session", "accessToken").reencrypted).toBe(1);
    expect(count("Session", "refreshToken").reencrypted).toBe(1);
    expect(reports.flatMap((r) => r.failed)).toEqual([]);

    const again = await reencryptAll(t.db);
    expect(again.reduce((n, r) => n + r.reencrypted, 0)).toBe(0); // idempotent
    expect(again.reduce((n, r) => n + r.current, 0)).toBe(reports.reduce((n, r) => n + r.reencrypted, 0));

    useKeys(`new:${KEY_NEW}`); // the old key is gone
    for (const shop of await t.db.shop.findMany()) {
      for (const column of ["stripeSecretKeyEnc", "orderWebhookSecretEnc", "signatureSecretEnc", "feedPushKeyEnc"] as const) {
        const value = shop[column];
        if (!value) continue;
        expect(value.split(".").slice(0, 2)).toEqual(["v2", "new"]);
        expect(decryptSecret(value, at(column, shop.id))).toMatch(/sk_test_|feed-push-key/);
      }
    }
    const session = await t.db.session.findUniqueOrThrow({ where: { id: "offline_enc-a.myshopify.com" } });
    expect(session.accessToken).not.toContain("shpat_plaintext_token");
    expect(decryptSecret(session.accessToken, { table: "Session", column: "accessToken", row: session.id })).toBe("shpat_plaintext_token");
    expect(decryptSecret(session.refreshToken!, { table: "Session", column: "refreshToken", row: session.id })).toBe("shprt_plaintext_refresh");
  });

  it("APP_ENCRYPTION_KEY alone still works, as the key id k0, and reads v1 ciphertexts written with it", async () => {
    const passphrase = "a long passphrase of the previous release";
    delete process.env.APP_ENCRYPTION_KEYS;
    process.env.APP_ENCRYPTION_KEY = passphrase;
    const hashed = createHash("sha256").update(passphrase).digest().toString("base64");
    const v1 = legacyV1("whsec_legacy", hashed);
    expect(decryptSecret(v1, at("orderWebhookSecretEnc", shopA))).toBe("whsec_legacy");
    expect(encryptSecret("x", at("orderWebhookSecretEnc", shopA)).split(".")[1]).toBe("k0");
  });

  it("npm run secrets:reencrypt reports its counts and exits 1 when a row cannot be decrypted", async () => {
    useKeys(`new:${KEY_NEW},old:${KEY_OLD}`);
    // A row sealed with a key the ring does not hold.
    await t.db.shop.update({ where: { id: shopB }, data: { feedTokenEnc: legacyV1("lost", randomBytes(32).toString("base64")) } });
    const run = () => {
      try {
        return { code: 0, out: execFileSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/reencrypt.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: t.url }, stdio: "pipe" }).toString() };
      } catch (error) {
        const e = error as { status: number; stdout: Buffer };
        return { code: e.status, out: e.stdout.toString() };
      }
    };
    const { code, out } = run();
    expect(code).toBe(1);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.column === "stripeSecretKeyEnc")).toMatchObject({ reencrypted: 2, failed: 0 });
    expect(lines.find((l) => l.column === "feedTokenEnc")).toMatchObject({ failed: 1, failedIds: [shopB] });
    expect(out).not.toContain("lost");
    expect(lines.at(-1)).toMatchObject({ currentKeyId: "new", failed: 1 });
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { freshDb } from "./support/db";
import { checkAgainstShop, parseSettings, saveSettings, settingsView } from "../app/shop/settings.server";
import { decryptSecret } from "../app/security/secrets.server";

const t = freshDb();
afterAll(() => t.close());

const valid = {
  checkoutMode: "agent_payment",
  sessionTtlMinutes: "120",
  stripeSecretKey: "sk_test_abcdef123456",
  stripeAccountId: "acct_1234567890",
  orderWebhookUrl: "https://agent.example/webhooks/order_events",
  orderWebhookSecret: "whsec_0123456789abcdef",
  orderEventNaming: "openai",
  signatureRequired: "on",
  signatureSecret: "sig-secret-0123456789",
};

describe("settings", () => {
  it("rejects bad values field by field, with words a merchant understands", () => {
    const result = parseSettings({ ...valid, sessionTtlMinutes: "1", stripeSecretKey: "pk_test_x", stripeAccountId: "123", orderWebhookUrl: "ftp://x", orderWebhookSecret: "short" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      sessionTtlMinutes: "At least 5 minutes",
      stripeSecretKey: "Enter a Stripe secret key (sk_test_… or sk_live_…)",
      stripeAccountId: "Enter your Stripe account id (acct_…)",
      orderWebhookUrl: "Enter an https:// URL",
      orderWebhookSecret: "Use at least 16 characters",
    });
  });

  it("requires a secret before signatures can be required", async () => {
    const shop = await t.db.shop.create({ data: { domain: "settings-a.myshopify.com" } });
    const parsed = parseSettings({ ...valid, signatureSecret: "" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(checkAgainstShop(shop, parsed.value)).toEqual({ signatureSecret: "Set a signing secret to require signatures" });
  });

  it("stores secrets encrypted, keeps them when left blank, and never shows them", async () => {
    const shop = await t.db.shop.create({ data: { domain: "settings-b.myshopify.com" } });
    const first = parseSettings(valid);
    if (!first.ok) throw new Error("valid settings rejected");
    const saved = await saveSettings(t.db, shop, first.value);
    expect(saved.stripeSecretKeyEnc).not.toContain("sk_test");
    expect(decryptSecret(saved.stripeSecretKeyEnc!, { table: "Shop", column: "stripeSecretKeyEnc", row: shop.id })).toBe("sk_test_abcdef123456");
    expect(saved.stripeMode).toBe("test");
    expect(JSON.parse(saved.orderEventNamesJson)).toEqual({ created: "order_created", updated: "order_updated" });

    const second = parseSettings({ ...valid, stripeSecretKey: "", orderWebhookSecret: "", signatureSecret: "", sessionTtlMinutes: "60" });
    if (!second.ok) throw new Error("blank secrets rejected");
    const again = await saveSettings(t.db, saved, second.value);
    expect(decryptSecret(again.stripeSecretKeyEnc!, { table: "Shop", column: "stripeSecretKeyEnc", row: shop.id })).toBe("sk_test_abcdef123456");
    expect(again.sessionTtlMinutes).toBe(60);

    const view = settingsView(again);
    expect(JSON.stringify(view)).not.toMatch(/sk_test|whsec_|sig-secret/);
    expect(view).toMatchObject({ stripeKeySet: true, orderWebhookSecretSet: true, signatureSecretSet: true, orderEventNaming: "openai" });
  });
});

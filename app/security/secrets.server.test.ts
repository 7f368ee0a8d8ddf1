import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, randomToken, safeEqual, sha256Hex } from "./secrets.server";

const AT = { table: "Shop", column: "stripeSecretKeyEnc", row: "shop_1" };

describe("secrets at rest", () => {
  it("encrypts so the stored form reveals nothing and decrypts back", () => {
    const sealed = encryptSecret("sk_test_123456", AT);
    expect(sealed).not.toContain("sk_test");
    expect(sealed).not.toBe(encryptSecret("sk_test_123456", AT)); // random IV
    expect(decryptSecret(sealed, AT)).toBe("sk_test_123456");
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = encryptSecret("whsec_abc", AT);
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."), AT)).toThrow();
  });

  it("hashes and compares tokens", () => {
    const token = randomToken("acp_", 24);
    expect(token.startsWith("acp_")).toBe(true);
    expect(safeEqual(sha256Hex(token), sha256Hex(token))).toBe(true);
    expect(safeEqual(sha256Hex(token), sha256Hex(token + "x"))).toBe(false);
    expect(safeEqual("a", "ab")).toBe(false);
  });
});

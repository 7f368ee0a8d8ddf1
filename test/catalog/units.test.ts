import { describe, expect, it } from "vitest";
import { checkGtin } from "../../app/catalog/gtin";
import { htmlToPlainText, truncateText } from "../../app/catalog/plain-text";
import { csvLine } from "../../app/catalog/csv";
import { formatFeedPrice, toMinorUnits, parseFeedPrice } from "../../app/catalog/money";
import { feedSettingsProblems, resolveFeedSettings } from "../../app/catalog/feed-settings";

describe("GTIN check digit", () => {
  it.each([
    ["4006381333931", "valid"], ["036000291452", "valid"], ["96385074", "valid"], ["10614141000415", "valid"],
    ["4006381333932", "bad_check_digit"], ["12345", "wrong_length"], ["40063813339X1", "not_digits"],
  ])("%s is %s", (v, verdict) => expect(checkGtin(v)).toBe(verdict));
});

describe("HTML to plain text", () => {
  it("drops scripts, styles and comments, decodes entities, keeps block breaks", () => {
    expect(htmlToPlainText("<p>Hello&nbsp;<b>world</b> &amp; co</p><script>evil()</script><ul><li>One</li><li>Two</li></ul><!-- x -->"))
      .toBe("Hello world & co\nOne\nTwo");
    expect(htmlToPlainText("a < b and c > d")).toBe("a < b and c > d");
    expect(htmlToPlainText("&#128512; &#x1F600; &bogus;")).toBe("😀 😀 &bogus;");
  });
  it("is linear on pathological input", () => {
    const evil = "<".repeat(200_000) + "a".repeat(200_000) + "<script>".repeat(10_000) + ">";
    const t = performance.now();
    htmlToPlainText(evil);
    expect(performance.now() - t).toBeLessThan(500);
  });
  it("truncates on a word boundary without splitting emoji", () => {
    const t = truncateText("🧥".repeat(100), 51);
    expect(t.length).toBeLessThanOrEqual(51);
    expect(t).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("CSV fields", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvLine(["plain", "a,b", 'say "hi"', "two\nlines", true, 3, undefined, { k: "v" }, ["US", "CA"]])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",true,3,,"{""k"":""v""}","US,CA"\r\n',
    );
  });
});

describe("money", () => {
  it("converts between Shopify decimals, minor units and feed strings", () => {
    expect(toMinorUnits("79.99", "USD")).toBe(7999);
    expect(toMinorUnits("12.5", "USD")).toBe(1250);
    expect(toMinorUnits("1500", "JPY")).toBe(1500);
    expect(toMinorUnits("abc", "USD")).toBeNull();
    expect(formatFeedPrice(7999, "USD")).toBe("79.99 USD");
    expect(formatFeedPrice(1500, "JPY")).toBe("1500 JPY");
    expect(parseFeedPrice("79.99 USD")).toEqual({ minor: 7999, currency: "USD" });
  });
});

describe("feed settings", () => {
  it("prefills from Shopify and reports what is missing", () => {
    const s = resolveFeedSettings("{}", { name: "Shop", primaryUrl: "https://shop.example", countryCode: "DE", policies: { REFUND_POLICY: "https://shop.example/r" } });
    expect(s).toMatchObject({ sellerName: "Shop", storeCountry: "DE", targetCountries: ["DE"], returnPolicyUrl: "https://shop.example/r" });
    expect(feedSettingsProblems(s).map((p) => p.code)).toEqual(["missing_privacy_policy", "missing_terms"]);
    const saved = resolveFeedSettings(JSON.stringify({ sellerUrl: "http://insecure.example", targetCountries: ["us", "ca"] }), { name: "", primaryUrl: null, countryCode: "US", policies: {} });
    expect(saved.targetCountries).toEqual(["US", "CA"]);
    expect(feedSettingsProblems(saved).map((p) => p.code)).toEqual(expect.arrayContaining(["missing_seller_name", "invalid_seller_url", "missing_return_policy"]));
  });
});

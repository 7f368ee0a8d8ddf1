// Item 11: htmlToPlainText must do linear work on adversarial product descriptions. Work is counted, not timed:
// (1) the characters the function itself inspects, reported through the meter it accepts, and (2) the characters
// every String.prototype.indexOf call it makes scans (spied), so a hidden rescan through a library call counts
// too. Both must stay within a constant per input character at n, 2n and 4n.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { htmlToPlainText, normalizeWhitespace, type WorkMeter } from "../../app/catalog/plain-text";

let scanned = 0;
beforeEach(() => {
  scanned = 0;
  const original = String.prototype.indexOf;
  vi.spyOn(String.prototype, "indexOf").mockImplementation(function (this: string, search: string, from?: number) {
    const start = Math.max(0, Math.min(this.length, Math.trunc(from ?? 0)));
    const found = original.call(this, search, from);
    scanned += found < 0 ? this.length - start : found - start + search.length;
    return found;
  });
});
afterEach(() => vi.restoreAllMocks());

/** Total work for one input: inspected characters plus characters scanned by indexOf. */
function work(html: string, run: (html: string, meter: WorkMeter) => string = htmlToPlainText): { work: number; text: string; inspected: number } {
  const meter: WorkMeter = { steps: 0 };
  scanned = 0;
  const text = run(html, meter);
  return { work: meter.steps + scanned, text, inspected: meter.steps };
}

const N = 20_000;
const FAMILIES: [string, (n: number) => string][] = [
  ["a run of & without ;", (n) => "&".repeat(n)],
  ["a run of &# without ;", (n) => "&#".repeat(n / 2)],
  ["a run of &amp without ;", (n) => "&amp".repeat(n / 4)],
  ["&s before one far ;", (n) => `${"&".repeat(n - 1)};`],
  ["a run of < without >", (n) => "<".repeat(n)],
  ["a run of < before one far >", (n) => `${"< ".repeat(n / 2 - 1)}>`],
  ["unclosed tag names", (n) => "<a".repeat(n / 2)],
  ["an unclosed comment after many <", (n) => `${"<".repeat(n / 2)}<!--${"x".repeat(n / 2)}`],
  ["many unclosed comments", (n) => "<!--".repeat(n / 4)],
  ["an unclosed script full of <", (n) => `<script>${"<b".repeat(n / 2)}`],
  ["whitespace soup", (n) => " \n\t\u00a0\r".repeat(n / 5)],
  ["mixed", (n) => "&<&<!-&#x<p &amp".repeat(n / 16)],
];

describe("htmlToPlainText work on adversarial input", () => {
  it.each(FAMILIES)("%s: work grows linearly (n, 2n, 4n) and stays under 16 per character", (_name, make) => {
    const sizes = [N, 2 * N, 4 * N];
    const costs = sizes.map((n) => work(make(n)));
    for (const [i, n] of sizes.entries()) {
      // Not many more character visits than there are characters ...
      expect(costs[i].work).toBeLessThanOrEqual(16 * n + 64);
      // ... and every character visited at least once (the meter is real, not a constant).
      expect(costs[i].inspected).toBeGreaterThanOrEqual(n * 0.5);
    }
    // Quadratic work would quadruple per doubling; linear doubles.
    expect(costs[2].work / costs[0].work).toBeLessThan(5);
  });

  it("normalizeWhitespace is linear too (long runs of spaces with no newline)", () => {
    const costs = [N, 4 * N].map((n) => work(`x${" ".repeat(n)}y`, (html, meter) => normalizeWhitespace(html, meter)));
    expect(costs[1].work).toBeLessThanOrEqual(16 * 4 * N);
    expect(costs[1].work / costs[0].work).toBeLessThan(5);
    expect(costs[1].text).toBe("x y");
  });
});

describe("htmlToPlainText output on adversarial input is still right", () => {
  it("keeps stray & and < as text, decodes real entities, drops tags and script bodies", () => {
    expect(htmlToPlainText("&".repeat(10))).toBe("&".repeat(10));
    expect(htmlToPlainText(`${"&".repeat(5)}amp;`)).toBe("&&&&&");
    expect(htmlToPlainText("<<<<")).toBe("<<<<");
    expect(htmlToPlainText("a < b <b>bold</b> c")).toBe("a < b bold c");
    expect(htmlToPlainText("x<!-- never closed")).toBe("x");
    expect(htmlToPlainText("<script>if (a < b) { x = '<b>' }</script>after")).toBe("after");
    expect(htmlToPlainText("<img src=x />tail")).toBe("tail");
    expect(htmlToPlainText("<p>One</p><p>Two</p>")).toBe("One\nTwo");
    expect(htmlToPlainText("&#x1F600;&#128512;&eacute;&EACUTE;&nope;&#0;")).toBe("😀😀éé&nope;&#0;");
    expect(htmlToPlainText("a&verylongentityname;b")).toBe("a&verylongentityname;b");
    expect(htmlToPlainText("  a \u0001 b \r\n\r\n  c\t\td  ")).toBe("a b\nc d");
  });

  it("matches the regex-based normalisation it replaced on mixed whitespace", () => {
    const reference = (text: string) =>
      text
        // eslint-disable-next-line no-control-regex -- the reference implementation
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
        .replace(/\r\n?/g, "\n")
        .replace(/[ \t\u00A0]+/g, " ")
        .replace(/ *\n */g, "\n")
        .replace(/\n{2,}/g, "\n")
        .trim();
    const alphabet = [" ", "\t", "\n", "\r", "\u00a0", "\u0001", "\u000b", "\u2003", "a", "b", "\u007f", "\ufeff"];
    let seed = 7;
    for (let k = 0; k < 2000; k++) {
      let text = "";
      for (let j = 0; j < 12; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += alphabet[seed % alphabet.length];
      }
      expect(normalizeWhitespace(text), JSON.stringify(text)).toBe(reference(text));
    }
  });
});

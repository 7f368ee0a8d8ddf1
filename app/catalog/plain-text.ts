// Product descriptions arrive as HTML; the flat feed wants plain text (acp.md §5.1). This is a linear scan,
// not a regex soup, so a hostile description costs work proportional to its length and never backtracks.
// It does not sanitize HTML for rendering: the output is text, so no markup survives at all.

const DROP_CONTENT = new Set(["script", "style", "noscript", "template", "iframe", "object", "svg", "head", "title"]);
// Inline formatting joins its text to the neighbours ("<b>Bold</b>er" → "Bolder"); other tags separate words.
const INLINE = new Set(["b", "i", "em", "strong", "span", "a", "u", "small", "sup", "sub", "mark", "s", "code", "abbr", "font"]);
const BREAKS = new Set(["br", "p", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "table"]);

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—", hellip: "…",
  lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", copy: "©", reg: "®", trade: "™", deg: "°", times: "×",
  eacute: "é", egrave: "è", agrave: "à", ouml: "ö", uuml: "ü", auml: "ä", szlig: "ß", bull: "•", middot: "·",
};

function decodeEntity(entity: string): string | null {
  if (entity.startsWith("#x") || entity.startsWith("#X")) {
    const code = parseInt(entity.slice(2), 16);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  if (entity.startsWith("#")) {
    const code = parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  return NAMED[entity.toLowerCase()] ?? null;
}

/** Counts the characters a call inspects, for tests that bound the work (test/attacks/plain-text.test.ts). */
export interface WorkMeter {
  steps: number;
}

const ENTITY_MAX = 12; // "&" + at most 10 name characters + ";" (the longest name we decode is 6)

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 45;
}
function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** Plain text from an HTML fragment: tags removed, script/style bodies dropped, entities decoded,
 * block elements turned into line breaks, whitespace collapsed, control characters removed.
 * Linear in the input: every look-ahead is either bounded (entities: 12 characters) or remembered and jumped over
 * (the next ">", a comment's end), so no character is scanned more than a constant number of times
 * (docs/decisions/0103). */
export function htmlToPlainText(html: string, meter?: WorkMeter): string {
  let out = "";
  let i = 0;
  let steps = 0;
  const n = html.length;
  let dropUntil: string | null = null; // closing tag name whose content we are skipping
  let nextGt = -1; // the next ">" at or after the current "<" (n when there is none); reused by every "<" before it
  while (i < n) {
    steps++;
    const ch = html[i];
    if (ch === "<") {
      if (html.startsWith("<!--", i)) {
        // The comment's end, or the end of the input: either way everything scanned is skipped.
        let j = i + 4;
        while (j + 2 < n && !(html.charCodeAt(j) === 45 && html.charCodeAt(j + 1) === 45 && html.charCodeAt(j + 2) === 62)) {
          steps++;
          j++;
        }
        i = j + 2 < n ? j + 3 : n;
        continue;
      }
      if (nextGt <= i) {
        let j = i + 1;
        while (j < n && html.charCodeAt(j) !== 62) {
          steps++;
          j++;
        }
        nextGt = j;
      }
      if (nextGt >= n) {
        // An unclosed "<" is text, not a tag.
        if (!dropUntil) out += "<";
        i += 1;
        continue;
      }
      const end = nextGt;
      // A tag name follows "<" (or "</") directly (HTML tokenizer rules); "a < b" is text.
      let k = i + 1;
      const closing = k < end && html.charCodeAt(k) === 47;
      if (closing) k++;
      const nameStart = k;
      if (!(k < end && isNameStart(html.charCodeAt(k)))) {
        if (!dropUntil) out += "<";
        i += 1;
        continue;
      }
      while (k < end && isNameChar(html.charCodeAt(k))) {
        steps++;
        k++;
      }
      const name = html.slice(nameStart, k).toLowerCase();
      i = end + 1; // everything up to ">" is consumed: the scans above never revisit it
      if (dropUntil) {
        if (closing && name === dropUntil) dropUntil = null;
        continue;
      }
      if (!closing && DROP_CONTENT.has(name)) {
        let back = end - 1;
        while (back > nameStart && isSpace(html[back])) {
          steps++;
          back--;
        }
        const selfClosing = back > nameStart && html.charCodeAt(back) === 47;
        if (!selfClosing) {
          dropUntil = name;
          continue;
        }
      }
      out += BREAKS.has(name) ? "\n" : INLINE.has(name) ? "" : " ";
      continue;
    }
    if (dropUntil) {
      i += 1;
      continue;
    }
    if (ch === "&") {
      // Bounded look-ahead: an entity's ";" is within ENTITY_MAX characters or it is not an entity.
      let semi = -1;
      for (let j = i + 1; j < n && j - i <= ENTITY_MAX; j++) {
        steps++;
        if (html.charCodeAt(j) === 59) {
          semi = j;
          break;
        }
      }
      if (semi > i + 1) {
        const decoded = decodeEntity(html.slice(i + 1, semi));
        if (decoded !== null) {
          out += decoded;
          i = semi + 1;
          continue;
        }
      }
    }
    out += ch;
    i += 1;
  }
  if (meter) meter.steps += steps;
  return normalizeWhitespace(out, meter);
}

// Control characters that are removed outright (tab, line feed and carriage return are whitespace).
function isRemovedControl(code: number): boolean {
  return code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code === 0x7f;
}

/** Collapses runs of spaces, keeps single line breaks between blocks, removes control characters. One pass: a gap
 * of spaces/tabs/no-break spaces becomes one space, a gap holding any line break becomes one "\n". */
export function normalizeWhitespace(text: string, meter?: WorkMeter): string {
  let out = "";
  let gap: "" | " " | "\n" = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isRemovedControl(code)) continue;
    if (code === 0x0a || code === 0x0d) gap = "\n";
    else if (code === 0x20 || code === 0x09 || code === 0xa0) {
      if (gap === "") gap = " ";
    } else {
      out += gap + text[i];
      gap = "";
    }
  }
  if (meter) meter.steps += text.length;
  return (out + gap).trim();
}

/** Cuts text to at most `max` UTF-16 units at a word boundary, without splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  if (lastSpace > max * 0.8) cut = cut.slice(0, lastSpace);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

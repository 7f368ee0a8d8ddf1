// Product descriptions arrive as HTML; the flat feed wants plain text (acp.md §5.1). This is a linear scan,
// not a regex soup, so a hostile 10,000-character description costs microseconds and never backtracks.
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

/** Plain text from an HTML fragment: tags removed, script/style bodies dropped, entities decoded,
 * block elements turned into line breaks, whitespace collapsed, control characters removed. */
export function htmlToPlainText(html: string): string {
  let out = "";
  let i = 0;
  const n = html.length;
  let dropUntil: string | null = null; // closing tag name whose content we are skipping
  let nextGt = -1;
  while (i < n) {
    const ch = html[i];
    if (ch === "<") {
      if (html.startsWith("<!--", i)) {
        const end = html.indexOf("-->", i + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      // The next ">" is remembered, so a run of stray "<" stays linear instead of rescanning for each one.
      if (nextGt <= i) nextGt = html.indexOf(">", i + 1);
      if (nextGt < 0) nextGt = n;
      const end = nextGt < n ? nextGt : -1;
      if (end < 0) {
        // An unclosed "<" is text, not a tag.
        if (!dropUntil) out += "<";
        i += 1;
        continue;
      }
      const inner = html.slice(i + 1, end);
      // A tag name follows "<" directly (HTML tokenizer rules); "a < b" is text.
      const m = /^(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(inner);
      if (!m) {
        if (!dropUntil) out += "<";
        i += 1;
        continue;
      }
      i = end + 1;
      const closing = m[1] === "/";
      const name = m[2].toLowerCase();
      if (dropUntil) {
        if (closing && name === dropUntil) dropUntil = null;
        continue;
      }
      if (!closing && DROP_CONTENT.has(name) && !inner.trimEnd().endsWith("/")) {
        dropUntil = name;
        continue;
      }
      out += BREAKS.has(name) ? "\n" : INLINE.has(name) ? "" : " ";
      continue;
    }
    if (dropUntil) {
      i += 1;
      continue;
    }
    if (ch === "&") {
      const semi = html.indexOf(";", i + 1);
      if (semi > i + 1 && semi - i <= 12) {
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
  return normalizeWhitespace(out);
}

/** Collapses runs of spaces, keeps single line breaks between blocks, removes control characters. */
export function normalizeWhitespace(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\u00A0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
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

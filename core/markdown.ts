import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./html.ts";
import { withoutControlCharacters } from "./text.ts";

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** The HTML any description may keep, whether written here or received from a peer. */
const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
    "ul", "ol", "li", "strong", "em", "b", "i", "del", "s", "a", "table", "thead",
    "tbody", "tr", "th", "td", "span",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], th: ["align"], td: ["align"], ol: ["start"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  // Headings inside a description start below the page's own h1.
  transformTags: {
    h1: "h2",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" },
    }),
  },
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object"],
};

/** Safe HTML of any HTML, local or a peer's; control characters are dropped as well. */
export function sanitize(html: string): string {
  return sanitizeHtml(withoutControlCharacters(html), policy);
}

/**
 * Markdown written by staff → safe HTML. Raw HTML inside the Markdown is
 * sanitised too. A text too complex to render in bounded time (see
 * `markdownTooComplex`) is shown as escaped paragraphs instead, so no text,
 * local or received from a peer, can overflow the stack or hold the event loop.
 */
export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return "";
  if (markdownTooComplex(markdown)) return asParagraphs(markdown);
  return sanitize(marked.parse(markdown) as string);
}

/** Longer texts are never parsed as Markdown (descriptions hold at most 50,000 characters). */
const maxMarkdownLength = 60_000;
/** Quotes and list items nested deeper than this: marked recurses once per level. */
export const maxMarkdownNesting = 12;
/** Bound on the inline work of all blocks together (see `inlineWork`): about 10 ms of marked. */
const maxInlineWork = 2_000_000;
/** Bound on list and quote lines, each counted once per level it is nested (marked re-reads each level). */
const maxContainerWork = 5_000;
/** Bound on characters that come out as entities (&, <, >, ", ') and on table cells: each costs the sanitiser. */
const maxEntities = 10_000;
const maxTableCells = 5_000;

/**
 * True when marked could take long or overflow its stack on this text, or the
 * sanitiser long on marked's output. A linear pass, conservative by design: it
 * never skips a line (a fence may not be one), and counts nesting from the
 * markers at the start of each line. Ordinary descriptions, however long, stay
 * below every bound (see bench/content-bounds.ts for the figures).
 */
export function markdownTooComplex(markdown: string): boolean {
  if (markdown.length > maxMarkdownLength) return true;
  let entities = 0;
  let cells = 0;
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown.charCodeAt(i);
    if (entity.has(c)) entities++;
    else if (c === pipe) cells++;
  }
  if (entities > maxEntities || cells > maxTableCells) return true;
  let work = 0;
  let containers = 0;
  let block: string[] = [];
  const endBlock = () => {
    if (block.length) work += inlineWork(block.join("\n"));
    block = [];
  };
  for (const line of markdown.split(/\r\n?|\n/)) {
    if (line.trim() === "") {
      endBlock();
      continue;
    }
    const { depth, rest } = containerPrefix(line);
    if (depth > maxMarkdownNesting) return true;
    containers += depth;
    block.push(rest);
  }
  endBlock();
  return work > maxInlineWork || containers > maxContainerWork;
}

const listMarker = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/** How deep a line's quotes and list items nest (indentation counts a level per two columns), and its text after them. */
function containerPrefix(line: string): { depth: number; rest: string } {
  let depth = 0;
  let indent = 0;
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") indent += line[i++] === "\t" ? 4 : 1;
    if (line[i] === ">") {
      depth++;
      i++;
      continue;
    }
    const marker = listMarker.exec(line.slice(i, i + 11));
    if (!marker) break;
    depth++;
    i += marker[0].length;
    if (depth > maxMarkdownNesting) break;
  }
  return { depth: depth > 0 ? depth + Math.floor(indent / 2) : 0, rest: line.slice(i) };
}

// Where marked's inline lexer stops a text run and tries a rule (emphasis,
// code, link, autolink, escape); the delimiters it pairs with each other; and
// the characters of the e-mail lookahead it scans from a stop (a run without spaces).
const classOf = (chars: string) => new Set([...chars].map((c) => c.charCodeAt(0)));
const entity = classOf("&<>\"'");
const pipe = "|".charCodeAt(0);
const inlineStop = classOf("\\<![`*~_@");
const pairing = classOf("<![]`*~_");
const emailRun = classOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?_`{|}~-");

/**
 * The inline work of one block, in marked's worst cases: each stop scans the
 * space-free run it sits in, and delimiters are paired with each other
 * (unmatched "_a_a…" is quadratic).
 */
function inlineWork(text: string): number {
  let scans = 0;
  let delimiters = 0;
  let runFromHere = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    runFromHere = emailRun.has(c) ? runFromHere + 1 : 0;
    if (inlineStop.has(c)) scans += runFromHere + 1;
    if (pairing.has(c)) delimiters++;
  }
  return scans + delimiters * delimiters;
}

/** The fallback: escaped paragraphs, line breaks kept. */
function asParagraphs(text: string): string {
  return text
    .split(/\r?\n[ \t\r]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, "<br>\n")}</p>`)
    .join("\n");
}

/** Plain text of some HTML, for summaries, feeds and search snippets. */
export function htmlToText(html: string): string {
  return sanitizeHtml(withoutControlCharacters(html), { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, " ").trim();
}

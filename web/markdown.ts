import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

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

export function sanitize(html: string): string {
  return sanitizeHtml(html, policy);
}

/** Markdown written by staff → safe HTML. Raw HTML inside the Markdown is sanitised too. */
export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return "";
  return sanitize(marked.parse(markdown) as string);
}

/** Plain text of some HTML, for summaries, feeds and search snippets. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, " ").trim();
}

// Bounds on the work one stored text can cause (issue 11, findings 3 and 12):
// analysis per word, snippets per hit, Markdown per description, and the
// characters PostgreSQL and XML cannot carry. No timings here: each bound is a
// behaviour (a giant word is left whole, a too complex text is shown as text).
import { describe, expect, it } from "vitest";
import { compoundParts, compoundText, fold, fullSplit, maxCompoundLength } from "../../search/norwegian.ts";
import { queryMatcher, snippet, snippetScanWords } from "../../search/snippet.ts";
import { plainText } from "../../search/document.ts";
import { markdownTooComplex, renderMarkdown } from "../../core/markdown.ts";
import { ordinaryDescription } from "../fixtures/markdown.ts";
import { projectCreateSchema } from "../../core/project.ts";
import { stripControlCharacters } from "../../core/text.ts";
import { projectFromArticleJson, kominnContext, activityStreamsContext } from "../../federation/project-object.ts";

// 50,006 letters ending in a known word: the shape that cost 1.5 s per hit.
const giant = "fall".repeat(12_500) + "sensor";

describe("Norwegian analysis does bounded work per word", () => {
  it("leaves words longer than the compound limit whole, and still splits real compounds", () => {
    expect(maxCompoundLength).toBeGreaterThanOrEqual(40);
    expect(compoundParts(giant)).toEqual([]);
    expect(fullSplit(giant)).toBeUndefined();
    // The giant word adds nothing; the real compound beside it still gives its parts (and its lemma).
    expect(compoundText(`${giant} fallsensorer`)).toBe(compoundText("fallsensorer"));
    expect(compoundText("fallsensorer").split(" ")).toEqual(expect.arrayContaining(["fall", "sensor"]));
    // A long real compound within the limit is still split into its words.
    const long = "brannvernopplaeringsprogramkoordinator";
    expect(long.length).toBeLessThanOrEqual(maxCompoundLength);
    expect(compoundParts(long)).toEqual(expect.arrayContaining(["brann", "vern", "opplaering", "program", "koordinator"]));
    expect([...compoundParts(fold("svømmeundervisningen"))].sort()).toEqual(["svomme", "undervisning"]);
  });

  it("matches a giant word only by itself, never by a part", () => {
    const match = queryMatcher(["sensor"]);
    expect(match(giant)).toBeUndefined();
    expect(match("Fallsensorer")).toBe("sensor");
  });
});

describe("snippets do bounded work per hit", () => {
  it("still marks the match next to a 50,000-letter word", () => {
    const html = snippet([`${giant} varsler alarmsentralen om fallsensorer`], ["sensor"]);
    expect(html).toContain("<mark>fallsensorer</mark>");
    expect(html).not.toContain(giant.slice(0, 1_000));
  });

  it("looks for the passage only among the first words of a text", () => {
    const far = `${"ord ".repeat(snippetScanWords)}alarmsentralen`;
    expect(snippet([far], ["alarmsentralen"])).not.toContain("<mark>");
    expect(snippet([far], ["alarmsentralen"])).toMatch(/^ord ord/);
    const near = `${"ord ".repeat(snippetScanWords - 30)}alarmsentralen`;
    expect(snippet([near], ["alarmsentralen"])).toContain("<mark>alarmsentralen</mark>");
  });

  it("keeps what the plain text of Markdown shows", () => {
    expect(plainText("Se [nettsiden](https://example.org) og ![bilde](a.png) **nå**")).toBe("Se nettsiden og nå");
    expect(plainText("[".repeat(1_000))).toBe("[".repeat(1_000));
    expect(plainText("![a".repeat(10))).toBe("![a".repeat(10));
  });
});

describe("Markdown rendering is bounded", () => {
  it("shows deeply nested quotes as escaped text instead of overflowing the stack", () => {
    const quotes = "> ".repeat(5_000);
    expect(markdownTooComplex(quotes)).toBe(true);
    const out = renderMarkdown(quotes);
    expect(out.startsWith("<p>&gt; &gt; ")).toBe(true);
    expect(out).not.toContain("<blockquote>");
  });

  it("shows text with thousands of unmatched emphasis marks as escaped text", () => {
    const marks = "_a".repeat(24_500);
    expect(markdownTooComplex(marks)).toBe(true);
    expect(renderMarkdown(marks)).toBe(`<p>${marks}</p>`);
    expect(markdownTooComplex(Array.from({ length: 300 }, (_, i) => `${"  ".repeat(i)}- a`).join("\n"))).toBe(true);
    expect(markdownTooComplex("- ".repeat(3_000) + "a")).toBe(true);
    // Browsers send CRLF: nesting counts the same.
    expect(markdownTooComplex(Array.from({ length: 20 }, (_, i) => `${"> ".repeat(i)}-`).join("\r\n"))).toBe(true);
    expect(renderMarkdown("> ".repeat(20) + "a\r\n\r\nb\r\nc")).toBe(`<p>${"&gt; ".repeat(20)}a</p>\n<p>b<br>\nc</p>`);
  });

  it("renders a long, ordinary description with everything Markdown offers", () => {
    const doc = ordinaryDescription(50_000);
    expect(doc.length).toBeGreaterThan(45_000);
    expect(markdownTooComplex(doc)).toBe(false);
    const out = renderMarkdown(doc);
    for (const tag of ["<h2>", "<strong>", "<em>", "<del>", "<blockquote>", "<ol>", "<ul>", "<code>", "<table>", "<pre>", 'href="https://example.org/rapport"']) {
      expect(out).toContain(tag);
    }
  });
});

describe("control characters", () => {
  it("are refused in project fields, naming the field; tab and line breaks stay allowed", () => {
    const nul = projectCreateSchema.safeParse({ title: "a\u0000b", summary: "S", phase: "ide" });
    expect(nul.success).toBe(false);
    expect(nul.error?.issues.map((i) => i.path.join("."))).toEqual(["title"]);
    expect(nul.error?.issues[0].message).toMatch(/kontrolltegn/);
    const soh = projectCreateSchema.safeParse({ title: "T", summary: "S", phase: "ide", contacts: [{ name: "K\u0001" }] });
    expect(soh.error?.issues.map((i) => i.path.join("."))).toEqual(["contacts.0.name"]);
    const ok = projectCreateSchema.safeParse({ title: "T", summary: "S", phase: "ide", description: "a\tb\r\nc\nd" });
    expect(ok.success).toBe(true);
  });

  it("are stripped from anything remote, deeply", () => {
    expect(stripControlCharacters({ a: "x\u0000y", b: ["\u0001z\t\n"], c: 3, d: null })).toEqual({ a: "xy", b: ["z\t\n"], c: 3, d: null });
  });

  it("are stripped from a remote project instead of refusing it", () => {
    const received = projectFromArticleJson({
      "@context": [activityStreamsContext, kominnContext],
      id: "https://peer.example/prosjekter/nul",
      type: "Article",
      attributedTo: "https://peer.example/actor",
      name: "Null\u0000tegn",
      summary: "Kontroll\u0001tegn",
      source: { content: "Tekst\u0000 med\u000b tegn", mediaType: "text/markdown" },
      phase: "ide",
      contacts: [{ name: "Kari\u0000", role: "", email: "" }],
    });
    expect(received.content.title).toBe("Nulltegn");
    expect(received.content.summary).toBe("Kontrolltegn");
    expect(received.content.description).toBe("Tekst med tegn");
    expect(received.content.contacts[0].name).toBe("Kari");
  });
});

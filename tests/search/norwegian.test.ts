import { describe, expect, it } from "vitest";
import { compoundParts, fold, fullSplit, parseQuery, stem } from "../../search/norwegian.ts";
import { snippet } from "../../search/snippet.ts";

describe("Norwegian text handling for search", () => {
  it("folds æ/ø/å and their ASCII spellings to one form", () => {
    expect(fold("Råde")).toBe(fold("Raade"));
    expect(fold("Råde")).toBe(fold("Rade"));
    expect(fold("Næring")).toBe(fold("naering"));
    expect(fold("Svømming")).toBe(fold("svomming"));
    expect(fold("Tromsø")).toBe("tromso");
  });

  it("stems inflections to one form", () => {
    const forms = ["prosjekt", "prosjektet", "prosjekter", "prosjektene"].map((w) => stem(fold(w)));
    expect(new Set(forms).size).toBe(1);
    expect(stem(fold("sensorer"))).toBe(stem(fold("sensor")));
  });

  it("finds the known parts of compounds, and leaves non-compounds alone", () => {
    expect(compoundParts(fold("svømmeundervisningen"))).toEqual(["undervisning", "svomme"]);
    expect(compoundParts(fold("fallsensorer"))).toEqual(["sensor", "fall"]);
    expect(compoundParts(fold("velferdsteknologi"))).toEqual(["teknologi", "velferd"]);
    expect(compoundParts(fold("foreldre"))).toEqual([]);
    expect(compoundParts(fold("kommune"))).toEqual([]);
  });

  it("reads compounds in queries as their parts, but keeps known words whole", () => {
    expect(fullSplit(fold("medisindispenser"))).toEqual(["medisin", "dispenser"]);
    expect(fullSplit(fold("elbil"))).toBeUndefined();
    expect(fullSplit(fold("kvitveisprosjekt"))).toBeUndefined();
  });

  it("parses queries: phrases in quotes, syntax characters and stop words dropped", () => {
    expect(parseQuery('" - : * (')).toEqual({ terms: [], groups: [], phrases: [], hasContent: false });
    expect(parseQuery("medisindispenser eldre").groups).toEqual([["medisin", "dispenser"], ["eldre"]]);
    expect(parseQuery("og i på").hasContent).toBe(false);
    expect(parseQuery('"digitalt tilsyn" eldre').phrases).toEqual([["digitalt", "tilsyn"]]);
    expect(parseQuery("fall & | ! sensor:*").terms).toEqual(["fall", "sensor"]);
  });

  it("keeps the first 12 different words of a query; a repeated word takes one place", () => {
    const words = "barnehage skole sykehjem helse vann avløp vei brann kultur idrett bibliotek havn park bolig energi klima".split(" ");
    const parsed = parseQuery(words.join(" "));
    expect(parsed.groups).toHaveLength(12);
    expect(parsed.terms).toEqual(words.slice(0, 12).map(fold));
    expect(parseQuery(`${"skole ".repeat(100)}klima`).terms).toEqual(["skole", "klima"]);
  });

  it("marks matches in snippets and escapes everything else", () => {
    const html = snippet(["<b>Fallsensorer</b> varsler alarmsentralen & hjemmetjenesten."], ["sensor"]);
    expect(html).toBe("&lt;b&gt;<mark>Fallsensorer</mark>&lt;/b&gt; varsler alarmsentralen &amp; hjemmetjenesten.");
  });
});

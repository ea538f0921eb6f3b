import { describe, expect, it } from "vitest";
import { compoundParts, family, fold, fullSplit, parseQuery, stem } from "../../search/norwegian.ts";
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

  it("splits compounds of any domain with the lexicon, with the linking letters -s- and -e-", () => {
    expect(fullSplit(fold("brannvernopplæring"))).toEqual(["brannvern", "opplaering"]);
    expect(compoundParts(fold("brannvernopplæring"))).toEqual(expect.arrayContaining(["brann", "vern", "opplaering"]));
    expect(compoundParts(fold("barnevernvakt"))).toEqual(expect.arrayContaining(["barnevern", "vakt"]));
    expect(compoundParts(fold("grendehusutleie"))).toEqual(expect.arrayContaining(["grendehus", "hus", "utleie"]));
    expect(compoundParts(fold("vannledningsbrudd"))).toEqual(expect.arrayContaining(["vann", "ledning", "brudd"]));
    expect(compoundParts(fold("ungdomsklubbleder"))).toEqual(expect.arrayContaining(["ungdom", "klubb", "leder"]));
    expect(compoundParts(fold("svømmeundervisningen"))).toEqual(["svomme", "undervisning"]);
    expect(compoundParts(fold("fallsensorer"))).toEqual(["fall", "sensor"]);
    expect(compoundParts(fold("velferdsteknologi"))).toEqual(expect.arrayContaining(["velferd", "teknologi"]));
    expect(compoundParts(fold("matsvinn"))).toEqual(["mat", "svinn"]);
  });

  it("leaves words alone that are no compound of two words", () => {
    expect(compoundParts(fold("foreldre"))).toEqual([]);
    expect(compoundParts(fold("kommune"))).toEqual([]);
    expect(compoundParts(fold("undervisning"))).toEqual([]);
    expect(compoundParts(fold("samarbeid"))).toEqual([]);
    expect(fullSplit(fold("kvitveisprosjekt"))).toEqual(["kvitveis", "prosjekt"]);
    expect(fullSplit(fold("xyzqwsensor"))).toBeUndefined();
  });

  it("knows word families: inflections, lemmas and derivations from the lexicon", () => {
    expect(family(fold("sjøen"))).toContain("sjo");
    expect(family(fold("svømming"))).toContain("svomme");
    expect(family(fold("rekruttering"))).toContain("rekruttere");
    expect(family(fold("digitalisering"))).toEqual(expect.arrayContaining(["digitalisere", "digital"]));
    expect(family(fold("sensorene"))).toContain("sensor");
  });

  it("parses queries: phrases in quotes, syntax characters and stop words dropped", () => {
    expect(parseQuery('" - : * (')).toEqual({ terms: [], words: [], phrases: [], hasContent: false });
    const words = parseQuery("medisindispenser eldre").words;
    expect(words.map((w) => w.typed)).toEqual(["medisindispenser", "eldre"]);
    expect(words[0].alternatives[0]).toEqual(["medisindispenser"]);
    expect(words[0].alternatives).toContainEqual(["medisin", "dispenser"]);
    expect(parseQuery("og i på").hasContent).toBe(false);
    expect(parseQuery('"digitalt tilsyn" eldre').phrases).toEqual([["digitalt", "tilsyn"]]);
    expect(parseQuery("fall & | ! sensor:*").words.map((w) => w.typed)).toEqual(["fall", "sensor"]);
  });

  it("keeps the first 12 different words of a query; a repeated word takes one place", () => {
    const words = "barnehage skole sykehjem helse vann avløp vei brann kultur idrett bibliotek havn park bolig energi klima".split(" ");
    const parsed = parseQuery(words.join(" "));
    expect(parsed.words.map((w) => w.typed)).toEqual(words.slice(0, 12).map(fold));
    expect(parseQuery(`${"skole ".repeat(100)}klima`).words.map((w) => w.typed)).toEqual(["skole", "klima"]);
  });

  it("marks matches in snippets and escapes everything else", () => {
    const html = snippet(["<b>Fallsensorer</b> varsler alarmsentralen & hjemmetjenesten."], ["sensor"]);
    expect(html).toBe("&lt;b&gt;<mark>Fallsensorer</mark>&lt;/b&gt; varsler alarmsentralen &amp; hjemmetjenesten.");
  });
});

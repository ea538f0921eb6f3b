// The lexicon's stem tables are made from the hunspell dictionaries once and
// stored; later starts read them back. Search must read every word the same
// either way, and a stored file that does not belong (made from other
// dictionaries or code, cut short, or not a table at all) is never used.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLexicon, type Lexicon } from "../../search/lexicon.ts";
import { fold } from "../../search/norwegian.ts";

const folder = mkdtempSync(join(tmpdir(), "kominn-lexicon-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * Words to ask about: every 211th word of both dictionaries, some of their
 * inflections, and compounds of neighbouring words (with and without a
 * linking -s-), all folded as search folds them.
 */
function sampleWords(): string[] {
  const require = createRequire(import.meta.url);
  const words: string[] = [];
  for (const name of ["dictionary-nb", "dictionary-nn"]) {
    const lines = readFileSync(join(dirname(require.resolve(name)), "index.dic"), "utf8").split("\n");
    for (let i = 1; i < lines.length; i += 211) {
      const word = fold(lines[i].split("/")[0].trim());
      if (!/^\p{L}{2,}$/u.test(word)) continue;
      words.push(word, `${word}en`, `${word}ene`, `${word}er`, `${word}ing`);
      const next = fold(lines[i + 1]?.split("/")[0].trim() ?? "");
      if (/^\p{L}{3,}$/u.test(next)) words.push(word + next, `${word}s${next}`);
    }
  }
  return words.concat(["vannledningsbrudd", "svommeundervisningen", "digitaliseringen", "trygghetsalarm", "fallsensorene", "xyzqwsensor"]);
}

/** Everything search asks the lexicon about a word. */
function answers(lexicon: Lexicon, words: string[]): unknown[] {
  return words.map((w) => [w, lexicon.lemmas(w), lexicon.knows(w), lexicon.isStem(w), lexicon.canCompound(w), lexicon.split(w) ?? null, lexicon.allParts(w), lexicon.compoundLemma(w) ?? null]);
}

describe("the lexicon's stored stem tables", () => {
  const words = sampleWords();
  const fromDictionaries = readLexicon({ file: false });
  const expected = answers(fromDictionaries, words);

  it("are made and stored at the first start and read back at the next, and every word reads the same", () => {
    const file = join(folder, "lexicon.bin");
    const first = readLexicon({ file });
    expect(first.stats.stored).toBe(false);
    const second = readLexicon({ file });
    expect(second.stats.stored).toBe(true);
    expect(second.stats.stems).toEqual(fromDictionaries.stats.stems);
    expect(words.length).toBeGreaterThan(10_000);
    expect(answers(second, words)).toEqual(expected);
  });

  it("are made again from the dictionaries when the stored file does not belong, and stored anew", () => {
    const file = join(folder, "lexicon-stale.bin");
    const stored = (readLexicon({ file }), readFileSync(file));
    const stale = [
      Buffer.from("not a lexicon at all"),
      stored.subarray(0, Math.floor(stored.length / 2)),
      // The same tables, but made from other dictionaries or code: another key in the header.
      Buffer.from(stored.toString("latin1").replace(/"key":"[0-9a-f]+"/, '"key":"00000000000000000000"'), "latin1"),
    ];
    const some = words.filter((_, i) => i % 25 === 0);
    const someExpected = expected.filter((_, i) => i % 25 === 0);
    for (const bytes of stale) {
      writeFileSync(file, bytes);
      const lexicon = readLexicon({ file });
      expect(lexicon.stats.stored).toBe(false);
      expect(answers(lexicon, some)).toEqual(someExpected);
      expect(readFileSync(file).equals(stored)).toBe(true);
      expect(readLexicon({ file }).stats.stored).toBe(true);
    }
  });
});

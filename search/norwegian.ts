// Norwegian as people write it, shared by both search backends so they agree:
// æ/ø/å and their ASCII spellings fold to one form, inflections stem to one
// form, and compounds ("fallsensorer") also yield their known parts
// ("fall", "sensorer") so a search for a part finds the whole.

import { fold } from "./fold.ts";
import { lexicon } from "./lexicon.ts";

export { fold };

const wordPattern = /[\p{L}\p{N}]+/gu;

/** Words of a text in their original spelling, with where they start. */
export function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(wordPattern)) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Folded words of a text. */
export function foldedWords(text: string): string[] {
  return (fold(text).match(wordPattern) ?? []) as string[];
}

// Words so common that they carry no meaning in a query (folded spelling).
const stopWords = new Set(
  (
    "og i pa til for av med som en et ei den det de er var har ha hadde at a fra om ved " +
    "eller men ikke kan skal vil ma bli blir ble vi du jeg han hun man seg sin sitt sine " +
    "hva hvordan hvor hvem hvorfor nar der her dette disse denne slik sa ogsa bare meg oss " +
    "dem deres var vart vare mer mest mange noe noen alle andre under over etter uten mot " +
    "inn ut opp ned sammen hos mellom gjennom nye nytt ny blant innen uten via per"
  ).split(" "),
);

export function isStopWord(foldedWord: string): boolean {
  return stopWords.has(foldedWord);
}

const vowels = new Set("aeiouy");

/** Start of the Snowball R1 region: after the first consonant that follows a vowel, at least 3 in. */
function r1Start(w: string): number {
  for (let i = 1; i < w.length; i++) {
    if (!vowels.has(w[i]) && vowels.has(w[i - 1])) return Math.max(3, i + 1);
  }
  return w.length;
}

const step1Suffixes = [
  "hetenes", "hetene", "hetens", "endes", "heten", "heter", "edes", "enes", "ande", "ende",
  "ede", "ane", "ene", "ens", "ers", "ets", "het", "ast", "en", "ar", "er", "as", "es", "et", "a", "e",
];
const step3Suffixes = ["hetslov", "eleg", "elig", "elov", "slov", "leg", "eig", "lig", "els", "lov", "ig"];

/**
 * A light Norwegian stemmer on folded words, following the published Snowball
 * steps (suffixes in R1; -dt/-vt; -lig/-els/…). PostgreSQL uses its own
 * `norwegian` stemmer; this one serves highlighting, decompounding and Meilisearch.
 */
export function stem(foldedWord: string): string {
  let w = foldedWord;
  if (w.length < 4 || /\d/.test(w)) return w;
  const r1 = r1Start(w);
  const inR1 = (suffix: string) => w.endsWith(suffix) && w.length - suffix.length >= r1;

  let done = false;
  for (const s of step1Suffixes) {
    if (inR1(s)) {
      w = w.slice(0, -s.length);
      done = true;
      break;
    }
  }
  if (!done) {
    if (inR1("erte")) w = w.slice(0, -2);
    else if (inR1("ert")) w = w.slice(0, -1);
    else if (inR1("s")) {
      const before = w[w.length - 2];
      const validS = "bcdfghjlmnoprtvyz".includes(before) || (before === "k" && !vowels.has(w[w.length - 3]));
      if (validS) w = w.slice(0, -1);
    }
  }
  if ((w.endsWith("dt") || w.endsWith("vt")) && w.length - 2 >= r1) w = w.slice(0, -1);
  for (const s of step3Suffixes) {
    if (w.endsWith(s) && w.length - s.length >= r1) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/**
 * Words longer than this many letters are never decompounded (nor split in
 * queries): no real compound is this long, and the work per word stays small
 * whatever a stored text holds (a 50,000-letter "word" once cost 1.5 s a hit).
 */
export const maxCompoundLength = 60;

/** Family members shorter than this are left out ("led" from "leder" would find too much), unless the dictionary marks them as compound parts ("sjø"). */
const minFamilyLength = 4;

/**
 * The parts of a compound (folded stems) at every level, from the lexicon
 * (search/lexicon.ts): "vannledningsbrudd" → vannledning, brudd, vann,
 * ledning; "velferdsteknologi" → velferd, teknologi. [] for no compound.
 */
export function compoundParts(foldedWord: string): string[] {
  if (foldedWord.length > maxCompoundLength || /\d/.test(foldedWord)) return [];
  return lexicon().allParts(foldedWord);
}

/**
 * The word family of a folded word: its lemmas and the stems it derives from
 * ("svomming" → svomme; "rekrutteringen" → rekruttering, rekruttere;
 * "digitalisering" → digitalisere, digital), without the word itself.
 */
export function family(foldedWord: string): string[] {
  if (foldedWord.length > maxCompoundLength || /\d/.test(foldedWord)) return [];
  const lex = lexicon();
  return lex
    .lemmas(foldedWord)
    .filter((l) => l !== foldedWord && (l.length >= minFamilyLength || (l.length === 3 && lex.canCompound(l))) && !isStopWord(l));
}

/** The parts of a compound as written, first to last, or undefined (for reading queries). */
export function fullSplit(foldedWord: string): string[] | undefined {
  if (foldedWord.length > maxCompoundLength || /\d/.test(foldedWord)) return undefined;
  return lexicon().split(foldedWord);
}

// Documents repeat the same words endlessly; remember each word's analysis.
const expansionCache = new Map<string, string[]>();

/** What a document word adds to the index besides itself: its family, its base form as a compound, its compound parts and their families. */
export function expansions(foldedWord: string): string[] {
  let out = expansionCache.get(foldedWord);
  if (!out) {
    const set = new Set<string>(family(foldedWord));
    const lemma = foldedWord.length <= maxCompoundLength ? lexicon().compoundLemma(foldedWord) : undefined;
    if (lemma) set.add(lemma);
    for (const part of compoundParts(foldedWord)) {
      set.add(part);
      for (const f of family(part)) set.add(f);
    }
    set.delete(foldedWord);
    out = [...set];
    if (expansionCache.size > 200_000) expansionCache.clear();
    expansionCache.set(foldedWord, out);
  }
  return out;
}

/** Every family member and compound part of every word in a text, as one space-separated string (folded). */
export function compoundText(text: string): string {
  const out = new Set<string>();
  for (const w of new Set(foldedWords(text))) for (const e of expansions(w)) out.add(e);
  return [...out].join(" ");
}

/** Folded, stemmed words: what Meilisearch indexes and how the highlighter compares. */
export function stems(text: string): string[] {
  return foldedWords(text).map(stem);
}

/**
 * One word as typed, with the ways a document may hold it: the word itself
 * first, then its family members, then its compound parts (all of which must
 * match). Any one alternative is enough.
 */
export interface QueryWord {
  typed: string;
  alternatives: string[][];
}

export interface ParsedQuery {
  /** Every folded word the query can match (for highlighting): typed words, family members, parts. */
  terms: string[];
  /** One entry per word typed, stop words removed. */
  words: QueryWord[];
  /** Quoted phrases as folded word lists (two words or more besides stop words), stop words kept. */
  phrases: string[][];
  /** True when the person typed something that is not a stop word or syntax. */
  hasContent: boolean;
}

export const maxQueryTerms = 12;
/** Family members tried per query word (the closest first). */
const maxFamily = 3;

/** The alternatives of one query word: itself, its family, its compound parts. */
export function queryWord(typed: string): QueryWord {
  const alternatives: string[][] = [[typed]];
  for (const f of family(typed).slice(0, maxFamily)) alternatives.push([f]);
  const split = fullSplit(typed);
  if (split && split.length > 1) {
    alternatives.push(split.filter((p) => !isStopWord(p)));
    // A part that is a compound itself may be written apart too: "ungdomsklubbleder" → ungdom + klubb + leder.
    const deeper = split.flatMap((p) => fullSplit(p) ?? [p]);
    if (deeper.length > split.length) alternatives.push(deeper.filter((p) => !isStopWord(p)));
  }
  return { typed, alternatives };
}

/**
 * Reads a query as people type it. Double quotes make a phrase; every other
 * character that is not a letter or digit (-, :, *, (, …) only separates words,
 * so query syntax can never reach a backend. Each word may match as typed, as
 * a member of its word family ("svømming" → "svømme"), or as its compound
 * parts ("medisindispenser" → "medisin" + "dispenser"): documents index the
 * families and parts of their words too, so this finds the compound itself,
 * its inflections and the same words written apart.
 */
export function parseQuery(q: string): ParsedQuery {
  const phrases: string[][] = [];
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  const parts = q.split('"');
  parts.forEach((part, i) => {
    const all = foldedWords(part).filter((w) => w.length <= maxCompoundLength);
    const typed = all.filter((w) => !isStopWord(w));
    const quoted = i % 2 === 1 && i < parts.length - 1;
    if (quoted && typed.length > 1) {
      // Stop words stay in a phrase: they hold the other words' distance ("ensomhet blant eldre").
      phrases.push(all.slice(0, maxQueryTerms));
      return;
    }
    for (const w of typed) {
      if (seen.has(w) || words.length >= maxQueryTerms) continue;
      seen.add(w);
      words.push(queryWord(w));
    }
  });
  const terms = [...new Set(words.flatMap((w) => w.alternatives.flat()))];
  return { terms, words, phrases: phrases.slice(0, 3), hasContent: words.length + phrases.length > 0 };
}

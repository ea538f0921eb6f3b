// Norwegian as people write it, shared by both search backends so they agree:
// æ/ø/å and their ASCII spellings fold to one form, inflections stem to one
// form, and compounds ("fallsensorer") also yield their known parts
// ("fall", "sensorer") so a search for a part finds the whole.

import { compoundVocabulary } from "./vocabulary.ts";

/**
 * Lower-cases and folds letters so "Råde", "Raade" and "Rade" are one word,
 * "næring"/"naering" and "svømming"/"svomming" likewise. The PostgreSQL and
 * Meilisearch backends both index and query only folded text.
 */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[æä]/g, "ae")
    .replace(/[øö]/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/aa/g, "a");
}

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
    "inn ut opp ned sammen hos mellom gjennom nye nytt ny"
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

const known = new Set(compoundVocabulary.map((w) => stem(fold(w))));
const minPart = 4;

function isKnown(foldedWord: string): boolean {
  return foldedWord.length >= minPart && known.has(stem(foldedWord));
}

/**
 * The known parts of a compound word (folded), longest tail first, e.g.
 * "svommeundervisningen" → ["undervisningen", "svomme"]; [] when the word is
 * not a compound of known words. A linking s or e between the parts is allowed.
 */
export function compoundParts(foldedWord: string, depth = 0): string[] {
  if (foldedWord.length < minPart * 2 - 1 || depth > 2) return [];
  for (let i = 3; i <= foldedWord.length - minPart; i++) {
    const tail = foldedWord.slice(i);
    if (!isKnown(tail)) continue;
    let head = foldedWord.slice(0, i);
    const parts = [tail];
    if (isKnown(head)) parts.push(head);
    else {
      if ((head.endsWith("s") || head.endsWith("e")) && isKnown(head.slice(0, -1))) head = head.slice(0, -1);
      if (isKnown(head)) parts.push(head);
      else parts.push(...compoundParts(head, depth + 1));
    }
    return parts;
  }
  return [];
}

/** Every compound part of every word in a text, as one space-separated string (folded). */
export function compoundText(text: string): string {
  const out: string[] = [];
  for (const w of new Set(foldedWords(text))) out.push(...compoundParts(w));
  return out.join(" ");
}

/** Folded, stemmed words: what Meilisearch indexes and how the highlighter compares. */
export function stems(text: string): string[] {
  return foldedWords(text).map(stem);
}

export interface ParsedQuery {
  /** Folded words outside quotes, stop words removed. */
  terms: string[];
  /** Quoted phrases as folded word lists (two words or more). */
  phrases: string[][];
  /** True when the person typed something that is not a stop word or syntax. */
  hasContent: boolean;
}

export const maxQueryTerms = 12;

/**
 * Reads a query as people type it. Double quotes make a phrase; every other
 * character that is not a letter or digit (-, :, *, (, …) only separates words,
 * so query syntax can never reach a backend.
 */
export function parseQuery(q: string): ParsedQuery {
  const phrases: string[][] = [];
  const terms: string[] = [];
  const parts = q.split('"');
  parts.forEach((part, i) => {
    const ws = foldedWords(part).filter((w) => !isStopWord(w));
    const quoted = i % 2 === 1 && i < parts.length - 1;
    if (quoted && ws.length > 1) phrases.push(ws.slice(0, maxQueryTerms));
    else terms.push(...ws);
  });
  const unique = [...new Set(terms)].slice(0, maxQueryTerms);
  return { terms: unique, phrases: phrases.slice(0, 3), hasContent: unique.length + phrases.length > 0 };
}

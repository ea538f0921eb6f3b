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

const known = new Set(compoundVocabulary.map((w) => fold(w)));
// Endings a known word may carry inside a compound's last part: "sensorer", "skolen".
const inflections = ["", "e", "r", "n", "t", "s", "a", "en", "er", "et", "ne", "ene", "ere", "erne", "ers", "ens", "ane"];
/** The longest last part a compound can have: a known word with its longest ending. */
const maxTail = Math.max(...[...known].map((w) => w.length)) + Math.max(...inflections.map((e) => e.length));

/**
 * Words longer than this many letters are never decompounded (nor split in
 * queries): no real compound is this long, and the work per word stays small
 * whatever a stored text holds (a 50,000-letter "word" once cost 1.5 s a hit).
 */
export const maxCompoundLength = 60;
/** Parts shorter than this must be known words on both sides ("gate|lys", "sjo|svomming"). */
const minPart = 4;

/** The known base word a (possibly inflected) word is, e.g. "malere" → "maler"; undefined if none. */
function baseWord(foldedWord: string, inflected: boolean, minLength = minPart): string | undefined {
  for (const ending of inflected ? inflections : [""]) {
    if (!foldedWord.endsWith(ending)) continue;
    const base = foldedWord.slice(0, foldedWord.length - ending.length);
    if (base.length >= minLength && known.has(base)) return base;
  }
  return undefined;
}

/** The head of a compound as a known word, allowing a linking s or e ("velferds-", "svomme-"). */
function headWord(head: string): string | undefined {
  return baseWord(head, false, 2) ?? (/[se]$/.test(head) ? baseWord(head.slice(0, -1), false, 2) : undefined);
}

/**
 * The known parts of a compound word (folded, in their base form), last part
 * first: "fallsensorer" → ["sensor", "fall"], "svommeundervisningen" →
 * ["undervisning", "svomme"]. The last part must be a known word; the first
 * part a known word too, or at least four letters ("xyzsensor" is no compound,
 * and "foreldre" does not contain "eldre"). [] when it is no such compound.
 */
export function compoundParts(foldedWord: string, depth = 0): string[] {
  if (foldedWord.length < 5 || foldedWord.length > maxCompoundLength || depth > 2) return [];
  // A last part longer than maxTail is never known: start where it can be.
  for (let i = Math.max(2, foldedWord.length - maxTail); i <= foldedWord.length - 3; i++) {
    const head = foldedWord.slice(0, i);
    const knownHead = headWord(head);
    const tail = baseWord(foldedWord.slice(i), depth === 0, knownHead ? 3 : minPart);
    if (!tail) continue;
    if (knownHead) return [tail, knownHead];
    if (head.length < minPart) continue;
    return [tail, ...compoundParts(head, depth + 1)];
  }
  return [];
}

/** The parts of a word made entirely of known words, else undefined (for reading queries). */
export function fullSplit(foldedWord: string, depth = 0): string[] | undefined {
  // A word in the vocabulary stays whole: "elbil" is not "el" + "bil".
  if (foldedWord.length < 5 || foldedWord.length > maxCompoundLength || depth > 2) return undefined;
  if (depth === 0 && baseWord(foldedWord, true)) return undefined;
  for (let i = Math.max(2, foldedWord.length - maxTail); i <= foldedWord.length - 3; i++) {
    const head = foldedWord.slice(0, i);
    const knownHead = headWord(head);
    const tail = baseWord(foldedWord.slice(i), depth === 0, knownHead ? 3 : minPart);
    if (!tail) continue;
    if (knownHead) return [knownHead, tail];
    const rest = head.length >= minPart ? fullSplit(head, depth + 1) : undefined;
    if (rest) return [...rest, tail];
  }
  return undefined;
}

// Documents repeat the same words endlessly; remember each word's parts.
const partsCache = new Map<string, string[]>();

function cachedParts(foldedWord: string): string[] {
  let parts = partsCache.get(foldedWord);
  if (!parts) {
    parts = compoundParts(foldedWord);
    if (partsCache.size > 200_000) partsCache.clear();
    partsCache.set(foldedWord, parts);
  }
  return parts;
}

/** Every compound part of every word in a text, as one space-separated string (folded). */
export function compoundText(text: string): string {
  const out: string[] = [];
  for (const w of new Set(foldedWords(text))) out.push(...cachedParts(w));
  return out.join(" ");
}

/** Folded, stemmed words: what Meilisearch indexes and how the highlighter compares. */
export function stems(text: string): string[] {
  return foldedWords(text).map(stem);
}

export interface ParsedQuery {
  /** Folded words outside quotes, stop words removed, compounds as their parts. */
  terms: string[];
  /** The same, one group per word typed: the parts of a compound always go together. */
  groups: string[][];
  /** Quoted phrases as folded word lists (two words or more). */
  phrases: string[][];
  /** True when the person typed something that is not a stop word or syntax. */
  hasContent: boolean;
}

export const maxQueryTerms = 12;

/**
 * Reads a query as people type it. Double quotes make a phrase; every other
 * character that is not a letter or digit (-, :, *, (, …) only separates words,
 * so query syntax can never reach a backend. A compound made only of known
 * words becomes its parts ("medisindispenser" → "medisin" + "dispenser"):
 * documents index the parts of their compounds too, so this finds the compound
 * itself and the same words written apart.
 */
export function parseQuery(q: string): ParsedQuery {
  const phrases: string[][] = [];
  const groups: string[][] = [];
  const seen = new Set<string>();
  const parts = q.split('"');
  parts.forEach((part, i) => {
    const typed = foldedWords(part).filter((w) => !isStopWord(w));
    const quoted = i % 2 === 1 && i < parts.length - 1;
    if (quoted && typed.length > 1) {
      phrases.push(typed.flatMap((w) => fullSplit(w) ?? [w]).slice(0, maxQueryTerms));
      return;
    }
    for (const w of typed) {
      if (seen.has(w) || groups.length >= maxQueryTerms) continue;
      seen.add(w);
      groups.push(fullSplit(w) ?? [w]);
    }
  });
  const terms = [...new Set(groups.flat())];
  return { terms, groups, phrases: phrases.slice(0, 3), hasContent: terms.length + phrases.length > 0 };
}

// The Norwegian lexicon search analyses words with: the hunspell dictionaries
// of the spell-norwegian project for bokmål and nynorsk (npm `dictionary-nb`,
// `dictionary-nn`; the same source as Debian's hunspell-no). From them come
//   - lemmas: "sjøen" → "sjø", "sensorer" → "sensor", and the derivations the
//     dictionary itself encodes ("svømming" → "svømme", "rekruttering" →
//     "rekruttere"; -isere verbs lead back to their base: "digitalisere" → "digital");
//   - compound parts: any word made of dictionary words, with the linking
//     letters -s- and -e- ("vannledningsbrudd" → "vannledning" + "brudd",
//     then "vann" + "ledning").
// Read once per process, lazily, with our own small reader of the .aff/.dic
// format (suffix rules only; prefixes are left to compound splitting).
// Everything here works on folded words (see fold in norwegian.ts), so
// "svommeundervisning" is read like "svømmeundervisning".
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";

/** Folding as in norwegian.ts (kept here so the lexicon has no cycle with it), one pass for the common letters. */
function foldWord(word: string): string {
  const lower = word.toLowerCase();
  let out = "";
  for (const c of lower) {
    if (c >= "a" && c <= "z") out += c;
    else if (c === "æ" || c === "ä") out += "ae";
    else if (c === "ø" || c === "ö") out += "o";
    else if (c === "å") out += "a";
    else out += c.normalize("NFD").replace(/\p{M}/gu, "");
  }
  return out.includes("aa") ? out.replace(/aa/g, "a") : out;
}

/** One character of a hunspell condition class, folded to one letter ("æ" ends in "e"). */
const foldClassChar = (c: string) => (c === "æ" || c === "ä" ? "e" : c === "ø" || c === "ö" ? "o" : c === "å" ? "a" : c);

interface SuffixRule {
  flag: string;
  strip: string;
  condition: RegExp | undefined;
}

/**
 * The stems of a dictionary and their flags, compact: every stem in one
 * string, with offsets, an index into the distinct flag strings, and an
 * open-addressing hash table of stem numbers. About a tenth of the heap a
 * Map of half a million strings takes, and a lookup allocates nothing.
 * Built by StemTableBuilder straight from the .dic lines, so no Map of the
 * whole dictionary is ever made (V8 would keep the memory it grew to).
 */
class StemTable {
  readonly #text: string;
  readonly #offsets: Int32Array;
  readonly #flagIndex: Uint16Array;
  readonly #flagList: string[];
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(text: string, offsets: Int32Array, flagIndex: Uint16Array, flagList: string[], slots: Int32Array) {
    this.#text = text;
    this.#offsets = offsets;
    this.#flagIndex = flagIndex;
    this.#flagList = flagList;
    this.#slots = slots;
    this.#mask = slots.length - 1;
  }

  get size(): number {
    return this.#flagIndex.length;
  }

  /** The bytes the table keeps (a string of one-byte letters, counted as one byte a letter). */
  get bytes(): number {
    const flags = this.#flagList.reduce((n, f) => n + f.length, 0);
    return this.#text.length + flags + this.#offsets.byteLength + this.#flagIndex.byteLength + this.#slots.byteLength;
  }

  #find(stem: string): number {
    let slot = hash(stem) & this.#mask;
    for (;;) {
      const i = this.#slots[slot];
      if (i === -1) return -1;
      const start = this.#offsets[i];
      if (this.#offsets[i + 1] - start === stem.length && this.#text.startsWith(stem, start)) return i;
      slot = (slot + 1) & this.#mask;
    }
  }

  has(stem: string): boolean {
    return this.#find(stem) !== -1;
  }

  /** The stem's flags ("" for none), or undefined for no such stem. */
  get(stem: string): string | undefined {
    const i = this.#find(stem);
    return i === -1 ? undefined : this.#flagList[this.#flagIndex[i]];
  }
}

/** FNV-1a over the UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Collects stems in first-seen order into typed arrays (the flags of a stem
 * listed twice are joined, as hunspell reads them), then makes the table.
 */
class StemTableBuilder {
  #chars: Uint16Array<ArrayBuffer>;
  #length = 0;
  #offsets: Int32Array<ArrayBuffer>;
  #flagNumbers: Int32Array<ArrayBuffer>;
  #count = 0;
  #slots: Int32Array<ArrayBuffer>;
  readonly #flagIds = new Map<string, number>();
  readonly #flags: string[] = [];

  /** Sized for the expected number of stems and letters, so that the arrays seldom grow (each growth leaves garbage behind). */
  constructor(stems: number, chars: number) {
    this.#chars = new Uint16Array(Math.max(16, chars));
    this.#offsets = new Int32Array(Math.max(16, stems + 1));
    this.#flagNumbers = new Int32Array(Math.max(16, stems + 1));
    let size = 16;
    while (size < stems * 2) size <<= 1;
    this.#slots = new Int32Array(size).fill(-1);
  }

  #flagId(flags: string): number {
    let n = this.#flagIds.get(flags);
    if (n === undefined) {
      n = this.#flags.length;
      this.#flags.push(flags);
      this.#flagIds.set(flags, n);
    }
    return n;
  }

  #equals(i: number, stem: string): boolean {
    const start = this.#offsets[i];
    if (this.#offsets[i + 1] - start !== stem.length) return false;
    for (let k = 0; k < stem.length; k++) if (this.#chars[start + k] !== stem.charCodeAt(k)) return false;
    return true;
  }

  add(stem: string, flags: string): void {
    const mask = this.#slots.length - 1;
    let slot = hash(stem) & mask;
    for (;;) {
      const i = this.#slots[slot];
      if (i === -1) break;
      if (this.#equals(i, stem)) {
        if (flags !== "") this.#flagNumbers[i] = this.#flagId(this.#flags[this.#flagNumbers[i]] + flags);
        return;
      }
      slot = (slot + 1) & mask;
    }
    const i = this.#count++;
    if (this.#count + 1 > this.#offsets.length) {
      this.#offsets = grow(this.#offsets, this.#offsets.length * 2);
      this.#flagNumbers = grow(this.#flagNumbers, this.#flagNumbers.length * 2);
    }
    while (this.#length + stem.length > this.#chars.length) this.#chars = grow(this.#chars, this.#chars.length * 2);
    for (let k = 0; k < stem.length; k++) this.#chars[this.#length + k] = stem.charCodeAt(k);
    this.#offsets[i] = this.#length;
    this.#length += stem.length;
    this.#offsets[i + 1] = this.#length;
    this.#flagNumbers[i] = this.#flagId(flags);
    this.#slots[slot] = i;
    if (this.#count * 2 > this.#slots.length) this.#slots = this.#slotsFor(this.#slots.length * 2);
  }

  /** A hash table of stems 0..count-1, inserted in order, in `size` slots. */
  #slotsFor(size: number): Int32Array<ArrayBuffer> {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0; i < this.#count; i++) {
      let h = 0x811c9dc5;
      for (let k = this.#offsets[i]; k < this.#offsets[i + 1]; k++) h = Math.imul(h ^ this.#chars[k], 0x01000193);
      let slot = (h >>> 0) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    return slots;
  }

  build(): StemTable {
    const count = this.#count;
    // Only the flag strings stems end with, numbered in stem order.
    const renumber = new Map<number, number>();
    const flagList: string[] = [];
    const flagIndex = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      let n = renumber.get(this.#flagNumbers[i]);
      if (n === undefined) {
        n = flagList.length;
        if (n > 0xffff) throw new Error("too many distinct flag sets in the dictionary");
        flagList.push(this.#flags[this.#flagNumbers[i]]);
        renumber.set(this.#flagNumbers[i], n);
      }
      flagIndex[i] = n;
    }
    let size = 1;
    while (size < count * 1.4) size <<= 1;
    const pieces: string[] = [];
    for (let at = 0; at < this.#length; at += 8192) {
      pieces.push(String.fromCharCode(...this.#chars.subarray(at, Math.min(at + 8192, this.#length))));
    }
    return new StemTable(pieces.join(""), this.#offsets.slice(0, count + 1), flagIndex, flagList, this.#slotsFor(size));
  }
}

function grow<T extends Uint16Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** One hunspell dictionary (one written standard), folded. */
class Dictionary {
  /** Stem → its flags. */
  readonly stems: StemTable;
  /** Added ending → the rules that add it. */
  readonly #rules = new Map<string, SuffixRule[]>();
  #longestEnding = 0;
  compoundFlag = "";

  constructor(aff: string, dic: string) {
    for (const line of aff.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[0] === "COMPOUNDFLAG") this.compoundFlag = f[1] ?? "";
      if (f[0] !== "SFX" || f.length < 5) continue;
      const [, flag, stripRaw, addRaw, conditionRaw] = f;
      const strip = stripRaw === "0" ? "" : foldWord(stripRaw);
      const add = addRaw === "0" ? "" : foldWord(addRaw.split("/")[0]);
      const condition = conditionRaw === "." ? undefined : conditionOf(conditionRaw);
      const list = this.#rules.get(add) ?? [];
      list.push({ flag, strip, condition });
      this.#rules.set(add, list);
      this.#longestEnding = Math.max(this.#longestEnding, add.length);
    }
    // Line by line without splitting the file: the first line is the count.
    let lineCount = 0;
    for (let at = dic.indexOf("\n"); at !== -1; at = dic.indexOf("\n", at + 1)) lineCount++;
    const stems = new StemTableBuilder(lineCount + 1, dic.length);
    for (let start = dic.indexOf("\n") + 1; start > 0 && start < dic.length; ) {
      const end = dic.indexOf("\n", start);
      const line = dic.slice(start, end === -1 ? dic.length : end).split(/\s/)[0];
      start = end === -1 ? dic.length : end + 1;
      if (!line) continue;
      const slash = line.indexOf("/");
      const word = slash === -1 ? line : line.slice(0, slash);
      if (!/^[\p{L}]+$/u.test(word)) continue;
      stems.add(foldWord(word), slash === -1 ? "" : line.slice(slash + 1));
    }
    this.stems = stems.build();
  }

  /** The stems a form can be read as (the form itself if it is a stem). */
  analyse(form: string, out: Set<string>): void {
    if (this.stems.has(form)) out.add(form);
    const longest = Math.min(this.#longestEnding, form.length - 2);
    for (let k = 1; k <= longest; k++) {
      const rules = this.#rules.get(form.slice(form.length - k));
      if (!rules) continue;
      const base = form.slice(0, form.length - k);
      for (const r of rules) {
        const stem = base + r.strip;
        const flags = this.stems.get(stem);
        if (flags === undefined || !flags.includes(r.flag)) continue;
        if (r.condition && !r.condition.test(stem)) continue;
        out.add(stem);
      }
    }
  }

  canCompound(stem: string): boolean {
    return this.compoundFlag !== "" && (this.stems.get(stem)?.includes(this.compoundFlag) ?? false);
  }
}

/** A hunspell condition ("[^aeiouyøå]e") as a regular expression on the end of a folded stem. */
function conditionOf(raw: string): RegExp | undefined {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "[") {
      const close = raw.indexOf("]", i);
      if (close === -1) return undefined;
      const body = raw.slice(i + 1, close);
      const negated = body.startsWith("^");
      const chars = [...(negated ? body.slice(1) : body)].map(foldClassChar).join("").replace(/[\\\]^-]/g, "\\$&");
      out += `[${negated ? "^" : ""}${chars}]`;
      i = close;
    } else if (c === ".") out += ".";
    else out += foldWord(c).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${out}$`);
}

/**
 * The words a stem may derive from by the productive Norwegian suffixes
 * (checked against the dictionary by the caller): -isere/-ere verbs to their
 * base ("digitalisere" → "digital"), -het nouns to their adjective
 * ("ensomhet" → "ensom"), -ing/-ning/-else nouns to their verb ("svømming" →
 * "svømme", "forebyggelse" → "forebygge"), -asjon nouns to their -ere verb
 * ("integrasjon" → "integrere").
 */
function derivedFrom(stem: string): string[] {
  const out: string[] = [];
  if (stem.endsWith("isere")) out.push(stem.slice(0, -5));
  else if (stem.endsWith("ere")) out.push(stem.slice(0, -3), stem.slice(0, -4));
  if (stem.endsWith("het") && stem.length >= 6) out.push(stem.slice(0, -3));
  if (stem.endsWith("ning") && stem.length >= 7) out.push(`${stem.slice(0, -4)}e`, `${stem.slice(0, -4)}ne`);
  else if (stem.endsWith("ing") && stem.length >= 6) out.push(`${stem.slice(0, -3)}e`, stem.slice(0, -3));
  if (stem.endsWith("else") && stem.length >= 7) out.push(`${stem.slice(0, -4)}e`);
  if (stem.endsWith("asjon") && stem.length >= 8) out.push(`${stem.slice(0, -5)}ere`);
  return out;
}

/** Words that are never a compound part, though the dictionary has them (folded). */
const notParts = new Set(
  (
    "og i pa til for av med som en et ei den det de er var har ha at a fra om ved eller men ikke kan skal vil ma " +
    "bli ble vi du jeg han hun man seg sin sitt sine hva der her slik sa bare meg oss dem mer mest noe noen alle " +
    "andre under over etter uten mot inn ut opp ned hos mellom nye nytt ny blant innen via per samt ens sam til " +
    "fore mange ene enn ans ing ende isk lig het else ning"
  ).split(" "),
);

export interface LexiconStats {
  /** Stems per written standard. */
  stems: { nb: number; nn: number };
  loadMs: number;
  /** Growth of the JavaScript heap while loading (bytes; includes garbage the collector has not taken yet). */
  heapBytes: number;
  /** The bytes the stem tables keep once loaded (what stays on the heap besides the small affix rules). */
  retainedBytes: number;
}

const maxWordLength = 60;

/** Bokmål and nynorsk read together. */
export class Lexicon {
  readonly #dictionaries: Dictionary[];
  readonly stats: LexiconStats;
  readonly #lemmaCache = new Map<string, string[]>();
  readonly #splitCache = new Map<string, string[] | null>();
  readonly #compoundLemmas = new Map<string, string>();

  constructor(dictionaries: Dictionary[], stats: LexiconStats) {
    this.#dictionaries = dictionaries;
    this.stats = stats;
  }

  /** True if the folded word is a dictionary word in any form. */
  knows(word: string): boolean {
    return this.lemmas(word).length > 0;
  }

  isStem(word: string): boolean {
    return this.#dictionaries.some((d) => d.stems.has(word));
  }

  /**
   * The dictionary stems a folded form belongs to, the form itself first if it
   * is one: inflections and the derivations the dictionary encodes, plus one
   * step back from an -isere verb to its base ("digitaliseringen" →
   * "digitalisering", "digitalisere", "digital"). [] if unknown.
   */
  lemmas(form: string): string[] {
    let cached = this.#lemmaCache.get(form);
    if (cached) return cached;
    const out = new Set<string>();
    if (form.length >= 2 && form.length <= maxWordLength) {
      for (const d of this.#dictionaries) d.analyse(form, out);
      // One step along the common derivations, where the dictionary has both words.
      for (const stem of [...out]) {
        for (const base of derivedFrom(stem)) if (base.length >= 3 && this.isStem(base)) out.add(base);
      }
    }
    cached = [...out].sort((a, b) => (a === form ? -1 : b === form ? 1 : a.length - b.length));
    if (this.#lemmaCache.size > 200_000) this.#lemmaCache.clear();
    this.#lemmaCache.set(form, cached);
    return cached;
  }

  /** A stem that may stand first in a compound: four letters or more, or three with the dictionary's compound flag. */
  /** True if the dictionary marks the stem as a compound part (hunspell's COMPOUNDFLAG). */
  canCompound(stem: string): boolean {
    return this.#canCompound(stem);
  }

  #canCompound(stem: string): boolean {
    return this.#dictionaries.some((d) => d.canCompound(stem));
  }

  /**
   * A stem that may stand in a compound: four letters or more, or three
   * with the dictionary's compound flag ("sjø", "mat").
   */
  #partStem(part: string): boolean {
    if (part.length < 3 || notParts.has(part) || !this.isStem(part)) return false;
    return part.length >= 4 || this.#canCompound(part);
  }

  /** A first part as written: a stem, or a stem with a linking -s- or -e- ("velferds-" → "velferd"). */
  #head(written: string): string | undefined {
    // A linking -s- goes ("saks-" → "sak", "velferds-" → "velferd"); a final -e- is usually the word's own ("skole-").
    const stripped = written.slice(0, -1);
    if (written.endsWith("s") && stripped.length >= 3 && this.#partStem(stripped)) return stripped;
    if (this.#partStem(written)) return written;
    if (written.endsWith("e") && this.#partStem(stripped)) return stripped;
    return undefined;
  }

  /** The last part: any form of a dictionary word (four letters or more, or three with the compound flag). Returns its lemma. */
  #tail(written: string): string | undefined {
    if (written.length < 3 || notParts.has(written)) return undefined;
    const lemmas = this.lemmas(written).filter((l) => !notParts.has(l) && (l.length >= 4 || (l.length === 3 && this.#canCompound(l))));
    return lemmas.length ? (lemmas.includes(written) ? written : lemmas[lemmas.length - 1]) : undefined;
  }

  /** Splits a run of first parts ("ungdomsklubb" in "ungdomsklubbleder") into stems; fewest parts first. */
  #heads(written: string, depth: number): string[] | undefined {
    const whole = this.#head(written);
    if (whole) return [whole];
    if (depth >= 3) return undefined;
    for (let i = written.length - 3; i >= 3; i--) {
      const last = this.#head(written.slice(i));
      if (!last) continue;
      const rest = this.#heads(written.slice(0, i), depth + 1);
      if (rest) return [...rest, last];
    }
    return undefined;
  }

  /**
   * The parts of a compound as stems, first to last, with the fewest parts
   * and, among those, the longest last part ("vannledningsbrudd" →
   * ["vannledning", "brudd"]); undefined if the word is no compound of
   * dictionary words. Parts are stems of four letters or more (three with the
   * compound flag), never function words. A word the dictionary knows whole
   * is split only if one of its parts carries the compound flag, so
   * "trygghetsalarm" is trygghet + alarm but "sentral" stays whole.
   */
  split(word: string): string[] | undefined {
    const cached = this.#splitCache.get(word);
    if (cached !== undefined) return cached ?? undefined;
    let best: string[] | undefined;
    let bestLemma: string | undefined;
    if (word.length >= 6 && word.length <= maxWordLength && /^\p{L}+$/u.test(word)) {
      const known = this.lemmas(word).some((l) => this.isStem(l));
      for (let i = 3; i <= word.length - 3; i++) {
        const tail = this.#tail(word.slice(i));
        if (!tail) continue;
        const heads = this.#heads(word.slice(0, i), 0);
        if (!heads) continue;
        const parts = [...heads, tail];
        if (known && !parts.some((p) => this.#canCompound(p))) continue;
        if (!best || parts.length < best.length) {
          best = parts;
          bestLemma = word.slice(0, i) + tail;
        }
        if (best.length === 2) break;
      }
    }
    if (this.#splitCache.size > 200_000) {
      this.#splitCache.clear();
      this.#compoundLemmas.clear();
    }
    this.#splitCache.set(word, best ?? null);
    if (bestLemma && bestLemma !== word) this.#compoundLemmas.set(word, bestLemma);
    return best;
  }

  /** A compound in its base form, its first parts as written: "fallsensorene" → "fallsensor". */
  compoundLemma(word: string): string | undefined {
    this.split(word);
    return this.#compoundLemmas.get(word);
  }

  /** The stems of a run of first parts of a compound ("grendehus" → ["grendehus"], "ungdomsklubb" → ["ungdom", "klubb"]). */
  firstParts(written: string): string[] | undefined {
    return written.length >= 3 && written.length <= maxWordLength ? this.#heads(written, 0) : undefined;
  }

  /** Every part at every level: "vannledningsbrudd" → vannledning, brudd, vann, ledning. */
  allParts(word: string): string[] {
    const out: string[] = [];
    const walk = (w: string, depth: number) => {
      const parts = this.split(w);
      if (!parts) return;
      for (const p of parts) {
        if (out.includes(p)) continue;
        out.push(p);
        if (depth < 3) walk(p, depth + 1);
      }
    };
    walk(word, 0);
    return out;
  }
}

let loaded: Lexicon | undefined;

const require = createRequire(import.meta.url);
/** Where the dictionaries are: the npm packages' own folders. */
const dictionaryFolders = { nb: dirname(require.resolve("dictionary-nb")), nn: dirname(require.resolve("dictionary-nn")) };

/** The lexicon, read on first use (a few seconds; about 15 MB stay on the heap; see bench/search.ts). */
export function lexicon(): Lexicon {
  if (loaded) return loaded;
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const read = (folder: string) =>
    new Dictionary(readFileSync(join(folder, "index.aff"), "utf8"), readFileSync(join(folder, "index.dic"), "utf8"));
  const nb = read(dictionaryFolders.nb);
  const nn = read(dictionaryFolders.nn);
  loaded = new Lexicon([nb, nn], {
    stems: { nb: nb.stems.size, nn: nn.stems.size },
    loadMs: Math.round(performance.now() - started),
    heapBytes: Math.max(0, process.memoryUsage().heapUsed - heapBefore),
    retainedBytes: nb.stems.bytes + nn.stems.bytes,
  });
  return loaded;
}

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
// format (suffix rules only; prefixes are left to compound splitting). The
// stem tables made from the .dic files are stored (node_modules/.cache/kominn,
// see core/cache-dir.ts) and read back at the next start: tens of milliseconds
// and no passing hundred MB, which the process's RSS would keep.
// Everything here works on folded words (see fold in norwegian.ts), so
// "svommeundervisning" is read like "svømmeundervisning".
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { cacheDir } from "../core/cache-dir.ts";
import { fold } from "./fold.ts";

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

  /** What the stored table file holds (see writeTables). */
  get parts(): StemTableParts {
    return { text: this.#text, offsets: this.#offsets, flagIndex: this.#flagIndex, flagList: this.#flagList, slots: this.#slots };
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

interface StemTableParts {
  text: string;
  offsets: Int32Array;
  flagIndex: Uint16Array;
  flagList: string[];
  slots: Int32Array;
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

/** The stems of a .dic text and their flags, read line by line without splitting the file (the first line is the count). */
function stemsOf(dic: string): StemTable {
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
    stems.add(fold(word), slash === -1 ? "" : line.slice(slash + 1));
  }
  return stems.build();
}

/** One hunspell dictionary (one written standard), folded. */
class Dictionary {
  /** Stem → its flags. */
  readonly stems: StemTable;
  /** Added ending → the rules that add it. */
  readonly #rules = new Map<string, SuffixRule[]>();
  #longestEnding = 0;
  compoundFlag = "";

  /** The suffix rules from the .aff text; the stems made from the .dic text (stemsOf) or read from the stored file. */
  constructor(aff: string, stems: StemTable) {
    for (const line of aff.split("\n")) {
      const f = line.trim().split(/\s+/);
      if (f[0] === "COMPOUNDFLAG") this.compoundFlag = f[1] ?? "";
      if (f[0] !== "SFX" || f.length < 5) continue;
      const [, flag, stripRaw, addRaw, conditionRaw] = f;
      const strip = stripRaw === "0" ? "" : fold(stripRaw);
      const add = addRaw === "0" ? "" : fold(addRaw.split("/")[0]);
      const condition = conditionRaw === "." ? undefined : conditionOf(conditionRaw);
      const list = this.#rules.get(add) ?? [];
      list.push({ flag, strip, condition });
      this.#rules.set(add, list);
      this.#longestEnding = Math.max(this.#longestEnding, add.length);
    }
    this.stems = stems;
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
    else out += fold(c).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
  /** True if the stem tables came from the stored file, false if they were made from the dictionaries. */
  stored: boolean;
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

/**
 * What the stem tables are made from: this file's code and both dictionaries (their versions and
 * the sizes of their files). A stored table with another key is stale and is made again.
 */
function tablesKey(): string {
  const hash = createHash("sha256").update(readFileSync(fileURLToPath(import.meta.url)));
  for (const folder of Object.values(dictionaryFolders)) {
    const { version } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { version: string };
    hash.update(`\0${version}\0${statSync(join(folder, "index.aff")).size}\0${statSync(join(folder, "index.dic")).size}`);
  }
  return hash.digest("hex").slice(0, 20);
}

// The stored stem tables: "KOMINNLX" and a little-endian u32 header length, a JSON header, then for
// each dictionary its stem letters (latin1 when every letter fits in a byte, else UTF-16LE),
// offsets (i32), flag numbers (u16) and hash slots (i32), each section starting at a multiple of 8.
const magic = "KOMINNLX";
interface StoredHeader {
  key: string;
  tables: { textBytes: number; latin1: boolean; count: number; slots: number; flagList: string[] }[];
}

const align8 = (n: number) => (n + 7) & ~7;

/** The stem tables as one file's bytes. */
function encodeTables(key: string, tables: StemTable[]): Buffer {
  const sections: Buffer[] = [];
  const header: StoredHeader = { key, tables: [] };
  for (const table of tables) {
    const { text, offsets, flagIndex, flagList, slots } = table.parts;
    const latin1 = !/[^\u0000-\u00ff]/.test(text);
    const textBytes = Buffer.from(text, latin1 ? "latin1" : "utf16le");
    header.tables.push({ textBytes: textBytes.length, latin1, count: flagIndex.length, slots: slots.length, flagList });
    for (const bytes of [textBytes, Buffer.from(offsets.buffer, offsets.byteOffset, offsets.byteLength), Buffer.from(flagIndex.buffer, flagIndex.byteOffset, flagIndex.byteLength), Buffer.from(slots.buffer, slots.byteOffset, slots.byteLength)]) {
      sections.push(bytes, Buffer.alloc(align8(bytes.length) - bytes.length));
    }
  }
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const head = Buffer.alloc(align8(magic.length + 4 + json.length));
  head.write(magic, 0, "latin1");
  head.writeUInt32LE(json.length, magic.length);
  json.copy(head, magic.length + 4);
  return Buffer.concat([head, ...sections]);
}

/** The stem tables from a stored file's bytes, or undefined if the file is not one made with this key (or is cut short). */
function decodeTables(bytes: Buffer, key: string): StemTable[] | undefined {
  if (bytes.length < magic.length + 4 || bytes.toString("latin1", 0, magic.length) !== magic) return undefined;
  const jsonLength = bytes.readUInt32LE(magic.length);
  let header: StoredHeader;
  try {
    header = JSON.parse(bytes.toString("utf8", magic.length + 4, magic.length + 4 + jsonLength)) as StoredHeader;
  } catch {
    return undefined;
  }
  if (header.key !== key) return undefined;
  let at = align8(magic.length + 4 + jsonLength);
  /** The next section, copied into its own buffer (so the file's bytes can go). */
  const take = (length: number) => {
    if (at + length > bytes.length) throw new RangeError("stored lexicon cut short");
    const section = new Uint8Array(length);
    section.set(bytes.subarray(at, at + length));
    at = align8(at + length);
    return section.buffer;
  };
  try {
    return header.tables.map((t) => {
      const text = bytes.toString(t.latin1 ? "latin1" : "utf16le", at, at + t.textBytes);
      if (at + t.textBytes > bytes.length) throw new RangeError("stored lexicon cut short");
      at = align8(at + t.textBytes);
      const offsets = new Int32Array(take((t.count + 1) * 4));
      const flagIndex = new Uint16Array(take(t.count * 2));
      const slots = new Int32Array(take(t.slots * 4));
      return new StemTable(text, offsets, flagIndex, t.flagList, slots);
    });
  } catch {
    return undefined;
  }
}

/** Writes the file whole or not at all (a reader never sees half of it), and removes stored tables of other keys. */
function storeTables(file: string, bytes: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
    for (const name of readdirSync(dirname(file))) {
      if (name.startsWith("lexicon-") && join(dirname(file), name) !== file && !name.endsWith(".partial")) rmSync(join(dirname(file), name), { force: true });
    }
  } catch {
    // A read-only installation: the tables are made in memory at every start instead.
  }
}

/**
 * Reads the lexicon: the stem tables from the stored file when it was made from the same
 * dictionaries and code, else from the dictionaries (about a second and a hundred MB of passing
 * memory), then stored for the next start. `file: false` never reads or writes a stored file.
 */
export function readLexicon(options: { file?: string | false } = {}): Lexicon {
  const started = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const key = tablesKey();
  const file = options.file === undefined ? join(cacheDir, `lexicon-${key}.bin`) : options.file;
  const affs = [dictionaryFolders.nb, dictionaryFolders.nn].map((folder) => readFileSync(join(folder, "index.aff"), "utf8"));
  let tables: StemTable[] | undefined;
  let stored = false;
  if (file) {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(file);
    } catch {
      // not made yet
    }
    tables = bytes && decodeTables(bytes, key);
    stored = tables !== undefined;
  }
  if (!tables) {
    tables = [dictionaryFolders.nb, dictionaryFolders.nn].map((folder) => stemsOf(readFileSync(join(folder, "index.dic"), "utf8")));
    if (file) storeTables(file, encodeTables(key, tables));
  }
  const [nb, nn] = [new Dictionary(affs[0], tables[0]), new Dictionary(affs[1], tables[1])];
  return new Lexicon([nb, nn], {
    stems: { nb: nb.stems.size, nn: nn.stems.size },
    loadMs: Math.round(performance.now() - started),
    heapBytes: Math.max(0, process.memoryUsage().heapUsed - heapBefore),
    retainedBytes: nb.stems.bytes + nn.stems.bytes,
    stored,
  });
}

/** The lexicon, read on first use (from the stored stem tables: tens of ms; about 15 MB stay; see bench/search.ts). */
export function lexicon(): Lexicon {
  loaded ??= readLexicon();
  return loaded;
}

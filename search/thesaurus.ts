// Umbrella terms and synonyms for search.
//   - Umbrella terms (search/umbrella-terms.txt, plus the file an
//     administrator names in KOMINN_SEARCH_TERMS_FILE): a project that
//     mentions a narrower term ("fallsensor") is indexed with its umbrella
//     ("velferdsteknologi"), so a reindex applies changes on every backend.
//   - Synonyms from the LibreOffice/Debian Norwegian thesaurus (`mythes-no`,
//     /usr/share/mythes/th_{nb,nn}_NO_v2.dat): at query time a word also
//     matches the single-word synonyms that list it back in the same sense
//     (mutual pairs only: "kurs" and "vei" share a sense one way only).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fold, foldedWords, isStopWord, queryWord, type QueryWord } from "./norwegian.ts";

const shippedUmbrellaFile = fileURLToPath(new URL("./umbrella-terms.txt", import.meta.url));

export interface UmbrellaTerm {
  /** The umbrella as written, folded ("velferdsteknologi"). */
  term: string;
  /** Narrower terms: each a list of words, every one of which must be in the document. */
  narrower: QueryWord[][];
}

/** Reads an umbrella file: `umbrella: narrower, narrower two words, …` per line, # comments. */
export function parseUmbrellaTerms(text: string): UmbrellaTerm[] {
  const out: UmbrellaTerm[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const term = foldedWords(line.slice(0, colon)).join(" ");
    const narrower = line
      .slice(colon + 1)
      .split(",")
      .map((t) => foldedWords(t).filter((w) => !isStopWord(w)).map(queryWord))
      .filter((t) => t.length > 0);
    if (term && narrower.length) out.push({ term, narrower });
  }
  return out;
}

let extraFile: string | undefined;
let umbrellas: UmbrellaTerm[] | undefined;

/** Names the administrator's umbrella file (KOMINN_SEARCH_TERMS_FILE); it is read again at the next indexing. */
export function useUmbrellaFile(file: string | undefined): void {
  extraFile = file;
  umbrellas = undefined;
}

/** The shipped umbrella terms and the administrator's. */
export function umbrellaTerms(): UmbrellaTerm[] {
  if (!umbrellas) {
    const files = [shippedUmbrellaFile, ...(extraFile ? [extraFile] : [])];
    umbrellas = files.flatMap((f) => parseUmbrellaTerms(readFileSync(f, "utf8")));
  }
  return umbrellas;
}

/** The umbrella terms a text falls under, given the words it names (words, families and compound heads; see document.ts). */
export function umbrellasOf(documentTerms: ReadonlySet<string>): string[] {
  // The narrower term as written (the document's words bring their families): not its own family ("ytelse"
  // must not be found in "yte"), nor any compound part ("deltid" must not be found in "del" and "tid").
  const has = (w: QueryWord) => documentTerms.has(w.typed);
  return umbrellaTerms()
    .filter((u) => u.narrower.some((words) => words.every(has)))
    .map((u) => u.term);
}

// The thesaurus, read on first use.
const maxSynonyms = 4;
const thesaurusFiles = ["/usr/share/mythes/th_nb_NO_v2.dat", "/usr/share/mythes/th_nn_NO_v2.dat"];
let synonymMap: Map<string, string[]> | undefined;

function loadThesaurus(): Map<string, string[]> {
  // word → the words of every sense it is listed with.
  const senses = new Map<string, Set<string>>();
  for (const file of thesaurusFiles) {
    if (!existsSync(file)) continue;
    const lines = new TextDecoder("latin1").decode(readFileSync(file)).split("\n");
    let head: string | undefined;
    let senseLines = 0;
    for (const line of lines.slice(1)) {
      const f = line.split("|");
      if (senseLines === 0) {
        // "word|number of senses", then that many lines "(class)|synonym|synonym…".
        head = /^[\p{L}]+$/u.test(f[0]) ? fold(f[0]) : undefined;
        senseLines = Number(f[1]) || 0;
        continue;
      }
      senseLines--;
      if (!head) continue;
      const set = senses.get(head) ?? new Set<string>();
      for (const w of f.slice(1)) if (/^[\p{L}]+$/u.test(w.trim())) set.add(fold(w.trim()));
      set.delete(head);
      senses.set(head, set);
    }
  }
  // Mutual pairs, closest first: the more of their synonyms two words share, the nearer their senses.
  const mutual = new Map<string, string[]>();
  for (const [word, set] of senses) {
    const scored: { s: string; score: number }[] = [];
    for (const s of set) {
      const other = senses.get(s);
      if (!other?.has(word) || isStopWord(s) || s.length < 4) continue;
      let shared = 0;
      for (const x of other) if (set.has(x)) shared++;
      scored.push({ s, score: shared / (set.size + other.size - shared) });
    }
    scored.sort((a, b) => b.score - a.score || a.s.localeCompare(b.s));
    if (scored.length) mutual.set(word, scored.slice(0, maxSynonyms).map((x) => x.s));
  }
  return mutual;
}

/** Whether the thesaurus files are installed (they ship with the image and CI; without them search has no synonyms). */
export function hasThesaurus(): boolean {
  return thesaurusFiles.some((f) => existsSync(f));
}

/** Mutual single-word synonyms of a folded word, at most a few. */
export function synonymsOf(foldedWord: string): string[] {
  synonymMap ??= loadThesaurus();
  return synonymMap.get(foldedWord) ?? [];
}

/** The thesaurus size (bench). */
export function thesaurusSize(): number {
  synonymMap ??= loadThesaurus();
  return synonymMap.size;
}

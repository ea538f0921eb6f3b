// Search by problem: a pasted description of a floke or behov (a few
// sentences, up to 20,000 characters) read with the same analysis as a query,
// reduced to the few words that say most about it: stop words out, each word
// weighted by how often the text uses it and how rare it is in the index
// (tf × idf, document counts from `search_terms`), words in a quarter or more
// of all projects dropped, at most `maxProblemTerms` kept. The backend then
// ranks projects by how many of those words they match, and how well.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.ts";
import { lexicon } from "./lexicon.ts";
import { foldedWords, isStopWord, queryWord, type QueryWord } from "./norwegian.ts";

/** The longest description read; the rest is ignored. */
export const maxProblemLength = 20_000;
/** Words kept from a description. */
export const maxProblemTerms = 10;
/** Distinct words weighed (the most frequent first). */
const maxCandidates = 200;

/** The words that characterise a description, best first; [] when it holds nothing searchable. */
export async function problemTerms(db: Db, text: string, documentCount: number): Promise<QueryWord[]> {
  const counts = new Map<string, number>();
  for (const w of foldedWords(text.slice(0, maxProblemLength))) {
    if (w.length < 3 || w.length > 40 || /\d/.test(w) || isStopWord(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const candidates = [...counts]
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)
    .slice(0, maxCandidates);
  if (candidates.length === 0) return [];
  const known = new Map(
    rowsOf<{ word: string; doc_count: number }>(
      await db.execute(
        sql`select word, doc_count from search_terms where word in (select jsonb_array_elements_text(${JSON.stringify(candidates.map(([w]) => w))}::jsonb))`,
      ),
    ).map((r) => [r.word, Number(r.doc_count)]),
  );
  const n = Math.max(1, documentCount);
  const lex = lexicon();
  const weighted: { word: string; weight: number }[] = [];
  for (const [word, tf] of candidates) {
    let df = known.get(word);
    // Not in the index as written: still worth a try if the lexicon reads it (its family or parts may be).
    if (df === undefined) {
      if (!lex.knows(word) && !lex.split(word)) continue;
      df = 1;
    }
    if (df > n / 4) continue;
    weighted.push({ word, weight: (1 + Math.log(tf)) * Math.log((n + 1) / (df + 1)) });
  }
  return weighted
    .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word))
    .slice(0, maxProblemTerms)
    .map((w) => queryWord(w.word));
}

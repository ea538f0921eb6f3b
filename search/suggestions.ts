// "Mente du …?": words seen in indexed documents, matched by trigram
// similarity (pg_trgm) against query words that found nothing. The same table
// serves both backends, so suggestions agree, and is what typo correction
// (typos.ts) corrects to: the words as written in the texts, and the folded
// words only the analysed text holds (labels, partners, families, parts,
// umbrella terms), shown as written once a text writes them.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.ts";
import type { SearchDocument } from "./backend.ts";
import { fold, isStopWord, words } from "./norwegian.ts";

const minLength = 4;
const maxLength = 40;
/** Words taken from one document: an ordinary project has a few hundred; a wall of random words adds no good suggestion. */
const maxWordsPerDocument = 1_000;
/** Rows per insert: each costs a trigram index update, and PGlite runs in this thread. */
const rowsPerStatement = 250;

/** Adds the words of a batch of documents to the suggestion vocabulary. */
export async function recordTerms(db: Db, documents: SearchDocument[]): Promise<void> {
  const seen = new Map<string, { display: string; docs: number }>();
  for (const d of documents) {
    const inDoc = new Set<string>();
    for (const text of [d.title, d.summary, d.floke, d.behov, d.description, d.lessons]) {
      for (const { word } of words(text)) {
        if (inDoc.size >= maxWordsPerDocument) break;
        if (word.length < minLength || word.length > maxLength || /\d/.test(word)) continue;
        const folded = fold(word);
        if (isStopWord(folded) || inDoc.has(folded)) continue;
        inDoc.add(folded);
        const entry = seen.get(folded);
        if (entry) {
          entry.docs++;
          entry.display = entry.display === folded ? word.toLowerCase() : entry.display;
        } else seen.set(folded, { display: word.toLowerCase(), docs: 1 });
      }
    }
    // The words only the analysed text holds (taxonomy labels, partners, contacts' roles, word families,
    // compound parts, umbrella terms; folded): a misspelling of them is corrected too ("velferdsteknolgi").
    // They count no documents: the counts are how often texts use a word (search by problem weighs by them).
    for (const text of [d.searchText.title, d.searchText.main, d.searchText.rest]) {
      for (const { word: folded } of words(text)) {
        if (inDoc.size >= maxWordsPerDocument) break;
        if (folded.length < minLength || folded.length > maxLength || /\d/.test(folded)) continue;
        if (isStopWord(folded) || inDoc.has(folded)) continue;
        inDoc.add(folded);
        if (!seen.has(folded)) seen.set(folded, { display: folded, docs: 0 });
      }
    }
  }
  const rows = [...seen].map(([word, e]) => ({ word, display: e.display, docs: e.docs }));
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    await db.execute(sql`
      insert into search_terms (word, display, doc_count)
      select x.word, x.display, x.docs
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + rowsPerStatement))}::jsonb) as x(word text, display text, docs int)
      on conflict (word) do update set doc_count = search_terms.doc_count + excluded.doc_count,
        display = case when search_terms.display = search_terms.word then excluded.display else search_terms.display end`);
  }
}

/**
 * A corrected query when some words are unknown and a close known word
 * exists, e.g. "svømmeundervisnig" → "svømmeundervisning"; else undefined.
 */
export async function suggestQuery(db: Db, query: string): Promise<string | undefined> {
  const parts = words(query).filter((w) => w.word.length >= minLength && w.word.length <= maxLength);
  if (parts.length === 0 || parts.length > 8) return undefined;
  const folded = parts.map((p) => fold(p.word));
  const known = new Set(
    rowsOf<{ word: string }>(
      await db.execute(sql`select word from search_terms where word in (select jsonb_array_elements_text(${JSON.stringify(folded)}::jsonb))`),
    ).map((r) => r.word),
  );
  const unknown = folded.filter((w) => !known.has(w));
  if (unknown.length === 0) return undefined;
  const rows = rowsOf<{ w: string; display: string | null }>(
    await db.execute(sql`
      select q.w, s.display
      from jsonb_array_elements_text(${JSON.stringify(unknown)}::jsonb) as q(w)
      left join lateral (
        select t.display from search_terms t
        where t.word % q.w
        order by similarity(t.word, q.w) desc, t.doc_count desc
        limit 1
      ) s on true`),
  );
  let changed = false;
  let out = query;
  // Replace from the end so earlier offsets stay valid.
  for (let i = parts.length - 1; i >= 0; i--) {
    const row = rows.find((r) => r.w === folded[i]);
    if (!row?.display) continue;
    out = out.slice(0, parts[i].start) + row.display + out.slice(parts[i].end);
    changed = true;
  }
  return changed ? out.trim() : undefined;
}

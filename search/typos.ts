// Typo tolerance in results: a query word the index does not hold also
// matches the index's words within one edit (5–8 letters) or two (9 and
// more), the rule Meilisearch uses. The words come from `search_terms`, the
// vocabulary of every indexed document (found by trigram similarity, then
// measured exactly here); a compound whose last part is misspelt is mended
// against the lexicon ("vannledningsbrud" → "vannledning" + "brudd"). The
// service does this before any backend sees the query, so PostgreSQL, PGlite
// and Meilisearch all get the same corrected alternatives; an exact match
// still ranks above a corrected one (see the backends).
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.ts";
import { lexicon } from "./lexicon.ts";
import { isStopWord, type QueryWord } from "./norwegian.ts";
import { synonymsOf } from "./thesaurus.ts";

/** Edits allowed for a word of this length: none below 5 letters. */
export function allowedEdits(length: number): number {
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/** Optimal string alignment distance (an adjacent swap is one edit), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
      best = Math.min(best, d);
    }
    if (i > 0 && best > max) return max + 1;
  }
  return rows[a.length][b.length];
}

const letters = "abcdefghijklmnopqrstuvwxyz";

/** Every string one edit away (folded letters). */
function oneEditAway(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of letters) {
      out.add(head + c + tail);
      if (tail) out.add(head + c + tail.slice(1));
    }
  }
  out.delete(word);
  return out;
}

/** Corrections kept per word: the closest, then the most common. */
const maxCorrections = 3;
/** Words looked up per query; the rest stay as typed. */
const maxFuzzyWords = 6;
const maxCandidates = 30;

/**
 * A misspelt compound mended with the lexicon: either the parts before the
 * last are dictionary words and the last part is one edit from one
 * ("grendehusutlie" → grendehus + utleie), or the first part is one edit from
 * a dictionary word and the rest are words ("vanledningsbrudd" → vann +
 * ledning + brudd; "trygghetalarm" → trygghet + alarm, a linking -s- left
 * out). Undefined when no single mend exists.
 */
function mendCompound(word: string): string[] | undefined {
  const lex = lexicon();
  const lemmaOf = (w: string) => {
    const lemmas = lex.lemmas(w);
    return lemmas.length ? (lemmas.includes(w) ? w : lemmas[0]) : undefined;
  };
  for (let i = 3; i <= word.length - 4; i++) {
    const head = lex.firstParts(word.slice(0, i));
    if (!head?.length) continue;
    const tail = word.slice(i);
    for (const candidate of oneEditAway(tail)) {
      if (candidate.length < 4 || isStopWord(candidate)) continue;
      const lemma = lemmaOf(candidate);
      if (lemma) return [...head, lemma];
    }
  }
  // The typo in a modifier: the rest, from some point, is a word or a compound of words.
  for (let i = word.length - 4; i >= 4; i--) {
    const rest = word.slice(i);
    const restParts = lex.split(rest) ?? (lemmaOf(rest) && rest.length >= 4 ? [lemmaOf(rest)!] : undefined);
    if (!restParts) continue;
    const written = word.slice(0, i);
    for (const candidate of oneEditAway(written)) {
      if (candidate.length < 4) continue;
      const head = lex.firstParts(candidate);
      if (head?.length) return [...head, ...restParts];
    }
  }
  return undefined;
}

/**
 * The query words with corrections added as further alternatives, for words
 * of five letters or more that no indexed document holds as written: index
 * words within the allowed edits, a mended compound, and the word's synonyms.
 */
export async function withCorrections(db: Db, words: QueryWord[]): Promise<QueryWord[]> {
  const open = words.filter((w) => allowedEdits(w.typed.length) > 0 && /^\p{L}+$/u.test(w.typed)).slice(0, maxFuzzyWords);
  if (open.length === 0) return words;
  // Most words are in the index as typed: one lookup by key settles them, and only the rest are looked for nearby.
  const known = new Set(
    rowsOf<{ word: string }>(
      await db.execute(sql`select word from search_terms where word in (select jsonb_array_elements_text(${JSON.stringify(open.map((w) => w.typed))}::jsonb))`),
    ).map((r) => r.word),
  );
  const typed = open.map((w) => w.typed).filter((w) => !known.has(w));
  if (typed.length === 0) return words;
  // Short words share too few trigrams with their misspelling ("elbli", "elbil"): every string one edit
  // away is looked up by key instead, and those the index holds are candidates too. Synonyms are looked up
  // the same way, with how many documents hold them.
  const near = typed.filter((w) => allowedEdits(w.length) === 1).flatMap((w) => [...oneEditAway(w)].filter((v) => v.length >= 4).map((v) => [w, v] as const));
  const synonyms = new Map(typed.map((w) => [w, synonymsOf(w)]));
  const byKey = [...new Set([...near.map(([, v]) => v), ...[...synonyms.values()].flat()])];
  const [rows, held] = await db.transaction(async (tx) => {
    // Both settings in one round trip (`set_config(…, true)` is `set local`); both lookups under the timeout.
    await tx.execute(sql`select set_config('statement_timeout', '2s', true), set_config('pg_trgm.similarity_threshold', '0.25', true)`);
    const similar = rowsOf<{ w: string; word: string | null; docs: number | null }>(
      await tx.execute(sql`
        select q.w, c.word, c.doc_count as docs
        from jsonb_array_elements_text(${JSON.stringify(typed)}::jsonb) as q(w)
        left join lateral (
          select t.word, t.doc_count from search_terms t
          where t.word % q.w and t.word <> q.w
          order by similarity(t.word, q.w) desc, t.doc_count desc
          limit ${maxCandidates}
        ) c on true`),
    );
    const counts = byKey.length
      ? rowsOf<{ word: string; doc_count: number }>(
          await tx.execute(sql`select word, doc_count from search_terms where word in (select jsonb_array_elements_text(${JSON.stringify(byKey)}::jsonb))`),
        )
      : [];
    return [similar, new Map(counts.map((r) => [r.word, Number(r.doc_count)]))] as const;
  });
  for (const [w, v] of near) if (held.has(v) && !rows.some((r) => r.w === w && r.word === v)) rows.push({ w, word: v, docs: held.get(v)! });
  const corrections = new Map<string, string[][]>();
  for (const w of typed) {
    const max = allowedEdits(w.length);
    const close = rows
      .filter((r) => r.w === w && r.word)
      .map((r) => ({ word: r.word!, docs: Number(r.docs ?? 0), distance: editDistance(w, r.word!, max) }))
      .filter((c) => c.distance <= max)
      .sort((a, b) => a.distance - b.distance || b.docs - a.docs)
      .slice(0, maxCorrections)
      .map((c) => [c.word]);
    const lex = lexicon();
    if (!lex.knows(w) && !lex.split(w)) {
      // Words of the lexicon one edit away (its families are in the index even when the word is not),
      // or a compound of lexicon words one edit away, else one whose last part is.
      const seen = new Set(close.map((c) => c.join(" ")));
      for (const v of oneEditAway(w)) {
        if (close.length >= maxCorrections + 2) break;
        if (v.length < 4 || isStopWord(v) || seen.has(v)) continue;
        const split = lex.knows(v) ? undefined : lex.split(v);
        const parts = lex.knows(v) ? [v] : split?.length === 2 && split.every((p) => p.length >= 4) ? split : undefined;
        if (parts) close.push(parts);
      }
      // Mended as a compound even when the index has near words: those may be other words ("vannlekasje"
      // is vann + lekkasje, though no text holds "vannlekkasje" whole).
      const mended = mendCompound(w);
      if (mended) close.push(mended);
    }
    // A word the index does not hold may have a synonym it does (thesaurus; see thesaurus.ts). Tried
    // only then (on the development set, synonyms for every word cost more than they found), and only
    // the most specific: a thesaurus lists every sense, and the common words among them ("rask" for
    // "søppel") are the other senses.
    const [specific] = (synonyms.get(w) ?? []).filter((x) => held.has(x)).sort((a, b) => held.get(a)! - held.get(b)!);
    if (specific) close.push([specific]);
    if (close.length) corrections.set(w, close);
  }
  if (corrections.size === 0) return words;
  return words.map((w) => {
    const extra = corrections.get(w.typed);
    return extra ? { typed: w.typed, alternatives: [...w.alternatives, ...extra] } : w;
  });
}

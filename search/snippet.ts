// Highlighted snippets, made here rather than by a backend so both backends
// show the same thing: the passage with most query words, words marked <mark>.
//
// The work per hit is bounded whatever a stored text holds: only the first
// `snippetScanWords` words of each text are looked at, each word's analysis is
// bounded (norwegian.ts leaves giant words whole), and a giant word or gap is
// shortened in the passage shown.
import { escapeHtml } from "../core/html.ts";
import { compoundParts, fold, maxCompoundLength, stem } from "./norwegian.ts";

const windowWords = 28;
/** Only the first this many words of each text are searched for the best passage. */
export const snippetScanWords = 1_500;
/** A longer word is shown cut, with "…". */
const maxShownWord = maxCompoundLength;
/** A longer run of spaces or punctuation between two words is shown as " … ". */
const maxShownGap = 20;
/** Distinct words remembered per matcher (one search). */
const maxRemembered = 20_000;

const wordPattern = /[\p{L}\p{N}]+/gu;

interface Word {
  start: number;
  end: number;
}

/** The first `limit` words of a text, and whether that is all of them. */
function firstWords(text: string, limit: number): { ws: Word[]; complete: boolean } {
  const ws: Word[] = [];
  for (const m of text.matchAll(wordPattern)) {
    if (ws.length === limit) return { ws, complete: false };
    ws.push({ start: m.index, end: m.index + m[0].length });
  }
  return { ws, complete: true };
}

/** A matcher for document words: same stem as a query word, or a compound containing one. */
export function queryMatcher(queryWords: string[]): (word: string) => string | undefined {
  const wanted = new Set(queryWords.map(stem));
  // Documents repeat their words, and the hits of one search share many.
  const seen = new Map<string, string | undefined>();
  const analyse = (f: string): string | undefined => {
    const s = stem(f);
    if (wanted.has(s)) return s;
    for (const part of compoundParts(f)) {
      const ps = stem(part);
      if (wanted.has(ps)) return ps;
    }
    return undefined;
  };
  return (word) => {
    if (word.length > maxCompoundLength) return analyse(fold(word));
    if (seen.has(word)) return seen.get(word);
    const result = analyse(fold(word));
    if (seen.size >= maxRemembered) seen.clear();
    seen.set(word, result);
    return result;
  };
}

/**
 * HTML (escaped text with <mark> around matches) of the best passage among
 * the given texts, or the start of the first text when nothing matches.
 * Pass a matcher from `queryMatcher` to share its memory across the hits of one search.
 */
export function snippet(
  texts: string[],
  queryWords: string[],
  match: (word: string) => string | undefined = queryMatcher(queryWords),
): string {
  const candidates = texts.filter((t) => t.trim() !== "");
  if (candidates.length === 0) return "";
  const wanted = new Set(queryWords.map(stem)).size;
  let best: { text: string; ws: Word[]; complete: boolean; hits: (string | undefined)[]; from: number; score: number } | undefined;
  for (const text of queryWords.length ? candidates : []) {
    const { ws, complete } = firstWords(text, snippetScanWords);
    const hits = ws.map((w) => match(text.slice(w.start, w.end)));
    // Slide a window over the words, counting the distinct query words in it.
    const inWindow = new Map<string, number>();
    const add = (h: string | undefined) => h && inWindow.set(h, (inWindow.get(h) ?? 0) + 1);
    const remove = (h: string | undefined) => {
      if (!h) return;
      const n = inWindow.get(h)! - 1;
      if (n === 0) inWindow.delete(h);
      else inWindow.set(h, n);
    };
    for (let i = 0; i < Math.min(windowWords, hits.length); i++) add(hits[i]);
    const lastFrom = Math.max(1, ws.length - windowWords + 1);
    for (let from = 0; from < lastFrom; from++) {
      if (from > 0) {
        remove(hits[from - 1]);
        add(hits[from + windowWords - 1]);
      }
      const distinct = inWindow.size;
      if (distinct === 0 || (best && distinct <= best.score)) continue;
      // Start three words before the window's first match, keeping its last.
      let first = -1;
      let last = -1;
      for (let i = from; i < Math.min(from + windowWords, hits.length); i++) {
        if (!hits[i]) continue;
        if (first < 0) first = i;
        last = i;
      }
      best = { text, ws, complete, hits, from: Math.max(0, Math.min(first - 3, last - windowWords + 1)), score: distinct };
      if (distinct === wanted) break;
    }
    if (best?.score === wanted) break;
  }
  const text = best?.text ?? candidates[0];
  const { ws, complete } = best ?? firstWords(text, windowWords);
  if (ws.length === 0) return escapeHtml(text.slice(0, 200));
  const from = best?.from ?? 0;
  const to = Math.min(ws.length, from + windowWords);
  const start = from === 0 ? 0 : ws[from].start;
  const end = to === ws.length && complete ? text.length : ws[to - 1].end;
  let out = start > 0 ? "… " : "";
  let cursor = start;
  for (let i = from; i < to; i++) {
    out += gap(text.slice(cursor, ws[i].start));
    const w = shown(text.slice(ws[i].start, ws[i].end));
    out += best?.hits[i] ? `<mark>${w}</mark>` : w;
    cursor = ws[i].end;
  }
  out += gap(text.slice(cursor, end));
  if (end < text.trimEnd().length) out += " …";
  return out;
}

function shown(word: string): string {
  if (word.length <= maxShownWord) return escapeHtml(word);
  // Whole code points only: a cut never leaves half a surrogate pair.
  return `${escapeHtml(Array.from(word.slice(0, 2 * maxShownWord)).slice(0, maxShownWord).join(""))}…`;
}

function gap(between: string): string {
  return between.length > maxShownGap ? " … " : escapeHtml(between);
}

// Highlighted snippets, made here rather than by a backend so both backends
// show the same thing: the passage with most query words, words marked <mark>.
import { escapeHtml } from "../web/html.ts";
import { compoundParts, fold, stem, words } from "./norwegian.ts";

const windowWords = 28;

/** A matcher for document words: same stem as a query word, or a compound containing one. */
export function queryMatcher(queryWords: string[]): (word: string) => string | undefined {
  const wanted = new Set(queryWords.map(stem));
  return (word) => {
    const f = fold(word);
    const s = stem(f);
    if (wanted.has(s)) return s;
    for (const part of compoundParts(f)) {
      const ps = stem(part);
      if (wanted.has(ps)) return ps;
    }
    return undefined;
  };
}

/**
 * HTML (escaped text with <mark> around matches) of the best passage among
 * the given texts, or the start of the first text when nothing matches.
 */
export function snippet(texts: string[], queryWords: string[]): string {
  const candidates = texts.filter((t) => t.trim() !== "");
  if (candidates.length === 0) return "";
  const match = queryMatcher(queryWords);
  let best: { text: string; from: number; marks: Set<number>; score: number } | undefined;
  for (const text of queryWords.length ? candidates : []) {
    const ws = words(text);
    const hits = ws.map((w) => match(w.word));
    for (let from = 0; from < Math.max(1, ws.length - windowWords + 1); from++) {
      const window = hits.slice(from, from + windowWords);
      const distinct = new Set(window.filter(Boolean)).size;
      if (distinct === 0) continue;
      if (!best || distinct > best.score) {
        const marks = new Set<number>();
        window.forEach((h, i) => h && marks.add(from + i));
        best = { text, from: Math.max(0, from - (from > 0 ? 3 : 0)), marks, score: distinct };
      }
      if (best.score === new Set(queryWords.map(stem)).size) break;
    }
  }
  const text = best?.text ?? candidates[0];
  const ws = words(text);
  const from = best?.from ?? 0;
  const to = Math.min(ws.length, from + windowWords);
  if (ws.length === 0) return escapeHtml(text.slice(0, 200));
  const start = from === 0 ? 0 : ws[from].start;
  const end = to === ws.length ? text.length : ws[to - 1].end;
  let out = start > 0 ? "… " : "";
  let cursor = start;
  for (let i = from; i < to; i++) {
    out += escapeHtml(text.slice(cursor, ws[i].start));
    const w = escapeHtml(text.slice(ws[i].start, ws[i].end));
    out += best?.marks.has(i) ? `<mark>${w}</mark>` : w;
    cursor = ws[i].end;
  }
  out += escapeHtml(text.slice(cursor, end));
  if (end < text.trimEnd().length) out += " …";
  return out;
}

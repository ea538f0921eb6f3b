// Recall@10 and MRR of a search function over a relevance set, overall and by query kind.
import { buildCorpus, type CorpusProject, type QueryKind } from "../fixtures/search-corpus.ts";

export interface QueryScore {
  q: string;
  kind: string;
  recall: number;
  reciprocalRank: number;
  top: string[];
}

export interface KindScore {
  kind: string;
  count: number;
  recallAt10: number;
  mrr: number;
}

export interface RelevanceReport {
  recallAt10: number;
  mrr: number;
  queries: QueryScore[];
  byKind: KindScore[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export async function evaluate(
  corpus: CorpusProject[],
  relevanceQueries: readonly { q: string; kind: QueryKind | string; expect: string[] }[],
  search: (q: string, kind: string) => Promise<string[]>,
): Promise<RelevanceReport> {
  const themeOf = new Map(corpus.map((p) => [p.id, p.theme]));
  const queries: QueryScore[] = [];
  for (const { q, kind, expect } of relevanceQueries) {
    const expected = new Set(corpus.filter((p) => expect.includes(p.theme)).map((p) => p.id));
    const top = (await search(q, kind)).slice(0, 10);
    const found = top.filter((id) => expected.has(id)).length;
    const firstRight = top.findIndex((id) => expected.has(id));
    queries.push({
      q,
      kind,
      recall: expected.size ? found / Math.min(10, expected.size) : 0,
      reciprocalRank: firstRight === -1 ? 0 : 1 / (firstRight + 1),
      top: top.map((id) => themeOf.get(id) ?? id),
    });
  }
  const kinds = [...new Set(queries.map((s) => s.kind))];
  const byKind = kinds.map((kind) => {
    const of = queries.filter((s) => s.kind === kind);
    return { kind, count: of.length, recallAt10: mean(of.map((s) => s.recall)), mrr: mean(of.map((s) => s.reciprocalRank)) };
  });
  return { recallAt10: mean(queries.map((s) => s.recall)), mrr: mean(queries.map((s) => s.reciprocalRank)), queries, byKind };
}

/** A table by kind and the totals, for the test output. */
export function kindTable(title: string, report: RelevanceReport): string {
  const rows = report.byKind.map(
    (k) => `  ${k.kind.padEnd(18)} ${k.recallAt10.toFixed(3).padStart(9)} ${k.mrr.toFixed(3).padStart(7)} ${String(k.count).padStart(6)}`,
  );
  return [
    title,
    `  ${"kind".padEnd(18)} ${"recall@10".padStart(9)} ${"MRR".padStart(7)} ${"count".padStart(6)}`,
    ...rows,
    `  ${"all".padEnd(18)} ${report.recallAt10.toFixed(3).padStart(9)} ${report.mrr.toFixed(3).padStart(7)} ${String(report.queries.length).padStart(6)}`,
  ].join("\n");
}

export { buildCorpus };

// Recall@10 and MRR of a search function over the relevance set.
import { buildCorpus, relevanceQueries, type CorpusProject } from "../fixtures/search-corpus.ts";

export interface QueryScore {
  q: string;
  recall: number;
  reciprocalRank: number;
  top: string[];
}

export interface RelevanceReport {
  recallAt10: number;
  mrr: number;
  queries: QueryScore[];
}

export async function evaluate(
  corpus: CorpusProject[],
  search: (q: string) => Promise<string[]>,
): Promise<RelevanceReport> {
  const themeOf = new Map(corpus.map((p) => [p.id, p.theme]));
  const queries: QueryScore[] = [];
  for (const { q, expect } of relevanceQueries) {
    const expected = new Set(corpus.filter((p) => expect.includes(p.theme)).map((p) => p.id));
    const top = (await search(q)).slice(0, 10);
    const found = top.filter((id) => expected.has(id)).length;
    const firstRight = top.findIndex((id) => expected.has(id));
    queries.push({
      q,
      recall: found / Math.min(10, expected.size),
      reciprocalRank: firstRight === -1 ? 0 : 1 / (firstRight + 1),
      top: top.map((id) => themeOf.get(id) ?? id),
    });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { recallAt10: mean(queries.map((s) => s.recall)), mrr: mean(queries.map((s) => s.reciprocalRank)), queries };
}

export { buildCorpus };

// The relevance set: 56 Norwegian queries over a fixed corpus of 324 projects
// (tests/fixtures/search-corpus.ts). Prints recall@10 and MRR per backend and
// fails if recall@10 falls below 0.9 on any of them: PostgreSQL full-text on
// PGlite always, on PostgreSQL with TEST_DATABASE_URL, Meilisearch with MEILI_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchDocument } from "../../search/document.ts";
import { defaultRegions } from "../../core/regions.ts";
import { relevanceQueries } from "../fixtures/search-corpus.ts";
import { backendFactories, type BackendUnderTest } from "../contract/backends.ts";
import { buildCorpus, evaluate } from "./relevance.ts";

const corpus = buildCorpus();

describe.each(backendFactories)("relevance on $name", (factory) => {
  let b: BackendUnderTest;
  beforeAll(async () => {
    b = await factory.start();
    await b.load(corpus, corpus.map((p) => searchDocument(p, defaultRegions, 0)));
  });
  afterAll(() => b?.close());

  it(`has recall@10 ≥ 0.9 over ${relevanceQueries.length} queries and ${corpus.length} projects`, async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(relevanceQueries.length).toBeGreaterThanOrEqual(40);
    const report = await evaluate(corpus, async (q) =>
      (await b.service.search({ q, scope: "all", filters: {}, page: 1, perPage: 10 })).hits.map((h) => h.id),
    );
    const weak = report.queries.filter((s) => s.recall < 1).map((s) => `  ${s.q}: recall ${s.recall.toFixed(2)}, RR ${s.reciprocalRank.toFixed(2)}`);
    console.log(
      `[relevance] ${factory.name}: recall@10 = ${report.recallAt10.toFixed(3)}, MRR = ${report.mrr.toFixed(3)} ` +
        `(${relevanceQueries.length} queries, ${corpus.length} projects)\n${weak.join("\n")}`,
    );
    expect(report.recallAt10, `recall@10 on ${factory.name}`).toBeGreaterThanOrEqual(0.9);
  });
});

if (!backendFactories.some((f) => f.kind === "meilisearch")) {
  describe("relevance on meilisearch", () => {
    it.skip("skipped: MEILI_URL is not set (set MEILI_URL, and MEILI_MASTER_KEY if the server needs one, to run it)", () => {});
  });
}

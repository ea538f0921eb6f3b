// The held-out relevance set is big enough, covers every query kind, and only
// names projects that exist. Never prints the queries: they must stay unseen
// by whoever tunes the search.
import { describe, expect, it } from "vitest";
import { projectCreateSchema } from "../../core/project.ts";
import { heldoutCorpus, heldoutQueries, queryKinds } from "../fixtures/search-heldout.ts";

describe("held-out search relevance set", () => {
  const corpus = heldoutCorpus();
  const keys = corpus.map((p) => p.theme);

  it("has at least 80 projects with unique keys and ids", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(corpus.map((p) => p.id)).size).toBe(corpus.length);
  });

  it("has at least 50 queries and at least 5 of every kind", () => {
    expect(heldoutQueries.length).toBeGreaterThanOrEqual(50);
    const thin = queryKinds.filter((k) => heldoutQueries.filter((q) => q.kind === k).length < 5);
    expect(thin, "kinds with fewer than 5 queries").toEqual([]);
    const unknownKinds = heldoutQueries.filter((q) => !queryKinds.includes(q.kind)).length;
    expect(unknownKinds, "queries with an unknown kind").toBe(0);
  });

  it("expects only projects that exist, and at least one per query", () => {
    const known = new Set(keys);
    // Counts only, so a failure never shows a query.
    const empty = heldoutQueries.filter((q) => q.expect.length === 0).length;
    const dangling = heldoutQueries.flatMap((q) => q.expect).filter((k) => !known.has(k));
    expect(empty, "queries without an expected project").toBe(0);
    expect(dangling, "expected keys that name no project").toEqual([]);
  });

  it("holds only projects the product accepts", () => {
    const refused = corpus
      .map((p) => {
        const { title, summary, description, floke, behov, phase, serviceAreas, innovationTypes, methods, partners } = p;
        const r = projectCreateSchema.safeParse({
          title, summary, description, floke, behov, phase, serviceAreas, innovationTypes, methods, partners,
          lessons: p.lessons, seekingPartners: p.seekingPartners, n3Stage: p.n3Stage,
        });
        return r.success ? null : `${p.theme}: ${r.error.issues.map((i) => i.path.join(".")).join(", ")}`;
      })
      .filter((x) => x !== null);
    expect(refused).toEqual([]);
    for (const p of corpus) {
      expect(p.municipality.kommunenummer, p.theme).toMatch(/^\d{4}$/);
      expect(p.municipality.fylke, p.theme).not.toBe("");
    }
  });
});

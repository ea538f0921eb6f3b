// Similar ideas and the projects that may already answer one, for staff
// answering an idea: ideas compared with the search's own Norwegian analysis
// (folded, stemmed words, stop words out), projects found by the project
// search read as a problem description (here and in followed municipalities).
import { isStopWord, stems } from "../../search/norwegian.ts";
import type { SearchService } from "../../search/service.ts";
import type { IdeaRow } from "../../db/schema-ideas.ts";

function termsOf(idea: Pick<IdeaRow, "title" | "problem" | "proposal">): Set<string> {
  return new Set(stems(`${idea.title} ${idea.title} ${idea.problem} ${idea.proposal}`.slice(0, 20_000)).filter((w) => w.length >= 3 && !isStopWord(w)));
}

/** The ideas sharing most words with `idea` (Jaccard overlap of their analysed words), best first. */
export function similarIdeas(idea: IdeaRow, others: readonly IdeaRow[], limit = 5): IdeaRow[] {
  const mine = termsOf(idea);
  if (mine.size === 0) return [];
  return others
    .filter((o) => o.id !== idea.id && !o.mergedInto)
    .map((o) => {
      const theirs = termsOf(o);
      let shared = 0;
      for (const w of theirs) if (mine.has(w)) shared++;
      return { o, score: shared / (mine.size + theirs.size - shared || 1), shared };
    })
    .filter((x) => x.shared >= 2 && x.score >= 0.12)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((x) => x.o);
}

/** Projects (ours and those we follow) that address the idea's problem. */
export async function projectsForIdea(search: SearchService, idea: IdeaRow, limit = 5) {
  const answer = await search.search({
    q: `${idea.title}\n${idea.problem}\n${idea.proposal}`.slice(0, 20_000),
    mode: "problem",
    scope: "all",
    filters: {},
    page: 1,
    perPage: limit,
  });
  return answer.hits.map((h) => ({ title: h.title, path: h.path, municipality: h.municipality.name }));
}

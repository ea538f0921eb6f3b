import type { Project } from "../core/project.ts";
import { fylkeOf, regionsOf, type Region } from "../core/regions.ts";
import { practiceScore, type SearchDocument } from "./backend.ts";
import { compoundText, fold } from "./norwegian.ts";

/**
 * Markdown to plain words for indexing and snippets (the HTML is never indexed).
 * Linear in the text's length: link text and targets never span another
 * opening bracket, and targets hold at most one level of parentheses
 * ("…/Foo_(bar)"), so no character is scanned twice (an open "[" repeated
 * 50,000 times once took 1.8 s).
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\][]*\]\((?:[^()]|\([^()]*\))*\)/g, " ")
    .replace(/\[([^\][]*)\]\((?:[^()]|\([^()]*\))*\)/g, "$1")
    .replace(/[#*_`>|~]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The search document of a public project; the same for every backend. */
export function searchDocument(project: Project, regions: readonly Region[], imitationCount: number): SearchDocument {
  const description = plainText(project.description);
  const lessons = [project.lessons, project.lessonsFailed].filter(Boolean).join(" ");
  const hasRealisedBenefits = project.realisedBenefits.length > 0;
  const m = project.municipality;
  const fylke = fylkeOf(m.kommunenummer, m.fylke);
  const main = [project.summary, project.floke, project.behov, m.name].join(" ");
  const rest = [description, lessons].join(" ");
  return {
    id: project.id,
    url: project.url,
    title: project.title,
    summary: project.summary,
    floke: project.floke,
    behov: project.behov,
    description,
    lessons,
    municipality: {
      name: m.name,
      handle: m.handle,
      kommunenummer: m.kommunenummer,
      fylke: fylke?.slug ?? null,
      regions: regionsOf(regions, m.kommunenummer).map((r) => r.slug),
    },
    phase: project.phase,
    innovationTypes: project.innovationTypes,
    scale: project.scale,
    n3Stage: project.n3Stage,
    serviceAreas: project.serviceAreas,
    methods: project.methods,
    seekingPartners: project.seekingPartners,
    imitationCount,
    hasRealisedBenefits,
    practiceScore: practiceScore({ phase: project.phase, imitationCount, hasRealisedBenefits }),
    local: project.local,
    updatedAt: project.updatedAt,
    searchText: {
      title: withParts(project.title),
      main: withParts(main),
      rest: withParts(rest),
    },
  };
}

/** Folded text followed by the known parts of its compounds, so a part weighs like its field. */
function withParts(text: string): string {
  const parts = compoundText(text);
  return parts ? `${fold(text)} ${parts}` : fold(text);
}

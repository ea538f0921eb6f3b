import type { Project } from "../core/project.ts";
import { fylkeOf, regionsOf, type Region } from "../core/regions.ts";
import { practiceScore, type SearchDocument } from "./backend.ts";
import { lexicon } from "./lexicon.ts";
import { expansions, family, fold, foldedWords, fullSplit, maxCompoundLength } from "./norwegian.ts";
import { umbrellasOf } from "./thesaurus.ts";
import {
  benefitKinds,
  fundingSources,
  innovationTypes,
  labelOf,
  methods,
  municipalRoles,
  partnerTypes,
  scales,
  serviceAreas,
} from "../core/taxonomies.ts";

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
  // The labels of every taxonomy the project carries (service areas, methods,
  // innovation types, roles, scale, funding, benefits, the municipality's
  // strategic areas by their slugs' words), its partners and its contacts'
  // roles: words staff search by.
  const labels = [
    ...project.serviceAreas.map((s) => labelOf(serviceAreas, s)),
    ...project.methods.map((s) => labelOf(methods, s)),
    ...project.innovationTypes.map((s) => labelOf(innovationTypes, s)),
    ...project.municipalRoles.map((s) => labelOf(municipalRoles, s)),
    ...(project.scale ? [labelOf(scales, project.scale)] : []),
    ...project.funding.map((s) => labelOf(fundingSources, s)),
    ...[...project.plannedBenefits, ...project.realisedBenefits].map((b) => `${labelOf(benefitKinds, b.kind)} ${b.description}`),
    ...project.strategicAreas.map((s) => s.replace(/-/g, " ")),
    ...project.partners.map((p) => `${p.name} ${labelOf(partnerTypes, p.type)}`),
    ...project.contacts.map((c) => c.role),
  ].join(" ");
  const rest = [description, lessons, project.adaptation, labels].join(" ");
  const searchText = analysedTexts(project.title, main, rest);
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
    searchText,
  };
}

/**
 * The words a text counts as naming, for umbrella terms: each word, its
 * family, a compound in its base form ("fallsensorene" → fallsensor), and the head of a compound (its last part, at every level, with its
 * family): a "fallsensor" is a "sensor", "brannvernopplæring" is "opplæring";
 * a modifier is not ("deltid" is no "tid", "veileder" no "vei").
 * Words are added text by text and the set grows: adding the title, then the
 * main text, names exactly what the two together name, without reading the
 * title's words again.
 */
function namedWords(): { named: Set<string>; add(words: Iterable<string>): void } {
  const named = new Set<string>();
  const add = (w: string, depth: number) => {
    if (named.has(w)) return;
    named.add(w);
    for (const f of family(w)) named.add(f);
    const lemma = w.length <= maxCompoundLength ? lexicon().compoundLemma(w) : undefined;
    if (lemma) named.add(lemma);
    const split = depth < 3 ? fullSplit(w) : undefined;
    if (split && split.length > 1) add(split[split.length - 1], depth + 1);
  };
  return {
    named,
    add(words) {
      for (const w of words) add(w, 0);
    },
  };
}

/**
 * Each weight class as folded text followed by the families and compound
 * parts of its words (so a part weighs like its field), and the umbrella
 * terms of its words: an umbrella weighs like the field that names its
 * narrower term ("trygghetsalarm" in a title puts "velferdsteknologi" there).
 */
function analysedTexts(title: string, main: string, rest: string): SearchDocument["searchText"] {
  const out = { title: "", main: "", rest: "" };
  // Each umbrella in the first class naming a narrower term, even if a later class names the umbrella itself:
  // a class's umbrellas are those of its words and every earlier class's.
  const placed = new Set<string>();
  const naming = namedWords();
  for (const [key, text] of [["title", title], ["main", main], ["rest", rest]] as const) {
    const words = foldedWords(text);
    const extra = new Set<string>();
    for (const w of new Set(words)) {
      for (const e of expansions(w)) extra.add(e);
    }
    out[key] = extra.size ? `${fold(text)} ${[...extra].join(" ")}` : fold(text);
    naming.add(words);
    const umbrellas = umbrellasOf(naming.named).filter((u) => !placed.has(u));
    for (const u of umbrellas) placed.add(u);
    if (umbrellas.length) out[key] += ` ${umbrellas.join(" ")}`;
  }
  return out;
}

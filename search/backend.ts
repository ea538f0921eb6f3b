// The search backend interface: PostgreSQL full-text (postgres.ts, the
// default, on PGlite and on a PostgreSQL server) and Meilisearch
// (meilisearch.ts, when MEILI_URL is set). Both receive the same documents,
// already folded and decompounded by norwegian.ts, and the same parsed query.
//
// Ranking ("beste praksis"), the same intent on both backends:
//   1. Text relevance first: every query word must match (in title, summary,
//      floke, behov, description, lessons or a compound part); if no project
//      matches them all, projects matching some of them follow, most matched
//      words first. Matches in the title weigh most, then summary/floke/behov,
//      then the longer texts (a compound part weighs like the field it is in).
//   2. Then the signals of proven practice, folded into one practiceScore in
//      [0, 1] when the document is built (see practiceScore below):
//        0.45 if the project is in operation (drift) or being scaled (skalering)
//        0.35 × min(1, ln(1 + imitationCount) / ln(11))  (10 imitations = full)
//        0.20 if realised benefits are recorded
//   3. Then recency: more recently updated first.
// PostgreSQL multiplies: score = text × (1 + 0.5 × practiceScore + 0.1 × recency),
// with text = matched words + ts_rank (weights A title, B summary/floke/behov,
// C description and lessons) and recency = exp(−age in days / 365), so a
// clearly better text match still wins. Meilisearch orders by its text rules
// (words, typo, attribute, proximity), then practiceScore:desc, exactness and
// updatedAt:desc. Without query words both list by practiceScore, then updatedAt.

import type { N3Stage, Phase, Scale } from "../core/taxonomies.ts";

/** What the index holds for one public project. */
export interface SearchDocument {
  id: string;
  url: string;
  title: string;
  summary: string;
  floke: string;
  behov: string;
  description: string;
  lessons: string;
  municipality: {
    name: string;
    handle: string;
    kommunenummer: string | null;
    /** County slug, e.g. "ostfold". */
    fylke: string | null;
    /** Region slugs, e.g. ["nedre-glomma"]. */
    regions: string[];
  };
  phase: Phase;
  innovationTypes: string[];
  scale: Scale | null;
  n3Stage: N3Stage | null;
  serviceAreas: string[];
  methods: string[];
  seekingPartners: boolean;
  imitationCount: number;
  hasRealisedBenefits: boolean;
  practiceScore: number;
  local: boolean;
  updatedAt: Date;
  /** Folded text per weight class, each followed by its compound parts: what the backends match. */
  searchText: { title: string; main: string; rest: string };
}

/** Facets a search can be narrowed by and counted on. */
export const facetNames = [
  "municipality",
  "fylke",
  "region",
  "serviceArea",
  "phase",
  "innovationType",
  "scale",
  "n3Stage",
  "method",
  "seekingPartners",
  "imitated",
] as const;
export type FacetName = (typeof facetNames)[number];

/** Within one facet the values are alternatives (OR); different facets all apply (AND). */
export type SearchFilters = Partial<Record<FacetName, string[]>>;

export interface BackendQuery {
  /**
   * One entry per query word, folded: its alternatives, any of which may
   * match; an alternative lists words that must all match (a compound's
   * parts). The first alternative is the word as typed.
   */
  terms: string[][][];
  phrases: string[][];
  /**
   * "all" (the default): every query word must match, falling back to most
   * words matched when nothing has them all. "any": a problem description's
   * terms, ranked by how many match and how well.
   */
  match?: "all" | "any";
  /** Projects never to return (the project whose neighbours are wanted). */
  excludeIds?: string[];
  /** False when only the page of hits is wanted (no facet counts; total is then the hits on the page). */
  facets?: boolean;
  filters: SearchFilters;
  offset: number;
  limit: number;
}

/** One hit as a backend returns it: the document's own fields, its municipality flattened. */
export interface BackendHit
  extends Pick<
    SearchDocument,
    | "id"
    | "url"
    | "title"
    | "summary"
    | "floke"
    | "behov"
    | "description"
    | "lessons"
    | "imitationCount"
    | "seekingPartners"
    | "hasRealisedBenefits"
    | "serviceAreas"
    | "local"
    | "updatedAt"
  > {
  municipalityName: string;
  municipalityHandle: string;
  kommunenummer: string | null;
  fylke: string | null;
  phase: string;
}

export interface BackendResult {
  total: number;
  hits: BackendHit[];
  /** Counts over the whole result, per facet and value; facets with no values are absent. */
  facets: Partial<Record<FacetName, Record<string, number>>>;
}

export interface SearchBackend {
  readonly name: "postgres" | "meilisearch";
  /** Creates the index and its settings if needed. */
  init(): Promise<void>;
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Empties the index (before a full reindex). */
  clear(): Promise<void>;
  search(query: BackendQuery): Promise<BackendResult>;
  /** Called after a full reindex (e.g. to refresh planner statistics). */
  afterBulkLoad?(): Promise<void>;
  close(): Promise<void>;
}

export const practiceWeights = { inUse: 0.45, imitated: 0.35, benefits: 0.2 } as const;

export function practiceScore(p: { phase: string; imitationCount: number; hasRealisedBenefits: boolean }): number {
  const inUse = p.phase === "drift" || p.phase === "skalering" ? 1 : 0;
  const imitated = Math.min(1, Math.log(1 + Math.max(0, p.imitationCount)) / Math.log(11));
  const score =
    practiceWeights.inUse * inUse + practiceWeights.imitated * imitated + practiceWeights.benefits * (p.hasRealisedBenefits ? 1 : 0);
  return Math.round(score * 1000) / 1000;
}

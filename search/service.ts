import { performance } from "node:perf_hooks";
import type { Db } from "../db/client.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import { fylkeOf, regionsOf, type Region } from "../core/regions.ts";
import { municipalities } from "../db/schema.ts";
import { paths } from "../core/urls.ts";
import { inArray, or } from "drizzle-orm";
import type { BackendHit, FacetName, SearchBackend, SearchFilters } from "./backend.ts";
import { isStopWord, parseQuery } from "./norwegian.ts";
import { withCorrections } from "./typos.ts";
import { problemTerms } from "./problem.ts";
import { count, eq } from "drizzle-orm";
import { projects } from "../db/schema.ts";
import { queryMatcher, snippet } from "./snippet.ts";
import { suggestQuery } from "./suggestions.ts";

/** "Vår region", a county, or the whole country. */
export type Scope = "region" | "fylke" | "all";

export interface SearchInput {
  q: string;
  /**
   * "words" (the default): the query's words must match, as typed or as their
   * family, parts or corrections. "problem": `q` is a description of a
   * problem, reduced to its most telling words; projects matching most of them
   * come first. A query of more than `problemWords` words is read as one.
   */
  mode?: "words" | "problem";
  scope: Scope;
  filters: SearchFilters;
  page: number;
  perPage: number;
}

export interface SearchHit {
  id: string;
  /** Canonical URL (the ActivityPub id). */
  url: string;
  /** Where to read it on this instance: its own page, or the cached copy of a remote project. */
  path: string;
  local: boolean;
  title: string;
  municipality: { name: string; handle: string; kommunenummer: string | null; fylke: string | null };
  phase: string;
  /** Escaped text with <mark> around the words that matched. */
  snippet: string;
  imitationCount: number;
  seekingPartners: boolean;
  hasRealisedBenefits: boolean;
  serviceAreas: string[];
  updatedAt: string;
}

export interface SearchAnswer {
  total: number;
  page: number;
  perPage: number;
  pages: number;
  hits: SearchHit[];
  facets: Partial<Record<FacetName, Record<string, number>>>;
  /** A corrected query when nothing matched and a close known spelling exists. */
  suggestion?: string;
  /** The filters that applied, scope included. */
  appliedFilters: SearchFilters;
  scope: Scope;
  tookMs: number;
}

export class SearchService {
  readonly backend: SearchBackend;
  readonly regions: readonly Region[];
  readonly #db: Db;

  constructor(db: Db, backend: SearchBackend, regions: readonly Region[]) {
    this.#db = db;
    this.backend = backend;
    this.regions = regions;
  }

  /** The region slugs and county slug of this instance's own municipality. */
  async home(): Promise<{ regions: Region[]; fylke: string | undefined }> {
    const local = await getLocalMunicipality(this.#db);
    if (!local) return { regions: [], fylke: undefined };
    const byProfile = this.regions.filter((r) => local.region && r.name.toLowerCase() === local.region.toLowerCase());
    return {
      regions: byProfile.length ? byProfile : regionsOf(this.regions, local.kommunenummer),
      fylke: fylkeOf(local.kommunenummer, local.fylke)?.slug,
    };
  }

  municipalityNames(keys: string[]): Promise<Record<string, string>> {
    return municipalityNames(this.#db, keys);
  }

  #documents: { at: number; n: number } | undefined;

  /** How many public projects the instance knows (for weighing words), read at most once a minute. */
  async #documentCount(): Promise<number> {
    if (this.#documents && Date.now() - this.#documents.at < 60_000) return this.#documents.n;
    const [row] = await this.#db.select({ n: count() }).from(projects).where(eq(projects.published, true));
    this.#documents = { at: Date.now(), n: Number(row?.n ?? 0) };
    return this.#documents.n;
  }

  /**
   * "Lignende prosjekter": projects addressing the same problem as a project,
   * found by its title, summary, floke and behov read as a problem description;
   * among every project this instance knows (its own, those it follows and, on
   * the KS aggregator, the whole country), the project itself left out.
   */
  async similar(project: { id: string; title: string; summary: string; floke: string; behov: string }, limit = 5): Promise<SearchHit[]> {
    const text = [project.title, project.summary, project.floke, project.behov].join("\n");
    const words = await problemTerms(this.#db, text, await this.#documentCount());
    if (words.length === 0) return [];
    const result = await this.backend.search({
      terms: words.map((w) => w.alternatives),
      phrases: [],
      match: "any",
      excludeIds: [project.id],
      facets: false,
      filters: {},
      offset: 0,
      limit,
    });
    return toHits(result.hits, words.flatMap((w) => w.alternatives.flat()));
  }

  async search(input: SearchInput): Promise<SearchAnswer> {
    const started = performance.now();
    const filters = { ...input.filters };
    if (input.scope !== "all") {
      const home = await this.home();
      if (input.scope === "region" && home.regions.length && !filters.region?.length) {
        filters.region = home.regions.map((r) => r.slug);
      }
      if (input.scope === "fylke" && home.fylke && !filters.fylke?.length) filters.fylke = [home.fylke];
    }
    const parsed = parseQuery(input.q);
    const typed = input.q.trim() !== "";
    const base = { page: input.page, perPage: input.perPage, appliedFilters: filters, scope: input.scope };
    if (typed && !parsed.hasContent) {
      return { ...base, total: 0, pages: 0, hits: [], facets: {}, tookMs: elapsed(started) };
    }
    const problem = input.mode === "problem" || parsed.words.length >= problemWords;
    const words = problem
      ? await problemTerms(this.#db, input.q, await this.#documentCount())
      : await withCorrections(this.#db, parsed.words);
    if (problem && words.length === 0) return { ...base, total: 0, pages: 0, hits: [], facets: {}, tookMs: elapsed(started) };
    const result = await this.backend.search({
      terms: words.map((w) => w.alternatives),
      phrases: problem ? [] : parsed.phrases,
      match: problem ? "any" : "all",
      filters,
      offset: (input.page - 1) * input.perPage,
      limit: input.perPage,
    });
    const queryWords = [...new Set([...words.flatMap((w) => w.alternatives.flat()), ...parsed.phrases.flat().filter((w) => !isStopWord(w))])];
    const suggestion = result.total === 0 && typed && !problem ? await suggestQuery(this.#db, input.q) : undefined;
    return {
      ...base,
      total: result.total,
      pages: Math.ceil(result.total / input.perPage),
      hits: await toHits(result.hits, queryWords),
      facets: result.facets,
      ...(suggestion ? { suggestion } : {}),
      tookMs: elapsed(started),
    };
  }
}

/** A query of this many words or more is read as a problem description. */
export const problemWords = 12;

/** Names of municipalities by facet value (kommunenummer, or handle when there is none). */
export async function municipalityNames(db: Db, keys: string[]): Promise<Record<string, string>> {
  if (keys.length === 0) return {};
  const rows = await db
    .select({ name: municipalities.name, kommunenummer: municipalities.kommunenummer, handle: municipalities.handle })
    .from(municipalities)
    .where(or(inArray(municipalities.kommunenummer, keys), inArray(municipalities.handle, keys)));
  const out: Record<string, string> = {};
  for (const r of rows) {
    if (r.kommunenummer && keys.includes(r.kommunenummer)) out[r.kommunenummer] = r.name;
    else if (keys.includes(r.handle)) out[r.handle] ??= r.name;
  }
  return out;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * Hits with their snippets. Each snippet is bounded work; between hits the
 * event loop gets a turn, so a page of long texts never holds up other requests.
 */
async function toHits(hits: BackendHit[], queryWords: string[]): Promise<SearchHit[]> {
  const match = queryMatcher(queryWords);
  const out: SearchHit[] = [];
  for (const h of hits) {
    if (out.length > 0) await new Promise((resolve) => setImmediate(resolve));
    out.push(toHit(h, queryWords, match));
  }
  return out;
}

function toHit(h: BackendHit, queryWords: string[], match: (word: string) => string | undefined): SearchHit {
  return {
    id: h.id,
    url: h.url,
    path: h.local ? new URL(h.url).pathname : paths.remoteProject(h.id),
    local: h.local,
    title: h.title,
    municipality: { name: h.municipalityName, handle: h.municipalityHandle, kommunenummer: h.kommunenummer, fylke: h.fylke },
    phase: h.phase,
    snippet: snippet([h.summary, h.floke, h.behov, h.description, h.lessons], queryWords, match),
    imitationCount: h.imitationCount,
    seekingPartners: h.seekingPartners,
    hasRealisedBenefits: h.hasRealisedBenefits,
    serviceAreas: h.serviceAreas,
    updatedAt: h.updatedAt.toISOString(),
  };
}

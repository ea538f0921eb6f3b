import { Meilisearch, type Index, type Settings } from "meilisearch";
import type {
  BackendHit,
  BackendQuery,
  BackendResult,
  FacetName,
  SearchBackend,
  SearchDocument,
  SearchFilters,
} from "./backend.ts";
import { stems } from "./norwegian.ts";

/**
 * A project as Meilisearch stores it: what a hit shows (with the time as a
 * number, which Meilisearch can sort), the facet fields, and the s* fields
 * holding folded, stemmed, decompounded words.
 */
interface MeiliDocument extends Omit<BackendHit, "updatedAt"> {
  updatedAt: number;
  municipalityKey: string;
  regions: string[];
  innovationTypes: string[];
  scale: string | null;
  n3Stage: string | null;
  methods: string[];
  imitated: boolean;
  practiceScore: number;
  sTitle: string;
  sMain: string;
  sRest: string;
}

/** Facet name → Meilisearch attribute. */
const attributeOf: Record<FacetName, keyof MeiliDocument> = {
  municipality: "municipalityKey",
  fylke: "fylke",
  region: "regions",
  serviceArea: "serviceAreas",
  phase: "phase",
  innovationType: "innovationTypes",
  scale: "scale",
  n3Stage: "n3Stage",
  method: "methods",
  seekingPartners: "seekingPartners",
  imitated: "imitated",
};
const booleanFacets = new Set<FacetName>(["seekingPartners", "imitated"]);

// The same intent as the PostgreSQL formula (see backend.ts): text rules first,
// then proven practice, then recency.
const settings: Settings = {
  searchableAttributes: ["sTitle", "sMain", "sRest"],
  filterableAttributes: ["id", ...Object.values(attributeOf)],
  sortableAttributes: ["practiceScore", "updatedAt"],
  rankingRules: ["words", "typo", "attribute", "proximity", "practiceScore:desc", "exactness", "updatedAt:desc"],
  displayedAttributes: ["*"],
  stopWords: [],
  faceting: { maxValuesPerFacet: 1000 },
  pagination: { maxTotalHits: 1_000_000 },
};

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function filterOf(filters: SearchFilters): string[][] {
  const out: string[][] = [];
  for (const [name, values] of Object.entries(filters) as [FacetName, string[] | undefined][]) {
    if (!values?.length) continue;
    const attribute = attributeOf[name];
    if (booleanFacets.has(name)) {
      if (values.includes("true") && values.includes("false")) continue;
      out.push([`${attribute} = ${values.includes("true") ? "true" : "false"}`]);
    } else out.push(values.map((v) => `${attribute} = ${quote(v)}`));
  }
  return out;
}

const analysed = (text: string) => stems(text).join(" ");

function toMeili(d: SearchDocument): MeiliDocument {
  return {
    id: d.id,
    url: d.url,
    title: d.title,
    summary: d.summary,
    floke: d.floke,
    behov: d.behov,
    description: d.description,
    lessons: d.lessons,
    municipalityName: d.municipality.name,
    municipalityHandle: d.municipality.handle,
    kommunenummer: d.municipality.kommunenummer,
    municipalityKey: d.municipality.kommunenummer ?? d.municipality.handle,
    fylke: d.municipality.fylke,
    regions: d.municipality.regions,
    phase: d.phase,
    innovationTypes: d.innovationTypes,
    scale: d.scale,
    n3Stage: d.n3Stage,
    serviceAreas: d.serviceAreas,
    methods: d.methods,
    seekingPartners: d.seekingPartners,
    imitated: d.imitationCount > 0,
    imitationCount: d.imitationCount,
    hasRealisedBenefits: d.hasRealisedBenefits,
    practiceScore: d.practiceScore,
    local: d.local,
    updatedAt: d.updatedAt.getTime(),
    sTitle: analysed(d.searchText.title),
    sMain: analysed(d.searchText.main),
    sRest: analysed(d.searchText.rest),
  };
}

function toHit(d: MeiliDocument): BackendHit {
  const { municipalityKey: _k, regions: _r, innovationTypes: _t, scale: _s, n3Stage: _n, methods: _m, imitated: _i, practiceScore: _p, sTitle: _st, sMain: _sm, sRest: _sr, ...hit } = d;
  return { ...hit, updatedAt: new Date(d.updatedAt) };
}

export interface MeilisearchOptions {
  host: string;
  apiKey?: string;
  /** Index name; tests use one of their own. */
  indexUid?: string;
}

const wait = { timeout: 120_000, interval: 50 };

/** Search on a Meilisearch server (MEILI_URL, MEILI_MASTER_KEY). */
export class MeilisearchBackend implements SearchBackend {
  readonly name = "meilisearch" as const;
  readonly #client: Meilisearch;
  readonly #uid: string;
  #ready = false;

  constructor(options: MeilisearchOptions) {
    this.#client = new Meilisearch({ host: options.host, apiKey: options.apiKey, timeout: 10_000 });
    this.#uid = options.indexUid ?? "kominn-projects";
  }

  get #index(): Index<MeiliDocument> {
    return this.#client.index<MeiliDocument>(this.#uid);
  }

  async init(): Promise<void> {
    const created = await this.#client.createIndex(this.#uid, { primaryKey: "id" }).waitTask(wait);
    if (created.status === "failed" && created.error?.code !== "index_already_exists") {
      throw new Error(`Meilisearch: could not create index ${this.#uid}: ${created.error?.message}`);
    }
    await this.#check(this.#index.updateSettings(settings).waitTask(wait));
    this.#ready = true;
  }

  async #ensure(): Promise<void> {
    if (!this.#ready) await this.init();
  }

  async #check(task: Promise<{ status: string; error: { message: string } | null }>): Promise<void> {
    const done = await task;
    if (done.status !== "succeeded") throw new Error(`Meilisearch task ${done.status}: ${done.error?.message ?? ""}`);
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.#ensure();
    await this.#check(this.#index.addDocuments(documents.map(toMeili), { primaryKey: "id" }).waitTask(wait));
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#ensure();
    await this.#check(this.#index.deleteDocuments(ids).waitTask(wait));
  }

  async clear(): Promise<void> {
    await this.#ensure();
    await this.#check(this.#index.deleteAllDocuments().waitTask(wait));
  }

  async close(): Promise<void> {}

  /** Deletes the whole index (tests). */
  async drop(): Promise<void> {
    await this.#client.deleteIndexIfExists(this.#uid);
  }

  async search(query: BackendQuery): Promise<BackendResult> {
    await this.#ensure();
    // Meilisearch has no OR inside a query: each word is sent in the one form every
    // document holding it indexes too (documents carry the families and parts of
    // their words): its compound parts, else its closest family member or correction.
    const canonical = (alternatives: string[][]) =>
      alternatives.findLast((a) => a.length > 1) ?? alternatives[1] ?? alternatives[0] ?? [];
    const words = query.terms.map((word) => stems(canonical(word).join(" ")).join(" ")).filter(Boolean);
    const phrases = query.phrases.map((p) => `"${p.map((w) => stems(w).join(" ")).join(" ")}"`);
    const q = [...phrases, ...words].join(" ");
    const textual = query.terms.length + query.phrases.length > 0;
    const filter = filterOf(query.filters);
    if (query.excludeIds?.length) filter.push([`id NOT IN [${query.excludeIds.map(quote).join(", ")}]`]);
    const base = {
      filter,
      facets: query.facets === false ? [] : (Object.values(attributeOf) as string[]),
      hitsPerPage: query.limit,
      page: Math.floor(query.offset / query.limit) + 1,
      ...(textual ? {} : { sort: ["practiceScore:desc", "updatedAt:desc"] }),
    };
    let response = await this.#index.search(q, { ...base, matchingStrategy: query.match === "any" ? "frequency" : "all" });
    if (response.totalHits === 0 && words.length > 1 && query.match !== "any") {
      // Nothing has every word: let Meilisearch drop the most common words first.
      response = await this.#index.search(q, { ...base, matchingStrategy: "frequency" });
    }
    const facets: BackendResult["facets"] = {};
    for (const [name, attribute] of Object.entries(attributeOf) as [FacetName, string][]) {
      const distribution = response.facetDistribution?.[attribute];
      if (!distribution) continue;
      const entries = Object.entries(distribution).filter(([v, n]) => n > 0 && (!booleanFacets.has(name) || v === "true"));
      if (entries.length) facets[name] = Object.fromEntries(entries);
    }
    return { total: response.totalHits, hits: response.hits.map((h) => toHit(h as MeiliDocument)), facets };
  }
}

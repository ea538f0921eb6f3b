// What staff follow: a service area, a project (ours or another
// municipality's), a municipality, or a saved search. Each follow is filed in
// an inverted index under the keys a project must carry to match it, so the
// notifications subscriber looks a project's keys up instead of testing every
// follow (services/notifications.ts).
import type { Db } from "../db/client.ts";
import type { Project } from "../core/project.ts";
import { fylkeOf, regionsOf, type Region } from "../core/regions.ts";
import { maxSubscriptions, oneLine, serviceAreaLabel, type SubscriptionKind } from "../core/notifications.ts";
import { serviceAreas, slugsOf } from "../core/taxonomies.ts";
import { getMunicipalityByActorUrl, getLocalMunicipality } from "../db/municipalities.ts";
import {
  countSubscriptions,
  deleteSubscription,
  findSubscription,
  getProjectState,
  insertSubscription,
  listFollowsOnBehalf,
  listSubscriptions,
  rememberFollowOnBehalf,
  saveProjectState,
  type Subscription,
} from "../db/notifications.ts";
import { getFollowByTarget } from "../db/follows.ts";
import { ValidationError } from "./projects.ts";

/** The facets a saved search may filter on, as the search page names them (search/params.ts). */
export const searchFacets = [
  "municipality", "method", "innovationType", "n3Stage", "serviceArea", "scale", "phase", "region", "fylke", "seekingPartners", "imitated",
] as const;
export type SearchFacet = (typeof searchFacets)[number];

/** A saved search as the matcher checks it: every word group and phrase (stemmed) must be in the project, and every filter met. */
export interface SavedSearch {
  /** What the person typed. */
  q: string;
  /** One entry per typed word: its alternatives (the word, its family, its compound parts), stemmed; one alternative must be there whole. */
  words: { alternatives: string[][] }[];
  phrases: string[][];
  /** OR within a facet, AND across facets; the scope already turned into a region or county filter. */
  filters: Partial<Record<SearchFacet, string[]>>;
}

/**
 * The search analysis the matcher needs, given at composition (server/) so
 * that services stay apart from search/: the search page's own parameter
 * parser and the Norwegian analysis of words.
 */
export interface SearchMatching {
  /** Parses a saved search (a query string as the search page takes it); a 400-style issue list naming the field when it is refused. */
  parse(query: string): Promise<{ ok: true; search: SavedSearch; canonical: string; label: string } | { ok: false; issues: { field: string; message: string }[] }>;
  /** The stems of a project's words and of the parts of its compounds. */
  projectTerms(project: Project): Set<string>;
  readonly regions: readonly Region[];
}

/** A follow that cannot be made: nothing there to follow (404), naming the field. */
export class FollowTargetNotFoundError extends Error {
  readonly field = "target";
}

export interface SubscriptionDeps {
  matching: SearchMatching;
  /** A project by its URL, fetched from its instance when we do not hold it. */
  resolveProject(url: string): Promise<Project | undefined>;
  /** Follows a municipality's actor on the instance's behalf (federation's follow service). */
  followMunicipality?(actorUrl: string): Promise<void>;
}

export interface FollowRequest {
  kind: SubscriptionKind;
  /** A service area's slug, a project's URL (or page path here), a municipality's actor URL, or a search's query string. */
  target: string;
}

const stemKey = (stem: string) => `t:${stem}`;
const facetKey = (facet: string, value: string) => `f:${facet}:${value}`;

/**
 * The keys a saved search is filed under: one condition every match must
 * meet. A word is the most selective (the longest stem of a word group), then
 * a filter (with each of its values), and a search with neither matches any
 * new project (`*`).
 */
export function searchKeys(search: SavedSearch): string[] {
  const longest = (list: readonly string[]) => [...list].sort((a, b) => b.length - a.length)[0];
  // A word matches through any of its alternatives, so it is filed under the longest stem of each.
  const options = [
    ...search.words.map((w) => w.alternatives.map(longest).filter(Boolean)),
    ...search.phrases.map((p) => [longest(p)].filter(Boolean)),
  ].filter((keys) => keys.length > 0);
  const score = (keys: string[]) => Math.min(...keys.map((k) => k.length)) - keys.length;
  const best = options.sort((a, b) => score(b) - score(a))[0];
  if (best) return [...new Set(best)].map(stemKey);
  for (const facet of searchFacets) {
    const values = search.filters[facet];
    if (values?.length) return values.map((v) => facetKey(facet, v));
  }
  return ["*"];
}

/** A project's values for each facet of a saved search, as the search document has them (search/document.ts). */
export function projectFacets(project: Project, regions: readonly Region[], imitated: boolean): Record<SearchFacet, string[]> {
  const m = project.municipality;
  return {
    municipality: [m.kommunenummer, m.handle].filter((v): v is string => !!v),
    method: project.methods,
    innovationType: project.innovationTypes,
    n3Stage: project.n3Stage ? [project.n3Stage] : [],
    serviceArea: project.serviceAreas,
    scale: project.scale ? [project.scale] : [],
    phase: [project.phase],
    region: regionsOf(regions, m.kommunenummer).map((r) => r.slug),
    fylke: [fylkeOf(m.kommunenummer, m.fylke)?.slug].filter((v): v is string => !!v),
    seekingPartners: [String(project.seekingPartners)],
    imitated: [String(imitated)],
  };
}

/** Every key a project answers to in the index: its areas, municipality, URL, words and facet values. */
export function projectKeys(project: Project, terms: Set<string>, facets: Record<SearchFacet, string[]>): string[] {
  const keys = ["*", `m:${project.municipality.actorUrl}`, `p:${project.url}`, ...project.serviceAreas.map((a) => `a:${a}`)];
  for (const stem of terms) keys.push(stemKey(stem));
  for (const facet of searchFacets) for (const v of facets[facet]) keys.push(facetKey(facet, v));
  return keys;
}

/** Whether a project meets every condition of a saved search (the index only found it a candidate). */
export function searchMatches(search: SavedSearch, terms: Set<string>, facets: Record<SearchFacet, string[]>): boolean {
  for (const w of search.words) {
    if (!w.alternatives.some((alt) => alt.length > 0 && alt.every((s) => terms.has(s)))) return false;
  }
  for (const phrase of search.phrases) if (!phrase.every((w) => terms.has(w))) return false;
  for (const facet of searchFacets) {
    const wanted = search.filters[facet];
    if (wanted?.length && !wanted.some((v) => facets[facet].includes(v))) return false;
  }
  return true;
}

/** Follows: start, stop, list. Authorisation: each person manages only their own. */
export class SubscriptionService {
  readonly #db: Db;
  readonly #deps: SubscriptionDeps;

  constructor(db: Db, deps: SubscriptionDeps) {
    this.#db = db;
    this.#deps = deps;
  }

  get matching(): SearchMatching {
    return this.#deps.matching;
  }

  list(accountId: string): Promise<Subscription[]> {
    return listSubscriptions(this.#db, accountId);
  }

  /** Whether the person follows this thing already (the follow button's state). */
  find(accountId: string, kind: SubscriptionKind, target: string): Promise<Subscription | undefined> {
    return findSubscription(this.#db, accountId, kind, target);
  }

  /** Municipalities we follow because someone follows one of their projects, and for whom. */
  followsOnBehalf() {
    return listFollowsOnBehalf(this.#db);
  }

  /**
   * Follows a thing for `account`. Refuses (FollowTargetNotFoundError) what
   * does not exist or is not public, and (ValidationError) a bad value or a
   * person who already follows the most allowed. Following a project of a
   * municipality this instance does not follow makes the instance follow that
   * municipality, so the project's changes reach us, and remembers why.
   */
  async follow(account: { id: string; name: string }, request: FollowRequest): Promise<{ subscription: Subscription; created: boolean; followedMunicipality?: string }> {
    const target = request.target.trim();
    if (!target || target.length > 2_000) throw new ValidationError([{ field: "target", message: "må fylles ut (høyst 2000 tegn)" }]);
    if ((await countSubscriptions(this.#db, account.id)) >= maxSubscriptions) {
      throw new ValidationError([{ field: "target", message: `du kan følge høyst ${maxSubscriptions} ting; slutt å følge noe først` }]);
    }
    switch (request.kind) {
      case "service-area": {
        if (!(slugsOf(serviceAreas) as string[]).includes(target)) throw new ValidationError([{ field: "target", message: "ukjent tjenesteområde" }]);
        return insertSubscription(this.#db, { accountId: account.id, kind: "service-area", target, label: serviceAreaLabel(target) }, [`a:${target}`]);
      }
      case "municipality": {
        const municipality = await getMunicipalityByActorUrl(this.#db, target);
        if (!municipality) throw new FollowTargetNotFoundError("ingen kommune med den adressen er kjent her");
        return insertSubscription(this.#db, { accountId: account.id, kind: "municipality", target, label: oneLine(municipality.name) }, [`m:${target}`]);
      }
      case "project":
        return this.#followProject(account, target);
      case "search": {
        const parsed = await this.#deps.matching.parse(target);
        if (!parsed.ok) throw new ValidationError(parsed.issues.map((i) => ({ field: `search.${i.field}`, message: i.message })));
        return insertSubscription(
          this.#db,
          { accountId: account.id, kind: "search", target: parsed.canonical, label: parsed.label, search: parsed.search },
          searchKeys(parsed.search),
        );
      }
    }
  }

  async #followProject(account: { id: string; name: string }, target: string) {
    if (!/^https?:\/\//.test(target)) throw new ValidationError([{ field: "target", message: "må være prosjektets adresse (https://…)" }]);
    const project = await this.#deps.resolveProject(target);
    if (!project || !project.published) throw new FollowTargetNotFoundError("prosjektet finnes ikke, eller er ikke publisert");
    const result = await insertSubscription(
      this.#db,
      { accountId: account.id, kind: "project", target: project.url, label: oneLine(project.title) },
      [`p:${project.url}`],
    );
    // What it looks like now, so its next change is told as a change.
    if (!(await getProjectState(this.#db, project.url))) {
      await saveProjectState(this.#db, project.url, {
        phase: project.phase,
        n3Stage: project.n3Stage,
        realisedBenefits: project.realisedBenefits.length,
        seekingPartners: project.seekingPartners,
        imitationOf: project.imitationOf,
      });
    }
    if (project.local || !result.created || !this.#deps.followMunicipality) return result;
    const local = await getLocalMunicipality(this.#db);
    const actorUrl = project.municipality.actorUrl;
    const existing = await getFollowByTarget(this.#db, actorUrl);
    if (actorUrl === local?.actorUrl || (existing && existing.status !== "rejected")) return result;
    await this.#deps.followMunicipality(actorUrl);
    await rememberFollowOnBehalf(this.#db, {
      actorUrl,
      subscriptionId: result.subscription.id,
      accountName: oneLine(account.name),
      projectTitle: oneLine(project.title),
    });
    return { ...result, followedMunicipality: project.municipality.name };
  }

  /** Stops following; undefined when the follow is not the person's own (or gone). */
  unfollow(accountId: string, id: string): Promise<Subscription | undefined> {
    return deleteSubscription(this.#db, accountId, id);
  }
}

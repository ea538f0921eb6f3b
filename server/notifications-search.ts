// The search analysis the notifications matcher uses (services/subscriptions.ts
// SearchMatching): the search page's own parameter parser (search/params.ts)
// and its Norwegian analysis (search/norwegian.ts), so a saved search means
// what the same search on /sok means.
import { defaultRegions, fylkeOf, regionsOf, type Region } from "../core/regions.ts";
import type { Db } from "../db/client.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import { getProjectByUrl } from "../db/projects.ts";
import { NotificationService } from "../services/notifications.ts";
import type { Project } from "../core/project.ts";
import { oneLine } from "../core/notifications.ts";
import { filtersOf, searchParamsSchema } from "../search/params.ts";
import { compoundText, foldedWords, parseQuery, stem } from "../search/norwegian.ts";
import { plainText } from "../search/document.ts";
import { fieldIssues } from "./http/errors.ts";
import { SubscriptionService, type SavedSearch, type SearchFacet, type SearchMatching } from "../services/subscriptions.ts";
import { facetLabels } from "../web/views/notifications-texts.ts";
import { labelOf, taxonomies } from "../core/taxonomies.ts";

/** Query strings from the search page: `?q=…&phase=drift&phase=test`, with or without the path in front. */
function queryObject(input: string): Record<string, string | string[]> {
  // Words typed as they are, not an address: the words are the search.
  if (!input.includes("=")) return { q: input.trim() };
  const query = input.includes("?") ? input.slice(input.indexOf("?") + 1) : input;
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query.split("#")[0])) {
    if (value === "") continue;
    const held = out[key];
    out[key] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return out;
}

/** A filter value as people read it: a term's label where there is one. */
function valueLabel(facet: SearchFacet, value: string): string {
  const lists: Partial<Record<SearchFacet, readonly { slug: string; label: string }[]>> = {
    serviceArea: taxonomies.serviceAreas, phase: taxonomies.phases, method: taxonomies.methods,
    innovationType: taxonomies.innovationTypes, n3Stage: taxonomies.n3Stages, scale: taxonomies.scales,
  };
  const list = lists[facet];
  if (facet === "seekingPartners" || facet === "imitated") return value === "true" ? "ja" : "nei";
  return list ? labelOf(list, value) : value;
}

/** The services of notifications, as server/instance.ts composes them (the remote parts come with federation). */
export function notificationServices(
  db: Db,
  secret: string,
  remote?: { resolveProject(url: string): Promise<Project | undefined>; followMunicipality(actorUrl: string): Promise<void> },
): { notifications: NotificationService; subscriptions: SubscriptionService } {
  const matching = searchMatching(defaultRegions, async () => {
    const local = await getLocalMunicipality(db);
    const byProfile = defaultRegions.filter((r) => local?.region && r.name.toLowerCase() === local.region.toLowerCase());
    return {
      regions: byProfile.length ? byProfile : regionsOf(defaultRegions, local?.kommunenummer),
      fylke: fylkeOf(local?.kommunenummer, local?.fylke)?.slug,
    };
  });
  return {
    notifications: new NotificationService(db, { matching, secret }),
    subscriptions: new SubscriptionService(db, {
      matching,
      resolveProject: remote?.resolveProject ?? ((url) => getProjectByUrl(db, url)),
      followMunicipality: remote?.followMunicipality,
    }),
  };
}

function searchMatching(regions: readonly Region[], home: () => Promise<{ regions: readonly Region[]; fylke: string | undefined }>): SearchMatching {
  const schema = searchParamsSchema(regions);
  return {
    regions,
    async parse(input) {
      const raw = queryObject(input);
      // Which page of results is not part of what someone follows.
      delete raw.page;
      delete raw.perPage;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, issues: fieldIssues(parsed.error) };
      const params = parsed.data;
      const query = parseQuery(params.q);
      if (params.q.trim() !== "" && !query.hasContent) return { ok: false, issues: [{ field: "q", message: "har ingen ord å lete etter" }] };
      const filters = filtersOf(params) as SavedSearch["filters"];
      const where = await home();
      if (params.scope === "region" && !filters.region?.length && where.regions.length) filters.region = where.regions.map((r) => r.slug);
      if (params.scope === "fylke" && !filters.fylke?.length && where.fylke) filters.fylke = [where.fylke];
      const search: SavedSearch = {
        q: params.q,
        words: query.words.map((w) => ({ alternatives: w.alternatives.map((alt) => alt.map(stem)) })),
        phrases: query.phrases.map((p) => p.map(stem)),
        filters,
      };
      const canonical = new URLSearchParams();
      if (params.q) canonical.append("q", params.q);
      canonical.append("scope", params.scope);
      for (const [facet, values] of Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))) {
        for (const v of [...(values as string[])].sort()) canonical.append(facet, v);
      }
      const described = Object.entries(filters).map(([facet, values]) => `${facetLabels[facet] ?? facet}: ${(values as string[]).map((v) => valueLabel(facet as SearchFacet, v)).join(", ")}`);
      const label = oneLine([params.q ? `«${params.q}»` : "", ...described].filter(Boolean).join(" · ") || "alle nye prosjekter", 160);
      return { ok: true, search, canonical: canonical.toString(), label };
    },
    projectTerms(project: Project) {
      const text = [
        project.title, project.summary, project.floke, project.behov, plainText(project.description), project.lessons, project.lessonsFailed, project.municipality.name,
      ].join(" ");
      const out = new Set<string>();
      // The document's words and what search indexes beside them (families, compound parts): search/document.ts.
      for (const w of new Set(foldedWords(text))) out.add(stem(w));
      for (const e of compoundText(text).split(" ")) if (e) out.add(stem(e));
      return out;
    },
  };
}

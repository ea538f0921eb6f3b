import { Router, type Request } from "express";
import { filtersOf, searchParamsSchema } from "../../search/params.ts";
import type { SearchService } from "../../search/service.ts";
import { fylker } from "../../core/regions.ts";
import type { AppContext } from "../context.ts";
import { searchPage } from "../../web/views/search-page.ts";
import { fromPageParams, pageName, searchPageParams, toPageQuery } from "../../core/page-params.ts";
import { cachedLocalMunicipality, chromeOf, originsOf, parseQueryOr400, sendPage, withoutEmpty } from "./page-helpers.ts";

export const searchPath = "/sok";

/** The URL of a search with some parameters changed (API names; undefined removes one), in the page's bokmål names. */
function hrefWith(req: Request, changes: Partial<Record<string, string | string[] | undefined>>): string {
  const merged: Record<string, unknown> = { ...fromPageParams(searchPageParams, withoutEmpty(req.query)), ...changes };
  const query = toPageQuery(searchPageParams, merged).toString();
  return query ? `${searchPath}?${query}` : searchPath;
}

/** `/sok`: the search page; a plain GET form that works without JavaScript. */
export function searchPageRoutes(ctx: AppContext, search: SearchService): Router {
  const router = Router();
  const schema = searchParamsSchema(search.regions);

  router.get(searchPath, async (req, res) => {
    // Bokmål names on the page (?fase=drift&omrade=hele-landet); the API's English names work too.
    const params = parseQueryOr400(schema, fromPageParams(searchPageParams, withoutEmpty(req.query)), (field) => pageName(searchPageParams, field));
    const [answer, home, municipality] = await Promise.all([
      search.search({ q: params.q, scope: params.scope, filters: filtersOf(params), page: params.page, perPage: params.perPage }),
      search.home(),
      cachedLocalMunicipality(ctx),
    ]);
    const [names, origins] = await Promise.all([
      search.municipalityNames(Object.keys(answer.facets.municipality ?? {}).concat(params.municipality ?? [])),
      originsOf(ctx, answer.hits),
    ]);
    res.setHeader("Cache-Control", "no-cache");
    sendPage(
      res,
      searchPage({
        chrome: chromeOf(ctx, req, res, municipality),
        params,
        answer: { ...answer, hits: answer.hits.map((hit) => ({ ...hit, origin: origins.get(hit.url) })) },
        regions: search.regions,
        // The national instance searches the whole country: no "our region" or "our county".
        home: ctx.config.role === "aggregator" ? {} : { region: home.regions[0]?.name, fylke: fylker.find((f) => f.slug === home.fylke)?.name },
        municipalityNames: names,
        href: (changes) => hrefWith(req, changes),
      }),
    );
  });

  return router;
}

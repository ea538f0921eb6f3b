import { Router } from "express";
import { filtersOf, searchParamsSchema } from "../../search/params.ts";
import type { SearchService } from "../../search/service.ts";
import type { AppContext } from "../context.ts";
import { parseOr400 } from "../http/errors.ts";

/** `GET /api/v1/search`: every public project this instance knows, ranked for "beste praksis". */
export function searchApiRoutes(_ctx: AppContext, search: SearchService): Router {
  const router = Router();
  const schema = searchParamsSchema(search.regions);

  router.get("/search", async (req, res) => {
    const p = parseOr400(schema, req.query);
    const answer = await search.search({ q: p.q, scope: p.scope, filters: filtersOf(p), page: p.page, perPage: p.perPage });
    res.json({
      total: answer.total,
      page: answer.page,
      perPage: answer.perPage,
      pages: answer.pages,
      hits: answer.hits,
      facets: answer.facets,
      ...(answer.suggestion ? { suggestion: answer.suggestion } : {}),
      scope: answer.scope,
      filters: answer.appliedFilters,
      tookMs: answer.tookMs,
    });
  });

  return router;
}

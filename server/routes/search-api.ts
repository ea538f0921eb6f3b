import { Router } from "express";
import { filtersOf, problemParamsSchema, searchParamsSchema } from "../../search/params.ts";
import type { SearchAnswer, SearchService } from "../../search/service.ts";
import type { AppContext } from "../context.ts";
import { parseOr400 } from "../http/errors.ts";

/** `GET /api/v1/search`: every public project this instance knows, ranked for "beste praksis". */
export function searchApiRoutes(_ctx: AppContext, search: SearchService): Router {
  const router = Router();
  const schema = searchParamsSchema(search.regions);

  router.get("/search", async (req, res) => {
    const p = parseOr400(schema, req.query);
    const answer = await search.search({ q: p.q, scope: p.scope, filters: filtersOf(p), page: p.page, perPage: p.perPage });
    res.json(answerBody(answer));
  });

  // Search by problem: a pasted description (up to 20,000 characters) in a JSON body.
  const problemSchema = problemParamsSchema(search.regions);
  router.post("/search/problem", async (req, res) => {
    const p = parseOr400(problemSchema, req.body ?? {});
    const answer = await search.search({
      q: p.text,
      mode: "problem",
      scope: p.scope,
      filters: filtersOf(p),
      page: p.page,
      perPage: p.perPage,
    });
    res.json(answerBody(answer));
  });

  return router;
}

/** The documented answer shape (search/README.md). */
function answerBody(answer: SearchAnswer) {
  return {
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
  };
}

import { Router, type Request, type Response } from "express";
import type { AppContext } from "../context.ts";
import { overviewQuerySchema } from "../../core/overview-query.ts";
import { reuseShare } from "../../core/overview.ts";
import { parseOr400 } from "../http/errors.ts";
import { overviewPage } from "../../web/views/overview-page.ts";
import { t } from "../../web/texts.ts";
import { cachedLocalMunicipality, chromeOf, sendPage, withoutEmpty } from "./page-helpers.ts";

/** Renders the overview for a request's filters: `/oversikt`, and the aggregator's front page. */
export async function sendOverview(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const query = parseOr400(overviewQuerySchema, withoutEmpty(req.query));
  const municipality = await cachedLocalMunicipality(ctx);
  const stats = await ctx.overview.figures(query);
  const title = ctx.config.role === "aggregator" ? t.overview.titleNational : t.overview.titleLocal;
  const figures = {
    ...stats,
    reuseShare: reuseShare(stats),
    reuseOverTime: stats.reuseOverTime.map((p) => ({ period: p.period, share: reuseShare(p) })),
  };
  sendPage(res, overviewPage({ chrome: chromeOf(ctx, req, res, municipality), stats: figures, query, title }));
}

/** The national overview page; the aggregator's front page shows the same. */
export function overviewPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/oversikt", (req, res) => sendOverview(ctx, req, res));
  return router;
}

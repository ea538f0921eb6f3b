import { Router } from "express";
import type { AppContext } from "../context.ts";
import { parseOr400 } from "../http/errors.ts";
import { overviewQuerySchema } from "../../core/overview-query.ts";
import { reuseShare } from "../../core/overview.ts";

export function apiOverviewRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/overview", async (req, res) => {
    const query = parseOr400(overviewQuerySchema, req.query);
    const stats = await ctx.overview.figures(query);
    res.json({
      filter: query,
      ...stats,
      reuseShare: {
        share: reuseShare(stats),
        imitations: stats.imitations,
        projects: stats.projects,
        overTime: stats.reuseOverTime.map((p) => ({ ...p, share: reuseShare(p) })),
      },
    });
  });

  return router;
}

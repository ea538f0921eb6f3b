import { Router } from "express";
import { listProjects } from "../../db/projects.ts";
import type { AppContext } from "../context.ts";
import { atomFeed } from "../../web/views/atom-feed.ts";
import { feedPath } from "../../web/layout.ts";
import { requireLocalMunicipality } from "./page-helpers.ts";

/** The Atom feed of this municipality's published projects, newest first. */
export function feedRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get(feedPath, async (_req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    const { items } = await listProjects(ctx.db, { origin: "local" }, { perPage: 50, order: "newest" });
    res.type("application/atom+xml; charset=utf-8").send(atomFeed({ origin: ctx.config.origin, municipality, projects: items }).value);
  });
  return router;
}

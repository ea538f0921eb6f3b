import { Router } from "express";
import { z } from "zod";
import { getParticipant, imitationsMadeBy, imitationsReceivedBy } from "../../db/participants.ts";
import { listProjects } from "../../db/projects.ts";
import { t } from "../../web/texts.ts";
import { municipalityListPage } from "../../web/views/municipality-list.ts";
import { municipalityPage } from "../../web/views/municipality-page.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { sendOverview } from "./overview-page.ts";
import { cachedLocalMunicipality, chromeOf, originsOf, parseQueryOr400, sendPage, siteLocals } from "./page-helpers.ts";
import { isId } from "../../db/ids.ts";

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const perPage = 24;

/**
 * The national view: on the aggregator the front page is the overview; on
 * every instance `/kommuner` lists the participating municipalities and
 * `/kommuner/:id` shows one of them.
 */
export function aggregatorPageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(siteLocals(ctx));

  router.get("/", async (req, res, next) => {
    if (ctx.config.role !== "aggregator") return next();
    if (!(await cachedLocalMunicipality(ctx))) return res.redirect(303, "/oppsett");
    await sendOverview(ctx, req, res);
  });

  router.get("/kommuner", async (req, res) => {
    const municipality = await cachedLocalMunicipality(ctx);
    const includeLocal = ctx.config.role !== "aggregator";
    const participants = await ctx.overview.participants(includeLocal);
    sendPage(res, municipalityListPage({ chrome: chromeOf(ctx, req, res, municipality), participants }));
  });

  router.get("/kommuner/:id", async (req, res) => {
    const id = req.params.id;
    const participant = isId(id) ? await getParticipant(ctx.db, id) : undefined;
    if (!participant || (participant.local && ctx.config.role === "aggregator")) throw new HttpError(404, t.errors.notFound);
    const { page } = parseQueryOr400(pageQuery, req.query, (f) => (f === "page" ? "side" : f));
    const [municipality, projects, made, received] = await Promise.all([
      cachedLocalMunicipality(ctx),
      listProjects(ctx.db, { municipalityId: participant.id }, { page, perPage, order: "newest" }),
      imitationsMadeBy(ctx.db, participant.id),
      imitationsReceivedBy(ctx.db, participant.id),
    ]);
    sendPage(
      res,
      municipalityPage({
        chrome: chromeOf(ctx, req, res, municipality),
        municipality: participant,
        projects: projects.items,
        origins: await originsOf(ctx, projects.items),
        page,
        pages: Math.max(1, Math.ceil(projects.total / perPage)),
        href: (n) => `/kommuner/${participant.id}?page=${n}`,
        made,
        received,
      }),
    );
  });

  return router;
}

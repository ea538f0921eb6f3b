import { Router, type Response } from "express";
import { z } from "zod";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { getLocalProjectBySlug, getProject, listProjects, listRevisions } from "../../db/projects.ts";
import type { AppContext } from "../context.ts";
import { projectQuerySchema } from "../../core/project-query.ts";
import type { Project } from "../../core/project.ts";
import { may } from "../../core/rules.ts";
import { HttpError } from "../http/errors.ts";
import { paths } from "../../core/urls.ts";
import { t } from "../../web/texts.ts";
import { frontPage } from "../../web/views/front-page.ts";
import { profilePage } from "../../web/views/profile-page.ts";
import { projectListPage } from "../../web/views/project-list.ts";
import { projectPage } from "../../web/views/project-page.ts";
import { cachedLocalMunicipality, chromeOf, parseQueryOr400, requireLocalMunicipality, sendPage, withoutEmpty } from "./page-helpers.ts";
import { isId } from "../../db/ids.ts";
import { getGoneProjectBySlug } from "../../db/gone-projects.ts";
import { gonePage } from "../../web/views/gone-page.ts";

const slugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,120}$/);
/** Pages anyone may read: front page, project list, project pages, the municipality's profile. */
export function publicPageRoutes(ctx: AppContext): Router {
  const router = Router();

  const imitationOf = (project: Project) => ctx.imitations.view(project);

  /** Staff of a municipality may imitate any published project, and ask to join one that seeks partners. */
  const staffActions = (project: Project, res: Response, csrf: string | undefined) => {
    const account = res.locals.account;
    if (!account || !csrf || ctx.config.role === "aggregator" || !may(account.role, "project.write")) return undefined;
    return {
      imitateCsrf: csrf,
      collaborateHref: !project.local && project.seekingPartners ? `/admin/samarbeid/ny?prosjekt=${encodeURIComponent(project.url)}` : undefined,
    };
  };

  router.get("/", async (req, res) => {
    const municipality = await cachedLocalMunicipality(ctx);
    if (!municipality) return res.redirect(303, "/oppsett");
    const [newest, updated] = await Promise.all([
      listProjects(ctx.db, {}, { perPage: 6, order: "newest", withTotal: false }),
      listProjects(ctx.db, {}, { perPage: 6, order: "updated", withTotal: false }),
    ]);
    sendPage(res, frontPage({ chrome: chromeOf(ctx, req, res, municipality), municipality, newest: newest.items, updated: updated.items }));
  });

  router.get("/prosjekter", async (req, res) => {
    const raw = withoutEmpty(req.query);
    const query = parseQueryOr400(projectQuerySchema, raw, (f) => t.list.queryLabels[f] ?? f);
    const municipality = await cachedLocalMunicipality(ctx);
    const result = await listProjects(
      ctx.db,
      {
        phase: query.phase,
        serviceArea: query.serviceArea,
        strategicArea: query.strategicArea,
        seekingPartners: query.seekingPartners,
        imitated: query.imitated,
        isImitation: query.isImitation,
        origin: query.origin,
      },
      { page: query.page, perPage: query.perPage, order: query.order },
    );
    const href = (page: number) => {
      const params = new URLSearchParams(raw as Record<string, string>);
      params.set("page", String(page));
      return `/prosjekter?${params}`;
    };
    sendPage(
      res,
      projectListPage({
        chrome: chromeOf(ctx, req, res, municipality),
        query,
        result,
        strategicAreas: municipality?.strategicAreas ?? [],
        href,
      }),
    );
  });

  router.get("/prosjekter/fra/:id", async (req, res) => {
    const id = req.params.id;
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project || project.local || !project.published) throw new HttpError(404, t.errors.notFound);
    const [municipality, origin, imitation] = await Promise.all([
      cachedLocalMunicipality(ctx),
      getMunicipalityByActorUrl(ctx.db, project.municipality.actorUrl),
      imitationOf(project),
    ]);
    const chrome = chromeOf(ctx, req, res, municipality);
    sendPage(res, projectPage({ chrome, project, strategicAreas: origin?.strategicAreas ?? [], imitation, actions: staffActions(project, res, chrome.csrf) }));
  });

  router.get("/prosjekter/:slug", async (req, res) => {
    const slug = slugParam.safeParse(req.params.slug);
    const project = slug.success ? await getLocalProjectBySlug(ctx.db, slug.data) : undefined;
    const staff = res.locals.account;
    if (!project && slug.success) {
      // Deleted after it was published: say so, with 410 Gone, rather than "not found".
      const gone = await getGoneProjectBySlug(ctx.db, slug.data);
      if (gone) {
        const municipality = await requireLocalMunicipality(ctx);
        const chrome = chromeOf(ctx, req, res, municipality);
        return sendPage(res, gonePage({ chrome, title: gone.title, municipalityName: municipality.name, deletedAt: gone.deletedAt }), 410);
      }
    }
    if (!project || (!project.published && !staff)) throw new HttpError(404, t.errors.notFound);
    const [municipality, history, imitation] = await Promise.all([
      requireLocalMunicipality(ctx),
      staff ? listRevisions(ctx.db, project.id) : Promise.resolve(undefined),
      imitationOf(project),
    ]);
    const chrome = chromeOf(ctx, req, res, municipality);
    sendPage(
      res,
      projectPage({
        chrome,
        project,
        strategicAreas: municipality.strategicAreas,
        history,
        editHref: staff ? `/admin/prosjekter/${project.id}/rediger` : undefined,
        imitation,
        actions: staffActions(project, res, chrome.csrf),
      }),
    );
  });

  router.get("/kommune", async (_req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    res.redirect(303, paths.actor(municipality.handle));
  });

  router.get("/kommune/:handle", async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    if (req.params.handle !== municipality.handle) throw new HttpError(404, t.errors.notFound);
    const projects = await listProjects(ctx.db, { municipalityId: municipality.id }, { perPage: 20, order: "newest" });
    sendPage(
      res,
      profilePage({ chrome: chromeOf(ctx, req, res, municipality), municipality, projects: projects.items, total: projects.total }),
    );
  });

  return router;
}

import { Router, type Request, type Response } from "express";
import { projectMedia } from "../../web/components/project-media.ts";
import { mediaItemView, withUploadedLogo } from "./media.ts";
import { z } from "zod";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { getProject, listProjects, listRevisions } from "../../db/projects.ts";
import { getLocalProjectPage, type LocalProjectPage } from "../../db/project-page.ts";
import type { AppContext } from "../context.ts";
import { projectQuerySchema } from "../../core/project-query.ts";
import { fromPageParams, listDefaults, listParams, toPageQuery } from "../../core/page-params.ts";
import type { Project } from "../../core/project.ts";
import type { Municipality } from "../../db/schema.ts";
import { may } from "../../core/rules.ts";
import { HttpError } from "../http/errors.ts";
import { paths } from "../../core/urls.ts";
import { t } from "../../web/texts.ts";
import { frontPage } from "../../web/views/front-page.ts";
import { profilePage } from "../../web/views/profile-page.ts";
import { projectListPage } from "../../web/views/project-list.ts";
import { projectPage, type ProjectPageProps } from "../../web/views/project-page.ts";
import { cachedLocalMunicipality, chromeOf, originsOf, parseQueryOr400, requireLocalMunicipality, sendPage, withoutEmpty } from "./page-helpers.ts";
import { isId } from "../../db/ids.ts";
import { getGoneProjectBySlug } from "../../db/gone-projects.ts";
import { gonePage } from "../../web/views/gone-page.ts";
import { safeHttpUrl } from "../../web/format.ts";
import { projectFollowButton } from "./notifications.ts";
import type { SearchService } from "../../search/service.ts";
import { similarProjects } from "../../web/components/similar-projects.ts";
import { getContentVersion } from "../../db/content-version.ts";
import type { Html } from "../../core/html.ts";

const slugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,120}$/);
/** Pages anyone may read: front page, project list, project pages, the municipality's profile. */
/**
 * "Lignende prosjekter" for a published project: up to five projects elsewhere
 * addressing the same problem. The page still renders if search fails.
 * Kept per project while the content version stands still (it moves with
 * every project, imitation and profile change, and when the search index
 * takes in work: db/migrations/0019), so a staff member's page, which the
 * page cache never serves, asks the index once per change rather than once
 * per view.
 */
function similarSections(ctx: AppContext, search: SearchService | undefined, maxEntries = 2_000) {
  const kept = new Map<string, { version: number; section: Html }>();
  return async (project: Project, knownVersion?: number): Promise<Html | undefined> => {
    if (!search || !project.published) return undefined;
    const version = knownVersion ?? (await getContentVersion(ctx.db));
    const hit = kept.get(project.id);
    if (hit?.version === version) return hit.section;
    let failed = false;
    const hits = await search.similar(project).catch((error: unknown) => {
      ctx.logger.warn("similar projects unavailable", { error: String(error) });
      failed = true;
      return [];
    });
    const section = similarProjects(
      hits.map((h) => ({ title: h.title, href: h.path, municipality: h.municipality.name, phase: h.phase, snippetHtml: h.snippet })),
    );
    if (!failed) {
      kept.delete(project.id);
      kept.set(project.id, { version, section });
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
    }
    return section;
  };
}

export function publicPageRoutes(ctx: AppContext, search?: SearchService): Router {
  const router = Router();
  const similarSection = similarSections(ctx, search);


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
    const [newHere, newFollowed, seeking, imitated] = await Promise.all([
      listProjects(ctx.db, { origin: "local" }, { perPage: 4, order: "newest", withTotal: false }),
      listProjects(ctx.db, { origin: "remote" }, { perPage: 4, order: "newest", withTotal: false }),
      listProjects(ctx.db, { seekingPartners: true }, { perPage: 12, order: "updated", withTotal: false }),
      listProjects(ctx.db, { imitated: true }, { perPage: 24, order: "imitations", withTotal: false }),
    ]);
    // Each project once on the page: later sections skip what an earlier one shows.
    const shown = new Set([...newHere.items, ...newFollowed.items].map((p) => p.id));
    const unseen = (list: readonly Project[], n: number) => {
      const picked = list.filter((p) => !shown.has(p.id)).slice(0, n);
      for (const p of picked) shown.add(p.id);
      return picked;
    };
    const seekingPartners = unseen(seeking.items, 4);
    // Nearby first: our county, then the rest, each in the order of how widely imitated.
    const near = (p: Project) => (municipality.fylke && p.municipality.fylke === municipality.fylke ? 0 : 1);
    const mostImitated = unseen(
      imitated.items.map((p, i) => ({ p, i })).sort((a, b) => near(a.p) - near(b.p) || a.i - b.i).map((x) => x.p),
      4,
    );
    const listed = [...newHere.items, ...newFollowed.items, ...seekingPartners, ...mostImitated];
    sendPage(
      res,
      frontPage({
        chrome: chromeOf(ctx, req, res, municipality),
        municipality,
        newHere: newHere.items,
        newFollowed: newFollowed.items,
        seeking: seekingPartners,
        mostImitated,
        origins: await originsOf(ctx, listed),
      }),
    );
  });

  router.get("/prosjekter", async (req, res) => {
    const raw = fromPageParams(listParams, withoutEmpty(req.query));
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
    const href = (page: number) => `/prosjekter?${toPageQuery(listParams, { ...query, page }, listDefaults)}`;
    sendPage(
      res,
      projectListPage({
        chrome: chromeOf(ctx, req, res, municipality),
        query,
        result,
        strategicAreas: municipality?.strategicAreas ?? [],
        href,
        origins: await originsOf(ctx, result.items),
      }),
    );
  });

  /**
   * A project's page, ours or a peer's. `owned` brings, read alongside the
   * imitation, lineage and similar projects, the municipality the page belongs to and what
   * differs between the two: strategic areas, history, edit and follow links.
   * `read`: what was read with the project, when it was: the imitations
   * below it and the content version.
   */
  async function showProject(
    req: Request,
    res: Response,
    project: Project,
    owned: Promise<{ municipality: Municipality | undefined; page: Pick<ProjectPageProps, "strategicAreas" | "history" | "editHref" | "followHref" | "media"> }>,
    read?: Pick<LocalProjectPage, "below" | "contentVersion">,
  ): Promise<void> {
    const [{ municipality, page }, imitation, origins, similar] = await Promise.all([
      owned,
      ctx.imitations.view(project, read?.below),
      originsOf(ctx, [project]),
      similarSection(project, read?.contentVersion),
    ]);
    const chrome = chromeOf(ctx, req, res, municipality);
    sendPage(
      res,
      projectPage({
        ...page,
        chrome,
        project,
        imitation,
        origin: origins.get(project.url),
        actions: staffActions(project, res, chrome.csrf),
        follow: await projectFollowButton(ctx, res, project, chrome.csrf),
        similar,
      }),
    );
  }

  router.get("/prosjekter/fra/:id", async (req, res) => {
    const id = req.params.id;
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project || project.local || !project.published) throw new HttpError(404, t.errors.notFound);
    await showProject(
      req,
      res,
      project,
      Promise.all([cachedLocalMunicipality(ctx), getMunicipalityByActorUrl(ctx.db, project.municipality.actorUrl)]).then(([municipality, owner]) => ({
        municipality,
        page: { strategicAreas: owner?.strategicAreas ?? [], followHref: safeHttpUrl(project.municipality.actorUrl) },
      })),
    );
  });

  router.get("/prosjekter/:slug", async (req, res) => {
    const slug = slugParam.safeParse(req.params.slug);
    const read = slug.success ? await getLocalProjectPage(ctx.db, slug.data) : undefined;
    const project = read?.project;
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
    if (!read || !project || (!project.published && !staff)) throw new HttpError(404, t.errors.notFound);
    await showProject(
      req,
      res,
      project,
      Promise.all([requireLocalMunicipality(ctx), staff ? listRevisions(ctx.db, project.id) : undefined]).then(([municipality, history]) => ({
        municipality,
        page: {
          strategicAreas: municipality.strategicAreas,
          history,
          editHref: staff ? `/admin/prosjekter/${project.id}/rediger` : undefined,
          followHref: `${paths.actor(municipality.handle)}#folg`,
          media: projectMedia(read.media.map(mediaItemView)),
        },
      })),
      read,
    );
  });

  router.get("/kommune", async (_req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    res.redirect(303, paths.actor(municipality.handle));
  });

  router.get("/kommune/:handle", async (req, res) => {
    const municipality = await requireLocalMunicipality(ctx);
    if (req.params.handle !== municipality.handle) throw new HttpError(404, t.errors.notFound);
    const chrome = chromeOf(ctx, req, res, municipality);
    const shown = await withUploadedLogo(ctx, municipality);
    if (ctx.config.role === "aggregator") {
      const participants = await ctx.overview.participants(false);
      return sendPage(res, profilePage({ chrome, municipality: shown, projects: [], total: 0, national: { participants: participants.length } }));
    }
    const projects = await listProjects(ctx.db, { municipalityId: municipality.id }, { perPage: 20, order: "newest" });
    sendPage(
      res,
      profilePage({
        chrome,
        address: `@${municipality.handle}@${municipality.domain}`,
        municipality: shown,
        projects: projects.items,
        total: projects.total,
        origins: await originsOf(ctx, projects.items),
      }),
    );
  });

  return router;
}

import { Router, type Request } from "express";
import { getProject, listProjects } from "../../db/projects.ts";
import { projectCreateSchema, projectPatchSchema, type Project } from "../../core/project.ts";
import { projectQuerySchema } from "../../core/project-query.ts";
import type { AppContext } from "../context.ts";
import { HttpError, parseOr400 } from "../http/errors.ts";
import { requireApi } from "../http/api-auth.ts";
import { requireJson } from "../http/json-body.ts";
import { projectJson } from "../project-json.ts";
import { imitationsOf, imitationsOfMany } from "../../db/imitations.ts";
import { isId } from "../../db/ids.ts";
import { t } from "../../web/texts.ts";
import { cachedLocalMunicipality } from "./page-helpers.ts";

export function apiProjectRoutes(ctx: AppContext): Router {
  const router = Router();

  async function findProject(id: string, signedIn: boolean): Promise<Project> {
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project || (!project.published && !signedIn)) throw new HttpError(404, t.api.projectNotFound);
    return project;
  }

  /** The municipality whose projects we write (the project service refuses on the aggregator: 409). */
  async function ownMunicipality() {
    const municipality = await cachedLocalMunicipality(ctx);
    if (!municipality) throw new HttpError(409, t.api.notSetUp);
    return municipality;
  }

  const actorOf = (req: Request) => {
    const account = req.res!.locals.account!;
    return { accountId: account.id, name: `${account.name} (API)` };
  };

  router.get("/projects", async (req, res) => {
    const q = parseOr400(projectQuerySchema, req.query);
    const page = await listProjects(
      ctx.db,
      {
        phase: q.phase,
        serviceArea: q.serviceArea,
        strategicArea: q.strategicArea,
        seekingPartners: q.seekingPartners,
        imitated: q.imitated,
        isImitation: q.isImitation,
        origin: q.origin,
        includeDrafts: Boolean(res.locals.account),
      },
      { page: q.page, perPage: q.perPage, order: q.order },
    );
    const imitations = await imitationsOfMany(ctx.db, page.items.map((p) => p.url));
    res.json({
      total: page.total,
      page: page.page,
      perPage: page.perPage,
      pages: Math.ceil(page.total / page.perPage),
      items: page.items.map((p) => projectJson(p, imitations.get(p.url))),
    });
  });

  router.get("/projects/:id", async (req, res) => {
    const project = await findProject(String(req.params.id), Boolean(res.locals.account));
    res.json(projectJson(project, await imitationsOf(ctx.db, project.url)));
  });

  router.get("/projects/:id/lineage", async (req, res) => {
    const project = await findProject(String(req.params.id), Boolean(res.locals.account));
    res.json(await ctx.imitations.lineage(project));
  });

  router.post("/projects", requireApi("project.write"), requireJson, async (req, res) => {
    const input = parseOr400(projectCreateSchema, req.body);
    const project = await ctx.projects.create(await ownMunicipality(), input, actorOf(req));
    res.status(201).location(`/api/v1/projects/${project.id}`).json(projectJson(project));
  });

  router.patch("/projects/:id", requireApi("project.write"), requireJson, async (req, res) => {
    const current = await findProject(String(req.params.id), true);
    if (!current.local) throw new HttpError(403, t.api.editElsewhere);
    const patch = parseOr400(projectPatchSchema, req.body);
    const updated = await ctx.projects.update(await ownMunicipality(), current, patch, actorOf(req));
    res.json(projectJson(updated, await imitationsOf(ctx.db, updated.url)));
  });

  router.delete("/projects/:id", requireApi("project.write"), async (req, res) => {
    const current = await findProject(String(req.params.id), true);
    if (!current.local) throw new HttpError(403, t.api.deleteElsewhere);
    await ctx.projects.delete(current);
    res.status(204).end();
  });

  return router;
}

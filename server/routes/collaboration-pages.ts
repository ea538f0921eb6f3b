import { Router, type Request, type Response } from "express";
import { listCollaborationRequests } from "../../db/collaboration-requests.ts";
import type { Project } from "../../core/project.ts";
import { collaborationRequestSchema } from "../../core/collaboration.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { ValidationError } from "../../services/projects.ts";
import { NotOursToAnswerError } from "../../services/collaboration.ts";
import { one, parseForm, type FormBody } from "../forms/issues.ts";
import { collaborationFormPage, collaborationListPage } from "../../web/views/collaboration.ts";
import { t } from "../../web/texts.ts";
import { cachedLocalMunicipality, formChrome, sendPage } from "./page-helpers.ts";
import { publishedProjectAt } from "./project-at-url.ts";

/** Staff pages for requests to join projects: ask to join one, and answer those that come in. */
export function collaborationPageRoutes(ctx: AppContext): Router {
  const router = Router();
  const staff = requireStaff("project.write");

  async function projectByUrl(url: string): Promise<Project> {
    const found = await publishedProjectAt(ctx, url);
    if (!found) throw new HttpError(404, t.errors.notFound);
    return found;
  }

  const actorOf = (res: Response) => ({ accountId: res.locals.account!.id, name: res.locals.account!.name });

  async function listPage(req: Request, res: Response, message?: string) {
    const municipality = await cachedLocalMunicipality(ctx);
    const all = await listCollaborationRequests(ctx.db);
    const own = municipality?.actorUrl;
    sendPage(res, collaborationListPage({
      chrome: formChrome(ctx, req, res, municipality),
      incoming: all.filter((r) => r.fromActorUrl !== own),
      outgoing: all.filter((r) => r.fromActorUrl === own),
      message,
    }));
  }

  router.get("/admin/samarbeid", staff, (req, res) => listPage(req, res));

  router.get("/admin/samarbeid/ny", staff, async (req, res) => {
    const project = await projectByUrl(String(req.query.prosjekt ?? ""));
    sendPage(res, collaborationFormPage({
      chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)),
      project: { url: project.url, title: project.title, municipalityName: project.municipality.name },
      values: { contactName: res.locals.account!.name, contactEmail: res.locals.account!.email },
    }));
  });

  router.post("/admin/samarbeid/ny", staff, async (req, res) => {
    const body = req.body as FormBody;
    const project = await projectByUrl(one(body, "project"));
    const values = { message: one(body, "message"), contactName: one(body, "contactName"), contactEmail: one(body, "contactEmail") };
    const parsed = parseForm(collaborationRequestSchema, values);
    const again = (errors: Record<string, string>) =>
      sendPage(res, collaborationFormPage({
        chrome: formChrome(ctx, req, res),
        project: { url: project.url, title: project.title, municipalityName: project.municipality.name },
        values,
        errors,
      }), 422);
    if (!parsed.ok) return again(parsed.errors);
    try {
      await ctx.collaboration.send(project, parsed.data);
    } catch (error) {
      if (error instanceof ValidationError) return again(Object.fromEntries(error.issues.map((i) => [i.field === "project" ? "_form" : i.field, i.message])));
      throw error;
    }
    await listPage(req, res, t.imitation.sent);
  });

  for (const [path, accept] of [["godta", true], ["avsla", false]] as const) {
    router.post(`/admin/samarbeid/:id/${path}`, staff, async (req, res) => {
      const decided = await ctx.collaboration.decide(String(req.params.id), accept, actorOf(res)).catch((error: unknown) => {
        throw error instanceof NotOursToAnswerError ? new HttpError(409, t.imitation.notOursToAnswer) : error;
      });
      if (!decided) throw new HttpError(404, t.errors.notFound);
      res.redirect(303, "/admin/samarbeid");
    });
  }

  return router;
}

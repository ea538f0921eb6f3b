import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { getProject, listProjects } from "../../db/projects.ts";
import type { Municipality } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import type { Project } from "../../core/project.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { ValidationError, type Actor } from "../../services/projects.ts";
import { one, type FormBody, type FormErrors } from "../forms/issues.ts";
import {
  parseProjectForm,
  projectValuesFromBody,
  projectValuesFromProject,
  type ProjectFormValues,
} from "../forms/project-form.ts";
import { t } from "../../web/texts.ts";
import { formTexts } from "../../web/project-form-texts.ts";
import { projectFormPage } from "../../web/views/project-form.ts";
import { confirmDeletePage, staffProjectsPage } from "../../web/views/staff-projects.ts";
import { cachedLocalMunicipality, chromeOf, formChrome, requireLocalMunicipality, sendPage } from "./page-helpers.ts";
import { publishedProjectAt } from "./project-at-url.ts";
import { isId } from "../../db/ids.ts";

const pageParam = z.coerce.number().int().min(1).max(10_000).catch(1);

const notices: Record<string, string> = {
  opprettet: t.form.created,
  lagret: t.form.saved,
  "lagret-publisert": formTexts.publishedAndSaved,
  "lagret-avpublisert": formTexts.savedAndUnpublished,
  slettet: t.staff.deleted,
};

/**
 * What the action bar asked for (`handling=lagre|publiser|avpubliser`): the
 * publication state to set along with the edits, or undefined to keep it.
 * `publish=true|false` is the older name of the same choice on the new-project form.
 */
function publicationWanted(body: FormBody): boolean | undefined {
  const handling = one(body, "handling");
  if (handling === "publiser") return true;
  if (handling === "avpubliser") return false;
  if (handling === "" && one(body, "publish") !== "") return one(body, "publish") === "true";
  return undefined;
}

/** Staff (editors and administrators) list, create, edit, publish and delete the municipality's projects. */
export function staffProjectRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/admin/prosjekter", requireStaff("project.write"));

  /** The municipality whose projects these pages edit; the aggregator has none (409 from the project service). */
  async function ownMunicipality(): Promise<Municipality> {
    ctx.projects.checkPublishesProjects();
    return requireLocalMunicipality(ctx);
  }

  async function localProject(id: unknown): Promise<Project> {
    const project = isId(id) ? await getProject(ctx.db, id) : undefined;
    if (!project || !project.local) throw new HttpError(404, t.errors.notFound);
    return project;
  }

  function actorOf(res: Response): Actor {
    const account = res.locals.account!;
    return { accountId: account.id, name: account.name };
  }

  function renderForm(
    req: Request,
    res: Response,
    municipality: Municipality,
    opts: { values: ProjectFormValues; errors?: FormErrors; project?: Project; status?: number; notice?: string },
  ) {
    const page = projectFormPage({
      chrome: formChrome(ctx, req, res, municipality),
      values: opts.values,
      errors: opts.errors,
      project: opts.project,
      strategicAreas: municipality.strategicAreas,
      notice: opts.notice,
      media: res.locals.mediaSection,
    });
    sendPage(res, page, opts.status ?? 200);
  }

  const issuesOf = (error: ValidationError): FormErrors => Object.fromEntries(error.issues.map((i) => [i.field, i.message]));

  router.get("/admin/prosjekter", async (req, res) => {
    const municipality = await cachedLocalMunicipality(ctx);
    const result = await listProjects(
      ctx.db,
      { origin: "local", includeDrafts: true },
      { page: pageParam.parse(req.query.side), perPage: 50, order: "updated" },
    );
    const notice = notices[String(req.query.melding ?? "")];
    sendPage(res, staffProjectsPage({ chrome: chromeOf(ctx, req, res, municipality), result, notice }));
  });

  router.get("/admin/prosjekter/ny", async (req, res) => {
    const municipality = await ownMunicipality();
    renderForm(req, res, municipality, { values: projectValuesFromProject() });
  });

  router.post("/admin/prosjekter/ny", async (req, res) => {
    const municipality = await ownMunicipality();
    const values = projectValuesFromBody(req.body as FormBody);
    const parsed = parseProjectForm(values);
    if (!parsed.ok) return renderForm(req, res, municipality, { values, errors: parsed.errors, status: 400 });
    const published = publicationWanted(req.body as FormBody) ?? false;
    try {
      const project = await ctx.projects.create(municipality, { ...parsed.data, published }, actorOf(res));
      res.redirect(303, `/admin/prosjekter/${project.id}/rediger?melding=opprettet`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      renderForm(req, res, municipality, { values, errors: issuesOf(error), status: 422 });
    }
  });

  router.get("/admin/prosjekter/:id/rediger", async (req, res) => {
    const [municipality, project] = await Promise.all([ownMunicipality(), localProject(req.params.id)]);
    const notice = notices[String(req.query.melding ?? "")];
    renderForm(req, res, municipality, { values: projectValuesFromProject(project), project, notice });
  });

  router.post("/admin/prosjekter/:id/rediger", async (req, res) => {
    const [municipality, project] = await Promise.all([ownMunicipality(), localProject(req.params.id)]);
    const values = projectValuesFromBody(req.body as FormBody);
    const parsed = parseProjectForm(values);
    if (!parsed.ok) return renderForm(req, res, municipality, { values, errors: parsed.errors, project, status: 400 });
    const published = publicationWanted(req.body as FormBody);
    try {
      // The edits and the change of publication go in one service call, one transaction:
      // "Publiser" publishes what is in the form, and a refused save publishes nothing.
      const patch = published === undefined ? parsed.data : { ...parsed.data, published };
      await ctx.projects.update(municipality, project, patch, actorOf(res));
      const outcome = published === undefined || published === project.published ? "lagret" : published ? "lagret-publisert" : "lagret-avpublisert";
      res.redirect(303, `/admin/prosjekter/${project.id}/rediger?melding=${outcome}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      renderForm(req, res, municipality, { values, errors: issuesOf(error), project, status: 422 });
    }
  });

  // Imitating: a draft here that starts from another project (ours or another municipality's), then its edit form.
  router.post("/admin/imitasjoner", requireStaff("project.write"), async (req, res) => {
    const municipality = await ownMunicipality();
    const original = await publishedProjectAt(ctx, one(req.body as FormBody, "original"));
    if (!original) throw new HttpError(404, t.errors.notFound);
    const copy = await ctx.imitations.imitate(municipality, original, actorOf(res));
    res.redirect(303, `/admin/prosjekter/${copy.id}/rediger`);
  });

  router.get("/admin/prosjekter/:id/slett", async (req, res) => {
    const [municipality, project] = await Promise.all([ownMunicipality(), localProject(req.params.id)]);
    sendPage(res, confirmDeletePage({ chrome: formChrome(ctx, req, res, municipality), project }));
  });

  router.post("/admin/prosjekter/:id/slett", async (req, res) => {
    await ownMunicipality();
    const project = await localProject(req.params.id);
    await ctx.projects.delete(project);
    res.redirect(303, "/admin/prosjekter?melding=slettet");
  });

  return router;
}

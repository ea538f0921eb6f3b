import { Router, type Request, type Response } from "express";
import { isId } from "../../db/ids.ts";
import { getIdea, listChallenges, listIdeasByModeration, listPublicIdeas, measuredIdeas, stateHistory } from "../../db/ideas.ts";
import { getProject } from "../../db/projects.ts";
import type { IdeaRow } from "../../db/schema-ideas.ts";
import { challengeIsOpen, ideaFormSchema, ideaMeasure, stateChangeSchema } from "../../core/ideas.ts";
import { projectPath } from "../../core/urls.ts";
import { may } from "../../core/rules.ts";
import type { SearchService } from "../../search/service.ts";
import { IdeaAlreadyProjectError, IdeaForbiddenError, IdeaService, type IdeaActor } from "../../services/ideas.ts";
import { ValidationError } from "../../services/projects.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { RateLimiter, refundAll, takeAll } from "../http/rate-limit.ts";
import { requireStaff } from "../http/session.ts";
import { one, parseForm, type FormBody, type FormErrors } from "../forms/issues.ts";
import { ideaErasePage, ideaFormPage, ideaListPage, ideaMeasurePage, ideaPage, ideaThanksPage, type IdeaStaffPanel, type IdeaView } from "../../web/views/idea-pages.ts";
import { ideaQueuePage } from "../../web/views/idea-admin.ts";
import { ti } from "../../web/texts-ideas.ts";
import { cachedLocalMunicipality, chromeOf, formChrome, sendPage } from "./page-helpers.ts";
import { projectsForIdea, similarIdeas } from "./ideas-similar.ts";
import { getChallenge } from "../../db/ideas.ts";
import { nationalIdeaCounts } from "../../federation/idea-counts.ts";

/** Public submissions per address: 5 an hour (a person with several ideas is not stopped; a flood is). */
export const publicSubmissionLimit = { max: 5, windowMs: 60 * 60_000 };

const issuesToErrors = (error: ValidationError): FormErrors => Object.fromEntries(error.issues.map((i) => [i.field, i.message]));

export function actorOf(res: Response): IdeaActor {
  const a = res.locals.account!;
  return { accountId: a.id, name: a.name, role: a.role };
}

/** Service errors as answers: a rule broken (422 with the form again, by the caller) or a missing role (403). */
export function forbiddenAs403(error: unknown): never {
  if (error instanceof IdeaForbiddenError) throw new HttpError(403, ti.ideas.forbidden);
  throw error;
}

/** Ideas: the public list and pages, the submission form, staff answers and moderation, the measure. */
export function ideaRoutes(ctx: AppContext, search: SearchService): Router {
  const router = Router();
  const ideas = new IdeaService(ctx.db, ctx.events, ctx.projects, { origin: ctx.config.origin, secret: ctx.secret });
  const perAddress = new RateLimiter(publicSubmissionLimit);
  const staff = requireStaff("project.write");

  async function ideaView(row: IdeaRow): Promise<IdeaView> {
    const [history, project, challenge, merged] = await Promise.all([
      stateHistory(ctx.db, row.id),
      row.projectId ? getProject(ctx.db, row.projectId) : undefined,
      row.challengeId ? getChallenge(ctx.db, row.challengeId) : undefined,
      row.mergedInto ? getIdea(ctx.db, row.mergedInto).then((m) => (m?.moderation === "approved" ? m : undefined)) : undefined,
    ]);
    const projects = new Map<string, { title: string; path: string }>();
    for (const id of new Set(history.map((h) => h.projectId).filter((x): x is string => !!x))) {
      const p = id === project?.id ? project : await getProject(ctx.db, id);
      if (p) projects.set(id, { title: p.title, path: projectPath(p) });
    }
    const byline = row.showName && row.submitterName
      ? row.submitterName
      : row.origin === "remote" ? (row.fromMunicipality ?? ti.ideas.fromStaff) : row.origin === "staff" ? ti.ideas.fromStaff : ti.ideas.fromPublic;
    return {
      id: row.id,
      title: row.title,
      state: row.state,
      serviceArea: row.serviceArea,
      createdAt: row.createdAt,
      problem: row.problem,
      proposal: row.proposal,
      byline,
      moderation: row.moderation,
      project: project ? { title: project.title, path: projectPath(project) } : undefined,
      challenge: challenge ? { id: challenge.id, title: challenge.title } : undefined,
      mergedInto: merged ? { id: merged.id, title: merged.title } : undefined,
      personalErased: row.personalErasedAt !== null,
      hasContact: !!(row.submitterName || row.submitterEmail),
      history: history.map((h) => ({ state: h.state, reason: h.reason, changedAt: h.changedAt, project: h.projectId ? projects.get(h.projectId) : undefined })),
    };
  }

  async function showIdea(req: Request, res: Response, row: IdeaRow, panel?: Partial<IdeaStaffPanel>, status = 200) {
    const municipality = await cachedLocalMunicipality(ctx);
    const account = res.locals.account;
    const isStaff = account && may(account.role, "project.write");
    if (!isStaff && row.moderation !== "approved") throw new HttpError(404, ti.ideas.title);
    let staffPanel: IdeaStaffPanel | undefined;
    if (isStaff) {
      const chrome = formChrome(ctx, req, res, municipality);
      const [others, projects] = await Promise.all([
        listPublicIdeas(ctx.db, { limit: 500 }),
        row.moderation === "approved" ? projectsForIdea(search, row).catch((e: unknown) => { ctx.logger.warn("ideas: project search failed", e); return []; }) : Promise.resolve([]),
      ]);
      staffPanel = {
        csrf: chrome.csrf,
        similarIdeas: row.moderation === "approved" ? similarIdeas(row, others) : [],
        similarProjects: projects,
        ...panel,
      };
      return sendPage(res, ideaPage({ chrome, idea: await ideaView(row), staff: staffPanel }), status);
    }
    sendPage(res, ideaPage({ chrome: chromeOf(ctx, req, res, municipality), idea: await ideaView(row) }), status);
  }

  async function ideaOr404(id: string): Promise<IdeaRow> {
    const row = isId(id) ? await getIdea(ctx.db, id) : undefined;
    if (!row) throw new HttpError(404, ti.ideas.title);
    return row;
  }

  router.get("/ideer", async (req, res) => {
    const [rows, challenges] = await Promise.all([listPublicIdeas(ctx.db), listChallenges(ctx.db)]);
    sendPage(res, ideaListPage({
      chrome: chromeOf(ctx, req, res, await cachedLocalMunicipality(ctx)),
      ideas: rows,
      challenges: challenges.filter((c) => challengeIsOpen(c)).map((c) => ({ id: c.id, title: c.title })),
    }));
  });

  router.get("/ideer/tall", async (req, res) => {
    const chrome = chromeOf(ctx, req, res, await cachedLocalMunicipality(ctx));
    // The national instance has no ideas of its own: it adds up what the municipalities it follows publish.
    if (ctx.config.role === "aggregator") {
      const national = await nationalIdeaCounts(ctx);
      return sendPage(res, ideaMeasurePage({ chrome, rows: national.rows, national }));
    }
    sendPage(res, ideaMeasurePage({ chrome, rows: ideaMeasure(await measuredIdeas(ctx.db)) }));
  });

  // The same figures as JSON, counts only (never an idea): what a national (KS) instance may read and add up.
  router.get("/ideer/tall.json", async (_req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.json({ unit: "ideas", period: "year (Europe/Oslo) received", rows: ideaMeasure(await measuredIdeas(ctx.db)) });
  });

  async function openChallenge(id: string | undefined) {
    if (!id) return undefined;
    const c = isId(id) ? await getChallenge(ctx.db, id) : undefined;
    if (!c) throw new HttpError(404, ti.challenges.title);
    return c;
  }

  router.get("/ideer/ny", async (req, res) => {
    const challenge = await openChallenge(typeof req.query.konkurranse === "string" ? req.query.konkurranse : undefined);
    const account = res.locals.account;
    sendPage(res, ideaFormPage({
      chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)),
      staff: !!account,
      challenge: challenge ? { id: challenge.id, title: challenge.title } : undefined,
    }));
  });

  router.post("/ideer/ny", async (req, res) => {
    const body = req.body as FormBody;
    const account = res.locals.account;
    const values = {
      title: one(body, "title"),
      problem: one(body, "problem"),
      proposal: one(body, "proposal"),
      serviceArea: one(body, "serviceArea"),
      submitterName: account ? "" : one(body, "submitterName"),
      submitterEmail: account ? "" : one(body, "submitterEmail"),
      showName: one(body, "showName") === "true" ? "true" : "",
    };
    const challengeId = one(body, "challenge") || undefined;
    const challenge = await openChallenge(challengeId);
    const municipality = await cachedLocalMunicipality(ctx);
    const again = (errors: FormErrors, status: number) => {
      sendPage(res, ideaFormPage({
        chrome: formChrome(ctx, req, res, municipality),
        staff: !!account,
        challenge: challenge ? { id: challenge.id, title: challenge.title } : undefined,
        values,
        errors,
      }), status);
    };
    // The client's address as the app's "trust proxy" setting reads it. Reserved before anything
    // awaits (takeAll), so parallel posts from one address cannot all pass the check; a form sent
    // back for correction gives its attempt back, a filled honeypot keeps it.
    const limits = account ? [] : ([[perAddress, req.ip ?? "unknown"]] as const);
    const wait = takeAll(limits);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      return again({ _form: ti.ideas.flood(wait) }, 429);
    }
    if (!account && one(body, "nettside") !== "") return again({ nettside: ti.ideas.honeypotFilled }, 422);
    const parsed = parseForm(ideaFormSchema, { ...values, showName: values.showName === "true" });
    if (!parsed.ok) {
      refundAll(limits);
      return again(parsed.errors, 422);
    }
    try {
      const submitter = account
        ? { kind: "staff" as const, accountId: account.id, name: account.name, email: account.email }
        : { kind: "public" as const };
      const idea = await ideas.submit(parsed.data, submitter, challenge?.id);
      if (account) return res.redirect(303, `/ideer/${idea.id}`);
      sendPage(res, ideaThanksPage({ chrome: chromeOf(ctx, req, res, municipality), withMail: !!parsed.data.submitterEmail }));
    } catch (error) {
      refundAll(limits);
      if (error instanceof ValidationError) return again(issuesToErrors(error), 422);
      throw error;
    }
  });

  // The submitter's own request to erase their name and address, by the link in every e-mail about the idea.
  // GET only asks (mail scanners open links); the form's POST erases.
  router.get("/ideer/:id/slett-meg", async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    const token = typeof req.query.n === "string" ? req.query.n : "";
    if (!ideas.validEraseToken(row.id, token)) throw new HttpError(403, ti.ideas.eraseBadLink);
    sendPage(res, ideaErasePage({ chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)), id: row.id, token, done: row.personalErasedAt !== null }));
  });

  router.post("/ideer/:id/slett-meg", async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    if (!(await ideas.eraseByToken(row.id, one(req.body as FormBody, "n")))) throw new HttpError(403, ti.ideas.eraseBadLink);
    sendPage(res, ideaErasePage({ chrome: chromeOf(ctx, req, res, await cachedLocalMunicipality(ctx)), id: row.id, done: true }));
  });

  router.get("/ideer/:id", async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    await showIdea(req, res, row, { notice: req.query.melding === "lagret" ? ti.ideas.saved : req.query.melding === "slettet" ? ti.ideas.erased : undefined });
  });

  // Staff ------------------------------------------------------------------

  router.get("/admin/ideer", staff, async (req, res) => {
    const municipality = await cachedLocalMunicipality(ctx);
    const admin = may(res.locals.account!.role, "staff.manage");
    sendPage(res, ideaQueuePage({
      chrome: formChrome(ctx, req, res, municipality),
      pending: await listIdeasByModeration(ctx.db, "pending"),
      retention: admin ? { days: String(await ideas.retentionDays()) } : undefined,
      notice: req.query.melding === "lagret" ? ti.ideas.saved : undefined,
    }));
  });

  router.post("/admin/ideer/oppbevaring", requireStaff("staff.manage"), async (req, res) => {
    const raw = one(req.body as FormBody, "retentionDays").trim();
    try {
      await ideas.setRetentionDays(/^\d+$/.test(raw) ? Number(raw) : Number.NaN, actorOf(res));
    } catch (error) {
      if (!(error instanceof ValidationError)) forbiddenAs403(error);
      return sendPage(res, ideaQueuePage({
        chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)),
        pending: await listIdeasByModeration(ctx.db, "pending"),
        retention: { days: raw, errors: issuesToErrors(error) },
      }), 422);
    }
    res.redirect(303, "/admin/ideer?melding=lagret");
  });

  router.post("/admin/ideer/:id/moderer", staff, async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    const decision = one(req.body as FormBody, "decision");
    if (decision !== "approved" && decision !== "rejected" && decision !== "spam") {
      throw new HttpError(400, ti.ideas.moderate, [{ field: "decision", message: "må være approved, rejected eller spam" }]);
    }
    await ideas.moderate(row.id, decision, actorOf(res)).catch(forbiddenAs403);
    res.redirect(303, "/admin/ideer?melding=lagret");
  });

  router.post("/admin/ideer/:id/status", staff, async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    const body = req.body as FormBody;
    const values = { state: one(body, "state"), reason: one(body, "reason"), projectUrl: one(body, "projectUrl") };
    const parsed = parseForm(stateChangeSchema, values);
    if (!parsed.ok) return showIdea(req, res, row, { values, errors: parsed.errors }, 422);
    try {
      await ideas.changeState(row.id, { ...parsed.data, projectUrl: parsed.data.projectUrl || undefined }, actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) return showIdea(req, res, row, { values, errors: issuesToErrors(error) }, 422);
      forbiddenAs403(error);
    }
    res.redirect(303, `/ideer/${row.id}?melding=lagret`);
  });

  router.post("/admin/ideer/:id/prosjekt", staff, async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    const project = await ideas.makeProject(row.id, actorOf(res)).catch((error: unknown) => {
      if (error instanceof IdeaAlreadyProjectError) throw new HttpError(409, ti.ideas.alreadyProject);
      return forbiddenAs403(error);
    });
    res.redirect(303, `/admin/prosjekter/${project.id}/rediger`);
  });

  router.post("/admin/ideer/:id/slaa-sammen", staff, async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    const into = one(req.body as FormBody, "into");
    try {
      await ideas.merge(row.id, into, actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) return showIdea(req, res, row, { errors: issuesToErrors(error) }, 422);
      forbiddenAs403(error);
    }
    res.redirect(303, `/ideer/${row.id}?melding=lagret`);
  });

  router.post("/admin/ideer/:id/slett-personopplysninger", staff, async (req, res) => {
    const row = await ideaOr404(String(req.params.id));
    await ideas.erase(row.id, actorOf(res)).catch(forbiddenAs403);
    res.redirect(303, `/ideer/${row.id}?melding=slettet`);
  });

  return router;
}

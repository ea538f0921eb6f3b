import { Router, type Request, type Response } from "express";
import { listAccounts } from "../../db/accounts.ts";
import { isId } from "../../db/ids.ts";
import { getChallenge, juryOf, listChallenges, listPublicIdeas, scoresOf, winnersOf } from "../../db/ideas.ts";
import type { ChallengeRow } from "../../db/schema-ideas.ts";
import { challengeFormSchema, challengeIsOpen, ideaFormSchema } from "../../core/ideas.ts";
import { getRemoteChallenge, listRemoteChallenges } from "../../db/remote-challenges.ts";
import type { RemoteChallengeRow } from "../../db/schema-remote-challenges.ts";
import { may } from "../../core/rules.ts";
import { ChallengeService } from "../../services/challenges.ts";
import { IdeaForbiddenError } from "../../services/ideas.ts";
import { ValidationError } from "../../services/projects.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "../http/errors.ts";
import { requireStaff } from "../http/session.ts";
import { many, one, parseForm, type FormBody, type FormErrors } from "../forms/issues.ts";
import { challengeFormPage, challengeListPage, challengePage, remoteChallengePage, type ChallengeStatus, type ChallengeView, type JuryPanel } from "../../web/views/challenge-pages.ts";
import { ti } from "../../web/texts-ideas.ts";
import { cachedLocalMunicipality, chromeOf, formChrome, sendPage } from "./page-helpers.ts";
import { actorOf, forbiddenAs403 } from "./ideas.ts";

const day = 24 * 60 * 60 * 1000;

function statusOf(c: Pick<ChallengeRow, "opensAt" | "closesAt">, now = new Date()): ChallengeStatus {
  if (challengeIsOpen(c, now)) return "open";
  return now < c.opensAt ? "upcoming" : "closed";
}

/** Idea competitions: the public pages, the form that opens one, the jury's scores and the winners. */
export function challengeRoutes(ctx: AppContext): Router {
  const router = Router();
  const challenges = new ChallengeService(ctx.db, ctx.events);
  const staff = requireStaff("project.write");

  async function challengeOr404(id: string): Promise<ChallengeRow> {
    const c = isId(id) ? await getChallenge(ctx.db, id) : undefined;
    if (!c) throw new HttpError(404, ti.challenges.title);
    return c;
  }

  async function view(c: ChallengeRow): Promise<ChallengeView> {
    const [submissions, winners] = await Promise.all([listPublicIdeas(ctx.db, { challengeId: c.id }), winnersOf(ctx.db, c.id)]);
    const byId = new Map(submissions.map((s) => [s.id, s]));
    return {
      id: c.id,
      title: c.title,
      opensAt: c.opensAt,
      closesAt: c.closesAt,
      status: statusOf(c),
      problem: c.problem,
      eligibility: c.eligibility,
      criteria: c.criteria,
      prizes: c.prizes,
      scaleMax: c.scaleMax,
      openToOthers: c.openToOthers,
      winnersNote: c.winnersNote,
      winners: winners.map((w) => byId.get(w.ideaId)).filter((x) => x !== undefined),
      submissions,
    };
  }

  async function show(req: Request, res: Response, c: ChallengeRow, jury: Partial<JuryPanel> = {}, status = 200) {
    const municipality = await cachedLocalMunicipality(ctx);
    const account = res.locals.account;
    const v = await view(c);
    const onJury = account ? (await juryOf(ctx.db, c.id)).includes(account.id) : false;
    if (!onJury) return sendPage(res, challengePage({ chrome: chromeOf(ctx, req, res, municipality), challenge: v }), status);
    const chrome = formChrome(ctx, req, res, municipality);
    const scores = await scoresOf(ctx.db, c.id);
    const mine: Record<string, number[]> = {};
    for (const s of scores.filter((s) => s.accountId === account!.id)) (mine[s.ideaId] ??= [])[s.criterion] = s.score;
    const titles = new Map(v.submissions.map((s) => [s.id, s.title]));
    const results = (await challenges.results(c)).map((r) => ({ ...r, title: titles.get(r.ideaId) ?? r.ideaId }));
    sendPage(res, challengePage({ chrome, challenge: v, jury: { csrf: chrome.csrf, mine, results, ...jury } }), status);
  }

  router.get("/konkurranser", async (req, res) => {
    const account = res.locals.account;
    sendPage(res, challengeListPage({
      chrome: chromeOf(ctx, req, res, await cachedLocalMunicipality(ctx)),
      challenges: (await listChallenges(ctx.db)).map((c) => ({ id: c.id, title: c.title, opensAt: c.opensAt, closesAt: c.closesAt, status: statusOf(c) })),
      canCreate: !!account && may(account.role, "project.write"),
      remote: (await listRemoteChallenges(ctx.db)).map((c) => ({ id: c.id, title: c.title, opensAt: c.opensAt, closesAt: c.closesAt, status: statusOf(c), municipality: c.municipalityName })),
    }));
  });

  async function staffOptions() {
    return (await listAccounts(ctx.db)).filter((a) => !a.disabledAt).map((a) => ({ id: a.id, name: a.name }));
  }

  router.get("/admin/konkurranser/ny", staff, async (req, res) => {
    const today = new Date();
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    sendPage(res, challengeFormPage({
      chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)),
      staff: await staffOptions(),
      values: { opensAt: iso(today), closesAt: iso(new Date(today.getTime() + 30 * day)), scaleMax: "5" },
    }));
  });

  router.post("/admin/konkurranser/ny", staff, async (req, res) => {
    const body = req.body as FormBody;
    const values: Record<string, string | string[]> = {};
    for (const k of ["title", "problem", "eligibility", "opensAt", "closesAt", "prizes", "scaleMax"]) values[k] = one(body, k);
    for (let i = 0; i < 5; i++) {
      values[`criteria.${i}.name`] = one(body, `criteria.${i}.name`);
      values[`criteria.${i}.description`] = one(body, `criteria.${i}.description`);
    }
    // Open to other municipalities: published to our followers over ActivityPub (federation/challenge-object.ts).
    values.openToOthers = one(body, "openToOthers") === "true" ? "true" : "";
    values.jury = many(body, "jury");
    const criteria = Array.from({ length: 5 }, (_, i) => ({ name: String(values[`criteria.${i}.name`]), description: String(values[`criteria.${i}.description`]) }))
      .filter((c) => c.name.trim() !== "" || c.description.trim() !== "");
    const parsed = parseForm(challengeFormSchema, {
      title: values.title, problem: values.problem, eligibility: values.eligibility, opensAt: values.opensAt, closesAt: values.closesAt,
      prizes: values.prizes, scaleMax: values.scaleMax, openToOthers: values.openToOthers === "true", criteria,
    });
    const again = async (errors: FormErrors) =>
      sendPage(res, challengeFormPage({ chrome: formChrome(ctx, req, res, await cachedLocalMunicipality(ctx)), staff: await staffOptions(), values, errors }), 422);
    if (!parsed.ok) return again(parsed.errors);
    const known = new Set((await staffOptions()).map((s) => s.id));
    const jury = (values.jury as string[]).filter((id) => known.has(id));
    const created = await challenges.create(parsed.data, jury, actorOf(res)).catch(forbiddenAs403);
    res.redirect(303, `/konkurranser/${created.id}`);
  });

  router.get("/konkurranser/:id", async (req, res) => {
    await show(req, res, await challengeOr404(String(req.params.id)), { notice: req.query.melding === "lagret" ? ti.challenges.saved : undefined });
  });

  router.post("/konkurranser/:id/poeng", staff, async (req, res) => {
    const c = await challengeOr404(String(req.params.id));
    const body = req.body as FormBody;
    const ideaId = one(body, "idea");
    const raw = c.criteria.map((_, i) => one(body, `score.${i}`).trim());
    const values = Object.fromEntries(raw.map((v, i) => [`score.${i}`, v]));
    try {
      await challenges.score(c.id, ideaId, raw.map((v) => (/^-?\d+$/.test(v) ? Number(v) : Number.NaN)), actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) {
        return show(req, res, c, { errors: Object.fromEntries(error.issues.map((i) => [i.field, i.message])), failed: { ideaId, values } }, 422);
      }
      if (error instanceof IdeaForbiddenError) throw new HttpError(403, ti.challenges.notJury);
      throw error;
    }
    res.redirect(303, `/konkurranser/${c.id}?melding=lagret`);
  });

  router.post("/konkurranser/:id/vinnere", staff, async (req, res) => {
    const c = await challengeOr404(String(req.params.id));
    const body = req.body as FormBody;
    try {
      await challenges.announce(c.id, many(body, "winners"), one(body, "note").trim() || ti.challenges.announced, actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) return show(req, res, c, { errors: Object.fromEntries(error.issues.map((i) => [i.field, i.message])) }, 422);
      if (error instanceof IdeaForbiddenError) throw new HttpError(403, ti.challenges.notJury);
      throw error;
    }
    res.redirect(303, `/konkurranser/${c.id}`);
  });

  router.post("/konkurranser/:id/steng", staff, async (req, res) => {
    const c = await challengeOr404(String(req.params.id));
    if (!(await juryOf(ctx.db, c.id)).includes(res.locals.account!.id)) throw new HttpError(403, ti.challenges.notJury);
    try {
      await challenges.close(c.id, actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) return show(req, res, c, { errors: Object.fromEntries(error.issues.map((i) => [i.field, i.message])) }, 409);
      throw forbiddenAs403(error);
    }
    res.redirect(303, `/konkurranser/${c.id}`);
  });

  async function remoteOr404(id: string): Promise<RemoteChallengeRow> {
    const c = isId(id) ? await getRemoteChallenge(ctx.db, id) : undefined;
    if (!c) throw new HttpError(404, ti.challenges.title);
    return c;
  }

  async function showRemote(req: Request, res: Response, c: RemoteChallengeRow, extra: { values?: Record<string, string>; errors?: FormErrors; sent?: boolean } = {}, status = 200) {
    const municipality = await cachedLocalMunicipality(ctx);
    const account = res.locals.account;
    const mayWrite = !!account && may(account.role, "project.write");
    const chrome = mayWrite ? formChrome(ctx, req, res, municipality) : chromeOf(ctx, req, res, municipality);
    sendPage(res, remoteChallengePage({
      chrome,
      challenge: { ...c, status: statusOf(c), municipality: c.municipalityName },
      form: mayWrite ? { csrf: (chrome as { csrf: string }).csrf } : undefined,
      ...extra,
    }), status);
  }

  router.get("/konkurranser/ekstern/:id", async (req, res) => {
    await showRemote(req, res, await remoteOr404(String(req.params.id)), { sent: req.query.melding === "sendt" });
  });

  // Signed-in staff only: an idea from the public stays with us and is never sent to another municipality.
  router.post("/konkurranser/ekstern/:id/forslag", staff, async (req, res) => {
    const c = await remoteOr404(String(req.params.id));
    const body = req.body as FormBody;
    const values = Object.fromEntries(["title", "problem", "proposal", "serviceArea"].map((k) => [k, one(body, k)]));
    const parsed = parseForm(ideaFormSchema, { ...values, submitterName: "", submitterEmail: "", showName: false });
    if (!parsed.ok) return showRemote(req, res, c, { values, errors: parsed.errors }, 422);
    try {
      await challenges.sendIdea(c.id, parsed.data, actorOf(res));
    } catch (error) {
      if (error instanceof ValidationError) return showRemote(req, res, c, { values, errors: Object.fromEntries(error.issues.map((i) => [i.field, i.message])) }, 409);
      throw forbiddenAs403(error);
    }
    res.redirect(303, `/konkurranser/ekstern/${c.id}?melding=sendt`);
  });

  return router;
}

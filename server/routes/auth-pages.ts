import { Router, type Request, type Response } from "express";
import { normaliseEmail } from "../../db/accounts.ts";
import type { AppContext } from "../context.ts";
import { endSession, knownDevice, rememberDevice, startSession } from "../http/session.ts";
import { refundAll, takeAll, type LimitKey } from "../http/rate-limit.ts";
import { signInWithPassword } from "../../services/staff.ts";
import { oidcLoginOptions } from "../auth/oidc/settings.ts";
import { one, type FormBody, type FormErrors } from "../forms/issues.ts";
import { t } from "../../web/texts.ts";
import { loginPage, signOutPage } from "../../web/views/login-page.ts";
import type { OidcLoginOption } from "../../web/views/oidc-login.ts";
import { cachedLocalMunicipality, formChrome, safeNext, sendPage } from "./page-helpers.ts";

const afterSignIn = "/admin/prosjekter";

/**
 * Sign-in with e-mail and password; sign-out. Every attempt is counted under
 * the sign-in limits before its password is checked (`createLoginLimits` says
 * which limits and why): an address that keeps guessing is stopped, guesses
 * from many addresses are slowed, and the owner is never locked out.
 */
export function authPageRoutes(ctx: AppContext): Router {
  const router = Router();
  const { perIp, perAccountAtIp, perAccount, perDevice } = ctx.loginLimits;

  /** Sign-in with the identity provider, when set up; the password form stays reachable once asked for or used. */
  async function oidcOption(req: Request): Promise<OidcLoginOption | undefined> {
    const { enabled, only } = await oidcLoginOptions(ctx);
    return enabled ? { only, showPassword: req.method === "POST" || req.query.passord === "1" } : undefined;
  }

  async function render(req: Request, res: Response, status: number, extra: { email?: string; next?: string; problem?: string; errors?: FormErrors }) {
    const [municipality, oidc] = await Promise.all([cachedLocalMunicipality(ctx), oidcOption(req)]);
    sendPage(res, loginPage({ chrome: formChrome(ctx, req, res, municipality), oidc, ...extra }), status);
  }

  router.get("/logg-inn", async (req, res) => {
    const next = safeNext(req.query.neste, "");
    if (res.locals.account) return res.redirect(303, next || afterSignIn);
    await render(req, res, 200, { next: next || undefined });
  });

  router.post("/logg-inn", async (req, res) => {
    const body = req.body as FormBody;
    const email = one(body, "email").trim();
    const password = one(body, "password");
    const next = safeNext(one(body, "neste"), "") || undefined;

    const errors: FormErrors = {};
    if (!email) errors.email = t.form.required;
    if (!password) errors.password = t.form.required;
    if (Object.keys(errors).length > 0) return render(req, res, 400, { email, next, errors });

    const normalised = normaliseEmail(email);
    const ip = req.ip ?? "ukjent";
    const device = knownDevice(ctx, req, normalised);
    const limits: LimitKey[] = [
      [perIp, ip],
      [perAccountAtIp, `${normalised} ${ip}`],
      device ? [perDevice, device] : [perAccount, normalised],
    ];
    // Counted now, before any await: parallel guesses cannot all pass the check first.
    const wait = takeAll(limits);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      return render(req, res, 429, { email, next, problem: t.login.limited(wait) });
    }

    const account = await signInWithPassword(ctx.db, email, password);
    if (!account) return render(req, res, 401, { email, next, problem: t.login.failed });

    refundAll(limits);
    perAccountAtIp.reset(`${normalised} ${ip}`);
    await startSession(ctx, res, account.id);
    rememberDevice(ctx, res, normalised);
    res.redirect(303, next ?? afterSignIn);
  });

  router.get("/logg-ut", async (req, res) => {
    if (!res.locals.account) return res.redirect(303, "/");
    const [municipality, oidc] = await Promise.all([cachedLocalMunicipality(ctx), oidcLoginOptions(ctx)]);
    sendPage(res, signOutPage({ chrome: formChrome(ctx, req, res, municipality), providerSignOut: oidc.enabled }));
  });

  router.post("/logg-ut", async (req, res) => {
    await endSession(ctx, req, res);
    res.redirect(303, "/");
  });

  return router;
}

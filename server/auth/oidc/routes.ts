import { Router, type Request, type Response } from "express";
import { getLocalMunicipality } from "../../../db/municipalities.ts";
import type { AppContext } from "../../context.ts";
import { endSession, startSession } from "../../http/session.ts";
import { chromeOf, safeNext, sendPage } from "../../routes/page-helpers.ts";
import { paths } from "../../../core/urls.ts";
import { oidcProblemPage } from "../../../web/views/oidc-problem.ts";
import { profileFromClaims, roleFromGroups } from "./claims.ts";
import { OidcClient, OidcProblem, type OidcProblemKind } from "./client.ts";
import { clearFlow, readFlow, saveFlow } from "./flow-cookie.ts";
import { sameToken } from "../../../core/signed-token.ts";
import { effectiveOidc } from "./settings.ts";
import { signInIdentity } from "./sign-in.ts";

const afterSignIn = "/admin/prosjekter";

const statusOf: Record<OidcProblemKind, number> = {
  notConfigured: 404,
  noFlow: 400,
  state: 400,
  cancelled: 400,
  tokenRejected: 400,
  unreachable: 502,
  noGroups: 403,
  tooManyGroups: 403,
  refused: 403,
  disabled: 403,
  noEmail: 403,
  emailTaken: 409,
};

/**
 * Staff sign-in through the municipality's OpenID provider: Authorization Code
 * flow with PKCE, state and nonce. Every failure ends on a page that says what
 * happened, with no account created or changed and no session.
 */
export function oidcRoutes(ctx: AppContext, client = new OidcClient()): Router {
  const router = Router();
  const callbackUrl = `${ctx.config.origin}${paths.oidcCallback}`;

  router.use("/logg-inn/oidc", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  /** A problem with the sign-in gets its own page; anything else (the database down) goes to the error handler. */
  async function problem(req: Request, res: Response, p: unknown): Promise<void> {
    if (!(p instanceof OidcProblem)) throw p;
    const quiet = p.kind === "refused" || p.kind === "noFlow" || p.kind === "notConfigured";
    if (!quiet) ctx.logger.warn(`OIDC-innlogging stoppet (${p.kind}${p.detail ? `: ${p.detail}` : ""})`, p.cause);
    const municipality = await getLocalMunicipality(ctx.db);
    sendPage(res, oidcProblemPage({ chrome: chromeOf(ctx, req, res, municipality), kind: p.kind, detail: p.detail }), statusOf[p.kind]);
  }

  router.get(paths.oidcStart, async (req, res) => {
    const next = safeNext(req.query.neste, "");
    try {
      if (res.locals.account) return res.redirect(303, next || afterSignIn);
      const { settings } = await effectiveOidc(ctx);
      if (!settings) throw new OidcProblem("notConfigured");
      const start = await client.start(settings, callbackUrl);
      saveFlow(ctx, res, { state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, next, issuer: settings.issuer });
      res.redirect(303, start.url.href);
    } catch (error) {
      await problem(req, res, error);
    }
  });

  router.get(paths.oidcCallback, async (req, res) => {
    // One use only: whatever happens next, this browser's flow is over.
    const flow = readFlow(ctx, req);
    clearFlow(ctx, res);
    try {
      const { settings } = await effectiveOidc(ctx);
      if (!settings) throw new OidcProblem("notConfigured");
      if (!flow || flow.issuer !== settings.issuer) throw new OidcProblem("noFlow");
      const state = req.query.state;
      if (typeof state !== "string" || !sameToken(state, flow.state)) throw new OidcProblem("state");

      const { claims } = await client.finish(settings, new URL(req.originalUrl, ctx.config.origin), flow);
      const role = roleFromGroups(claims, settings);
      const profile = profileFromClaims(claims);
      const account = await signInIdentity(ctx.db, settings.issuer, profile, role);

      // A new session id on every sign-in; an older one in this browser goes.
      if (res.locals.sessionId) await endSession(ctx, req, res);
      await startSession(ctx, res, account.id);
      res.redirect(303, flow.next || afterSignIn);
    } catch (error) {
      await problem(req, res, error);
    }
  });

  /** Ends the local session, then sends the browser to the provider's end-session endpoint when it has one. */
  router.post(paths.oidcSignOut, async (req, res) => {
    await endSession(ctx, req, res);
    const { settings } = await effectiveOidc(ctx);
    const url = settings ? await client.endSessionUrl(settings, `${ctx.config.origin}/`) : undefined;
    res.redirect(303, url?.href ?? "/");
  });

  return router;
}

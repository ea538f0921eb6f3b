import type { Request, RequestHandler, Response } from "express";
import { parse as parseCookies, serialize } from "cookie";
import { createSession, deleteSession, getSessionAccount, sessionLifetimeMs } from "../../db/accounts.ts";
import { newSecret } from "../../db/ids.ts";
import type { Account } from "../../db/schema.ts";
import { may, type Action } from "../../core/rules.ts";
import { sameToken, signToken } from "../../core/signed-token.ts";
import type { AppContext } from "../context.ts";
import { HttpError } from "./errors.ts";
import { t } from "../../web/texts.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The signed-in staff member (cookie session or API token). */
    account?: Account;
    /** Hash of the session cookie; binds CSRF tokens to the session. */
    sessionId?: string;
  }
}

const sessionCookie = "kominn_session";
const anonCookie = "kominn_anon";
const deviceCookie = "kominn_device";
const deviceLifetimeMs = 180 * 24 * 60 * 60 * 1000;

function cookies(req: Request): Record<string, string | undefined> {
  return req.headers.cookie ? parseCookies(req.headers.cookie) : {};
}

function setCookie(ctx: AppContext, res: Response, name: string, value: string, maxAgeMs: number): void {
  res.append(
    "Set-Cookie",
    serialize(name, value, {
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.config.secureCookies,
      path: "/",
      maxAge: Math.floor(maxAgeMs / 1000),
    }),
  );
}

/** Loads the signed-in account from the session cookie, if any; public requests touch no database. */
export function loadSession(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const secret = cookies(req)[sessionCookie];
    if (secret) {
      const found = await getSessionAccount(ctx.db, secret);
      if (found) {
        res.locals.account = found.account;
        res.locals.sessionId = found.sessionId;
      }
    }
    next();
  };
}

/**
 * Starts a new session: a new cookie, so a new CSRF token. The anonymous
 * cookie goes too: its token never works once signed in, and after sign-out
 * the browser gets a fresh one rather than one a sibling host may have set.
 */
export async function startSession(ctx: AppContext, res: Response, accountId: string): Promise<void> {
  const secret = await createSession(ctx.db, accountId);
  setCookie(ctx, res, sessionCookie, secret, sessionLifetimeMs);
  setCookie(ctx, res, anonCookie, "", 0);
}

export async function endSession(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const secret = cookies(req)[sessionCookie];
  if (secret) await deleteSession(ctx.db, secret);
  setCookie(ctx, res, sessionCookie, "", 0);
}

function sign(ctx: AppContext, binding: string): string {
  return signToken(ctx.secret, "csrf", binding);
}

/**
 * The CSRF token for a form on this response. Bound to the session, or before
 * sign-in to a random cookie set here (double-submit, signed with the instance key).
 * Only the session's own token is accepted for a signed-in session (`verifyCsrf`).
 */
export function csrfToken(ctx: AppContext, req: Request, res: Response): string {
  if (res.locals.sessionId) return sign(ctx, res.locals.sessionId);
  let anon = cookies(req)[anonCookie];
  if (!anon || anon.length < 20) {
    anon = newSecret();
    setCookie(ctx, res, anonCookie, anon, 24 * 60 * 60 * 1000);
    // Visible to the code below in the same request.
    req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ""}${anonCookie}=${anon}`;
  }
  return sign(ctx, `anon:${anon}`);
}

function deviceMac(ctx: AppContext, email: string, id: string): string {
  return signToken(ctx.secret, "device", `${email}:${id}`);
}

/**
 * Marks this browser as one that `email` (normalised) signed in from with its
 * password: a signed cookie, so sign-in limits can tell the owner's own
 * browser from a stranger's (server/routes/auth-pages.ts).
 */
export function rememberDevice(ctx: AppContext, res: Response, email: string): void {
  const id = newSecret();
  setCookie(ctx, res, deviceCookie, `${id}.${deviceMac(ctx, email, id)}`, deviceLifetimeMs);
}

/** This browser's id when `email` (normalised) signed in from it before; undefined otherwise. */
export function knownDevice(ctx: AppContext, req: Request, email: string): string | undefined {
  const [id, mac, ...rest] = (cookies(req)[deviceCookie] ?? "").split(".");
  if (!id || !mac || rest.length > 0) return undefined;
  return sameToken(mac, deviceMac(ctx, email, id)) ? id : undefined;
}


/**
 * Refuses form posts whose `_csrf` field does not match the session; with no
 * session, the anonymous cookie. A signed-in session accepts its own token
 * only: a host that can set cookies for our domain (a sibling subdomain) can
 * plant an anonymous cookie whose token it knows, but never our session.
 */
export function verifyCsrf(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const given = typeof req.body?._csrf === "string" ? req.body._csrf : req.get("x-csrf-token");
    const anon = cookies(req)[anonCookie];
    const expected = res.locals.sessionId
      ? sign(ctx, res.locals.sessionId)
      : anon ? sign(ctx, `anon:${anon}`) : undefined;
    if (typeof given !== "string" || expected === undefined || !sameToken(expected, given)) {
      return next(new HttpError(403, t.errors.csrf, [{ field: "_csrf", message: t.errors.csrfField }]));
    }
    next();
  };
}

/** Staff pages: redirect to sign-in when nobody is signed in; 403 when the role may not. */
export function requireStaff(action?: Action): RequestHandler {
  return (req, res, next) => {
    const account = res.locals.account;
    if (!account) return res.redirect(303, `/logg-inn?neste=${encodeURIComponent(req.originalUrl)}`);
    if (action && !may(account.role, action)) return next(new HttpError(403, t.errors.forbidden));
    next();
  };
}

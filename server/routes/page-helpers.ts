import type { Request, RequestHandler, Response } from "express";
import type { z } from "zod";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { imitationOriginsOf, type ImitationOrigin } from "../../db/imitation-origins.ts";
import type { Municipality } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import type { EventHandler } from "../../db/journal.ts";
import { HttpError } from "../http/errors.ts";
import { csrfToken } from "../http/session.ts";
import { bokmalErrors, formErrors } from "../forms/issues.ts";
import type { Html } from "../../core/html.ts";
import { t } from "../../web/texts.ts";
import type { Chrome } from "../../web/views/chrome.ts";

declare module "express-serve-static-core" {
  interface Locals {
    /** The instance's name and handle, for the header of an error page. */
    site?: { siteName: string; siteHandle: string; aggregator: boolean };
  }
}

/** Remembers the instance's name for this request, so an error page keeps it in its header. */
export function siteLocals(ctx: AppContext): RequestHandler {
  return (_req, res, next) => {
    cachedLocalMunicipality(ctx).then((m) => {
      if (m) res.locals.site = { siteName: m.name, siteHandle: m.handle, aggregator: ctx.config.role === "aggregator" };
      next();
    }, next);
  };
}

/** The page shell's data. A CSRF token is made only for signed-in staff, so public pages set no cookie. */
export function chromeOf(ctx: AppContext, req: Request, res: Response, municipality?: Municipality): Chrome {
  const account = res.locals.account;
  return {
    account,
    csrf: account ? csrfToken(ctx, req, res) : undefined,
    siteName: municipality?.name,
    siteHandle: municipality?.handle,
    aggregator: ctx.config.role === "aggregator",
    unreadNotifications: res.locals.unreadNotifications,
  };
}

/** For pages with a form: always a CSRF token (an anonymous one before sign-in). */
export function formChrome(ctx: AppContext, req: Request, res: Response, municipality?: Municipality): Chrome & { csrf: string } {
  return { ...chromeOf(ctx, req, res, municipality), csrf: csrfToken(ctx, req, res) };
}

export function sendPage(res: Response, page: Html, status = 200): void {
  res.status(status).type("html").send(page.value);
}

const profileCache = new WeakMap<AppContext, { until: number; value: Promise<Municipality | undefined> }>();
const profileTtlMs = 2_000;

/** The journal's profile-cache subscriber (server/subscribers.ts): a profile change clears the cache. */
export function profileCacheHandler(ctx: AppContext): EventHandler {
  return {
    async handle() {
      profileCache.delete(ctx);
    },
  };
}

/**
 * The instance's own profile for rendering pages, cached briefly: every page
 * shows it, and it changes rarely. A profile change clears the cache as soon
 * as the journal hands `profile.updated` to this process (and at once after
 * a change made by this request: `forgetLocalMunicipality`); in any case a
 * change shows within two seconds. Routes read the local municipality here
 * and nowhere else.
 */
export function cachedLocalMunicipality(ctx: AppContext): Promise<Municipality | undefined> {
  const now = Date.now();
  const hit = profileCache.get(ctx);
  if (hit && hit.until > now) return hit.value;
  const value = getLocalMunicipality(ctx.db);
  profileCache.set(ctx, { until: now + profileTtlMs, value });
  value.catch(() => profileCache.delete(ctx));
  return value;
}

/** After this request changed the profile (or set the instance up): the next read sees it. */
export function forgetLocalMunicipality(ctx: AppContext): void {
  profileCache.delete(ctx);
}

export async function requireLocalMunicipality(ctx: AppContext): Promise<Municipality> {
  const municipality = await cachedLocalMunicipality(ctx);
  if (!municipality) throw new HttpError(404, t.errors.notFound);
  return municipality;
}

/** Query strings from GET forms: an empty field means "no filter". */
export function withoutEmpty(query: Request["query"]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== "" && v !== undefined));
}

/** Parses a query string or throws a 400 page that names each bad parameter in bokmål. */
export function parseQueryOr400<S extends z.ZodType>(schema: S, query: unknown, label: (field: string) => string): z.output<S> {
  const result = schema.safeParse(query, { error: bokmalErrors });
  if (result.success) return result.data;
  const fields = Object.entries(formErrors(result.error)).map(([field, message]) => ({ field: label(field), message }));
  throw new HttpError(400, t.list.badFilter, fields);
}

/** Local paths only, so `neste` cannot send anyone to another site. */
export function safeNext(value: unknown, fallback: string): string {
  if (typeof value !== "string") return fallback;
  return /^\/(?![/\\])[^\s]*$/.test(value) && !value.includes("\\") ? value : fallback;
}

/** The originals of the imitations among these projects (or search hits), by project URL, so pages can name them. */
export function originsOf(
  ctx: AppContext,
  items: readonly { url: string; imitationOf?: string | null }[],
): Promise<Map<string, ImitationOrigin>> {
  return imitationOriginsOf(ctx.db, items.filter((p) => p.imitationOf !== null).map((p) => p.url));
}

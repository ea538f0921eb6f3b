import type { Request, RequestHandler } from "express";
import { getContentVersion } from "../../db/content-version.ts";
import type { AppContext } from "../context.ts";

/** Public pages and API reads built only from projects, imitation links and municipalities. */
const cacheablePaths = [
  /^\/$/,
  /^\/prosjekter(\.atom)?$/,
  /^\/prosjekter\/[^/]+$/,
  /^\/prosjekter\/fra\/[^/]+$/,
  /^\/kommune(\/[^/]+)?$/,
  /^\/oversikt$/,
  /^\/api\/v1\/projects(\/[^/]+(\/lineage)?)?$/,
];

function cacheable(req: Request): boolean {
  return (
    req.method === "GET" &&
    req.originalUrl.length <= 512 &&
    !req.headers.authorization &&
    !req.headers.cookie?.includes("kominn_session=") &&
    cacheablePaths.some((p) => p.test(req.path))
  );
}

/**
 * Serves anonymous visitors a page rendered earlier while the database's
 * content version has not moved (see db/content-version.ts): one small query
 * instead of the page's queries and rendering. Staff, forms and anything that
 * sets a cookie are never cached.
 */
export function publicPageCache(ctx: AppContext, maxEntries = 2_000): RequestHandler {
  const pages = new Map<string, { version: number; type: string; body: string }>();
  return async (req, res, next) => {
    if (!cacheable(req) || res.locals.account) return next();
    const version = await getContentVersion(ctx.db);
    const key = req.originalUrl;
    const hit = pages.get(key);
    if (hit && hit.version === version) {
      res.setHeader("X-Cache", "hit");
      return res.type(hit.type).send(hit.body);
    }
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const type = String(res.getHeader("Content-Type") ?? "");
      if (res.statusCode === 200 && typeof body === "string" && !res.getHeader("Set-Cookie") && type) {
        pages.delete(key);
        pages.set(key, { version, type, body });
        if (pages.size > maxEntries) pages.delete(pages.keys().next().value!);
      }
      return send(body);
    };
    next();
  };
}

import express, { type RequestHandler } from "express";
import { fileURLToPath } from "node:url";
import type { AppContext } from "./context.ts";
import { errorHandler, HttpError } from "./http/errors.ts";
import { securityHeaders } from "./http/security.ts";
import { loadSession, verifyCsrf } from "./http/session.ts";
import { publicPageCache } from "./http/page-cache.ts";
import { loadApiToken } from "./http/api-auth.ts";
import { refuseControlCharacters, refuseDeepJson } from "./http/body-guards.ts";
import { apiProjectRoutes } from "./routes/api-projects.ts";
import { apiMetaRoutes } from "./routes/api-meta.ts";
import { apiImitationRoutes } from "./routes/api-imitations.ts";
import { apiCollaborationRoutes } from "./routes/api-collaboration.ts";
import { apiOverviewRoutes } from "./routes/api-overview.ts";
import { apiExportRoutes } from "./routes/api-export.ts";
import { pageRoutes } from "./routes/pages.ts";
import { overviewPageRoutes } from "./routes/overview-page.ts";
import { aggregatorPageRoutes } from "./routes/aggregator-pages.ts";
import { t } from "../web/texts.ts";

export const bodyLimit = "1mb";

export interface AppExtensions {
  /** Mounted before everything else (Fedify answers ActivityPub requests, passes the rest on). */
  before?: RequestHandler[];
  /** Extra API routers mounted under /api/v1 (search, follows, …). */
  api?: express.Router[];
  /** Extra HTML routers (search page, federation admin, …); they get sessions and CSRF checks. */
  pages?: express.Router[];
}

/** Builds the Express app from its dependencies, so tests can start real instances side by side. */
export function createApp(ctx: AppContext, ext: AppExtensions = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.trustProxy);
  app.set("query parser", "simple");

  app.use(securityHeaders({ https: ctx.config.secureCookies }));
  for (const handler of ext.before ?? []) app.use(handler);

  app.use(
    "/static",
    express.static(fileURLToPath(new URL("../web/static", import.meta.url)), { maxAge: "1h", index: false }),
  );

  app.use(publicPageCache(ctx));

  // The API authenticates with bearer tokens only: no cookies, so no CSRF surface.
  const api = express.Router();
  // Nesting deeper than any body of ours is refused before parsing; control characters in any field after it.
  api.use(express.json({ limit: bodyLimit, type: ["application/json", "application/*+json"], verify: refuseDeepJson }), refuseControlCharacters);
  api.use(loadApiToken(ctx));
  api.use(apiMetaRoutes(ctx));
  api.use(apiProjectRoutes(ctx));
  api.use(apiImitationRoutes(ctx));
  api.use(apiCollaborationRoutes(ctx));
  api.use(apiOverviewRoutes(ctx));
  api.use(apiExportRoutes(ctx));
  for (const router of ext.api ?? []) api.use(router);
  api.use((req, _res, next) => next(new HttpError(404, `Ukjent API-adresse: ${req.method} ${req.path}`)));
  app.use("/api/v1", api);
  app.use("/api", (req, _res, next) => next(new HttpError(404, `Ukjent API-adresse: ${req.method} ${req.path}`)));

  app.use(express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 2_000 }), refuseControlCharacters);
  app.use(loadSession(ctx));
  app.use(verifyCsrf(ctx));
  app.use(aggregatorPageRoutes(ctx));
  app.use(pageRoutes(ctx));
  app.use(overviewPageRoutes(ctx));
  for (const router of ext.pages ?? []) app.use(router);

  app.use((_req, _res, next) => next(new HttpError(404, t.errors.notFound)));
  app.use(errorHandler(ctx.logger));
  return app;
}

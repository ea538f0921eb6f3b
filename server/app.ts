import express from "express";
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
import { notificationRoutes, unreadNotificationCount, unsubscribeRoutes } from "./routes/notifications.ts";
import { mediaFileRoutes, mediaUploadRoutes } from "./routes/media.ts";
import { mediaProfileRoutes } from "./routes/media-profile.ts";
import { overviewPageRoutes } from "./routes/overview-page.ts";
import { aggregatorPageRoutes } from "./routes/aggregator-pages.ts";
import { apiFollowRoutes } from "./routes/api-follows.ts";
import { federationAdminRoutes } from "./routes/federation-admin.ts";
import { searchApiRoutes } from "./routes/search-api.ts";
import { searchPageRoutes } from "./routes/search-page.ts";
import { ideaRoutes } from "./routes/ideas.ts";
import { challengeRoutes } from "./routes/ideas-challenges.ts";
import { oidcRoutes } from "./auth/oidc/routes.ts";
import { oidcAdminRoutes } from "./auth/oidc/admin-routes.ts";
import type { OidcClient } from "./auth/oidc/client.ts";
import type { KominnFederation } from "../federation/index.ts";
import type { SearchService } from "../search/service.ts";
import { t } from "../web/texts.ts";

export const bodyLimit = "1mb";

/** The parts server/instance.ts builds beside the context, each mounted here. */
export interface AppParts {
  /** Fedify in front of everything, the follows API and the federation admin page. */
  federation: KominnFederation;
  /** `GET /api/v1/search` and `/sok`. */
  search: SearchService;
  /** Staff sign-in through the municipality's identity provider, and its admin page. */
  oidc: OidcClient;
}

/** Builds the Express app from its dependencies, so tests can start real instances side by side. */
export function createApp(ctx: AppContext, parts: AppParts): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", ctx.config.trustProxy);
  app.set("query parser", "simple");

  app.use(securityHeaders({ https: ctx.config.secureCookies }));
  // Fedify answers ActivityPub requests and passes the rest on.
  app.use(parts.federation.middleware);

  app.use(
    "/static",
    express.static(fileURLToPath(new URL("../web/static", import.meta.url)), { maxAge: "1h", index: false }),
  );

  // Uploaded pictures and documents: immutable, content-hashed names.
  app.use(mediaFileRoutes(ctx));

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
  api.use(apiFollowRoutes(ctx, parts.federation.following));
  api.use(searchApiRoutes(ctx, parts.search));
  api.use((req, _res, next) => next(new HttpError(404, t.api.unknownAddress(req.method, req.path))));
  app.use("/api/v1", api);
  app.use("/api", (req, _res, next) => next(new HttpError(404, t.api.unknownAddress(req.method, req.path))));

  app.use(express.urlencoded({ extended: false, limit: bodyLimit, parameterLimit: 2_000 }), refuseControlCharacters);
  // The e-mail unsubscribe link: its signed token is the authority (one-click POSTs carry no CSRF token).
  app.use(unsubscribeRoutes(ctx));
  app.use(loadSession(ctx));
  app.use(unreadNotificationCount(ctx));
  // Uploads are multipart: parsed there, then the same CSRF check runs on their fields.
  app.use(mediaUploadRoutes(ctx), mediaProfileRoutes(ctx));
  app.use(verifyCsrf(ctx));
  app.use(aggregatorPageRoutes(ctx));
  app.use(pageRoutes(ctx, parts.search));
  app.use(notificationRoutes(ctx));
  app.use(overviewPageRoutes(ctx));
  app.use(federationAdminRoutes(ctx, parts.federation));
  app.use(searchPageRoutes(ctx, parts.search));
  app.use(ideaRoutes(ctx, parts.search), challengeRoutes(ctx));
  app.use(oidcRoutes(ctx, parts.oidc), oidcAdminRoutes(ctx, parts.oidc));

  app.use((_req, _res, next) => next(new HttpError(404, t.errors.notFound)));
  app.use(errorHandler(ctx.logger));
  return app;
}

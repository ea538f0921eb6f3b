import { Router, type Response } from "express";
import { may } from "../../core/rules.ts";
import type { AppContext } from "../context.ts";
import { adminPageRoutes } from "./admin-pages.ts";
import { authPageRoutes } from "./auth-pages.ts";
import { feedRoutes } from "./feed.ts";
import { collaborationPageRoutes } from "./collaboration-pages.ts";
import { publicPageRoutes } from "./public-pages.ts";
import { setupPageRoutes } from "./setup-page.ts";
import { staffProjectRoutes } from "./staff-projects.ts";
import { mailAdminRoutes } from "./mail-admin.ts";
import { siteLocals } from "./page-helpers.ts";
import type { SearchService } from "../../search/service.ts";

/** Public pages, sign-in, setup, staff and admin pages. */
export function pageRoutes(ctx: AppContext, search?: SearchService): Router {
  const router = Router();
  router.use(siteLocals(ctx));
  // Staff pages show drafts and one-time tokens: never kept in a cache.
  router.use("/admin", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  // The national instance writes no projects: staff land on its federation admin (or the overview), never "Mine prosjekter".
  const aggregatorHome = (res: Response) =>
    res.locals.account && may(res.locals.account.role, "federation.manage") ? "/admin/foderasjon" : "/";
  router.get("/admin", (_req, res) => res.redirect(303, ctx.config.role === "aggregator" ? aggregatorHome(res) : "/admin/prosjekter"));
  if (ctx.config.role === "aggregator") {
    router.get(["/admin/prosjekter", "/admin/prosjekter/ny"], (_req, res) => res.redirect(303, aggregatorHome(res)));
  }
  router.use(feedRoutes(ctx));
  router.use(publicPageRoutes(ctx, search));
  router.use(setupPageRoutes(ctx));
  router.use(authPageRoutes(ctx));
  router.use(staffProjectRoutes(ctx));
  router.use(adminPageRoutes(ctx));
  router.use(collaborationPageRoutes(ctx));
  router.use(mailAdminRoutes(ctx));
  return router;
}

import { Router } from "express";
import type { AppContext } from "../context.ts";
import { adminPageRoutes } from "./admin-pages.ts";
import { authPageRoutes } from "./auth-pages.ts";
import { feedRoutes } from "./feed.ts";
import { collaborationPageRoutes } from "./collaboration-pages.ts";
import { publicPageRoutes } from "./public-pages.ts";
import { setupPageRoutes } from "./setup-page.ts";
import { staffProjectRoutes } from "./staff-projects.ts";
import type { SearchService } from "../../search/service.ts";

/** Public pages, sign-in, setup, staff and admin pages. */
export function pageRoutes(ctx: AppContext, search?: SearchService): Router {
  const router = Router();
  // Staff pages show drafts and one-time tokens: never kept in a cache.
  router.use("/admin", (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  router.get("/admin", (_req, res) => res.redirect(303, "/admin/prosjekter"));
  router.use(feedRoutes(ctx));
  router.use(publicPageRoutes(ctx, search));
  router.use(setupPageRoutes(ctx));
  router.use(authPageRoutes(ctx));
  router.use(staffProjectRoutes(ctx));
  router.use(adminPageRoutes(ctx));
  router.use(collaborationPageRoutes(ctx));
  return router;
}

import { Router } from "express";
import type { AppContext } from "../context.ts";

/** Public pages, sign-in, staff and admin pages. (Filled in by the web work.) */
export function pageRoutes(_ctx: AppContext): Router {
  return Router();
}

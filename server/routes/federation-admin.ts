import { Router } from "express";
import type { AppContext } from "../context.ts";
import type { KominnFederation } from "../../federation/index.ts";

/** The administrator's federation page (filled in below). */
export function federationAdminRoutes(_ctx: AppContext, _kf: KominnFederation): Router {
  return Router();
}

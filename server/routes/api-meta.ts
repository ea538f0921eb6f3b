import { Router } from "express";
import { taxonomies } from "../../core/taxonomies.ts";
import type { AppContext } from "../context.ts";
import { cachedLocalMunicipality } from "./page-helpers.ts";
import { openApiDocument } from "../openapi.ts";

export function apiMetaRoutes(ctx: AppContext): Router {
  const router = Router();
  let openapi: unknown;

  router.get("/taxonomies", async (_req, res) => {
    const local = await cachedLocalMunicipality(ctx);
    res.json({ ...taxonomies, strategicAreas: local?.strategicAreas ?? [] });
  });

  router.get("/openapi.json", (_req, res) => {
    openapi ??= openApiDocument(ctx.config.origin);
    res.json(openapi);
  });

  return router;
}

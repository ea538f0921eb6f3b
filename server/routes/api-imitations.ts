import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { HttpError, parseOr400 } from "../http/errors.ts";
import { requireApi } from "../http/api-auth.ts";
import { requireJson } from "../http/json-body.ts";
import { projectJson } from "../project-json.ts";
import { t } from "../../web/texts.ts";
import { cachedLocalMunicipality } from "./page-helpers.ts";
import { publishedProjectAt } from "./project-at-url.ts";

const imitationRequest = z.strictObject({
  original: z.url({ protocol: /^https?$/, error: t.api.fields.originalIdUrl }).max(2_000),
});

export function apiImitationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post("/imitations", requireApi("project.write"), requireJson, async (req, res) => {
    const { original: url } = parseOr400(imitationRequest, req.body);
    const municipality = await cachedLocalMunicipality(ctx);
    if (!municipality) throw new HttpError(409, t.api.onlyMunicipalitiesImitate);
    // Asked before the original is looked up, which may fetch it from its instance.
    ctx.projects.checkPublishesProjects();
    const original = await publishedProjectAt(ctx, url);
    if (!original) throw new HttpError(404, t.api.originalNotFound, [{ field: "original", message: t.api.fields.originalGone }]);
    const account = res.locals.account!;
    const copy = await ctx.imitations.imitate(municipality, original, { accountId: account.id, name: `${account.name} (API)` });
    res.status(201).location(`/api/v1/projects/${copy.id}`).json(projectJson(copy));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { getLocalMunicipality } from "../../db/municipalities.ts";
import { getProjectByUrl } from "../../db/projects.ts";
import type { AppContext } from "../context.ts";
import { HttpError, parseOr400 } from "../http/errors.ts";
import { requireApi } from "../http/api-auth.ts";
import { projectJson } from "../project-json.ts";

const imitationRequest = z.strictObject({
  original: z.url({ protocol: /^https?$/, error: "må være prosjektets id-URL (http eller https)" }).max(2_000),
});

export function apiImitationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post("/imitations", requireApi("project.write"), async (req, res) => {
    if (!req.is("application/json")) throw new HttpError(415, "Content-Type må være application/json");
    const { original: url } = parseOr400(imitationRequest, req.body);
    const municipality = await getLocalMunicipality(ctx.db);
    if (!municipality || ctx.config.role === "aggregator") {
      throw new HttpError(409, "Bare en kommune kan imitere prosjekter");
    }
    const original = (await getProjectByUrl(ctx.db, url)) ?? (await ctx.resolveRemoteProject?.(url));
    if (!original || !original.published) {
      throw new HttpError(404, "Fant ikke originalen", [
        { field: "original", message: "finnes ikke, er slettet eller er et utkast" },
      ]);
    }
    const account = res.locals.account!;
    const copy = await ctx.imitations.imitate(municipality, original, { accountId: account.id, name: `${account.name} (API)` });
    res.status(201).location(`/api/v1/projects/${copy.id}`).json(projectJson(copy));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { listCollaborationRequests } from "../../db/collaboration-requests.ts";
import type { CollaborationRequest } from "../../db/schema.ts";
import { collaborationRequestSchema } from "../../core/collaboration.ts";
import type { AppContext } from "../context.ts";
import { HttpError, parseOr400 } from "../http/errors.ts";
import { requireApi } from "../http/api-auth.ts";
import { requireJson } from "../http/json-body.ts";
import { NotOursToAnswerError } from "../../services/collaboration.ts";
import { t } from "../../web/texts.ts";
import { cachedLocalMunicipality } from "./page-helpers.ts";
import { publishedProjectAt } from "./project-at-url.ts";

const sendSchema = collaborationRequestSchema.extend({
  project: z.url({ protocol: /^https?$/, error: t.api.fields.projectIdUrl }).max(2_000),
});
const listQuery = z.strictObject({ status: z.enum(["pending", "accepted", "declined"]).optional() });

function requestJson(r: CollaborationRequest & { projectTitle?: string }, ownActorUrl: string | undefined) {
  return {
    id: r.id,
    projectId: r.projectId,
    projectTitle: r.projectTitle,
    direction: r.fromActorUrl === ownActorUrl ? "outgoing" : "incoming",
    from: { actorUrl: r.fromActorUrl, name: r.fromMunicipalityName },
    message: r.message,
    contactName: r.contactName,
    contactEmail: r.contactEmail,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

export function apiCollaborationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/collaboration-requests", requireApi("project.write"), async (req, res) => {
    const { status } = parseOr400(listQuery, req.query);
    const own = (await cachedLocalMunicipality(ctx))?.actorUrl;
    res.json({ items: (await listCollaborationRequests(ctx.db, { status })).map((r) => requestJson(r, own)) });
  });

  router.post("/collaboration-requests", requireApi("project.write"), requireJson, async (req, res) => {
    const { project: url, ...input } = parseOr400(sendSchema, req.body);
    const project = await publishedProjectAt(ctx, url);
    if (!project) throw new HttpError(404, t.api.projectNotFound, [{ field: "project", message: t.api.fields.doesNotExist }]);
    const stored = await ctx.collaboration.send(project, input);
    const own = (await cachedLocalMunicipality(ctx))?.actorUrl;
    res.status(project.local ? 201 : 202).json(requestJson({ ...stored, projectTitle: project.title }, own));
  });

  for (const [verb, accept] of [["accept", true], ["decline", false]] as const) {
    router.post(`/collaboration-requests/:id/${verb}`, requireApi("project.write"), async (req, res) => {
      const account = res.locals.account!;
      const decided = await ctx.collaboration.decide(String(req.params.id), accept, { accountId: account.id, name: `${account.name} (API)` })
        .catch((error: unknown) => {
          throw error instanceof NotOursToAnswerError ? new HttpError(409, t.imitation.notOursToAnswer) : error;
        });
      if (!decided) throw new HttpError(404, t.api.requestNotFound);
      res.json(requestJson(decided, (await cachedLocalMunicipality(ctx))?.actorUrl));
    });
  }

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { getFollow, listFollows } from "../../db/follows.ts";
import type { FollowRow } from "../../db/schema-federation.ts";
import { FollowError } from "../../federation/follow-error.ts";
import type { Following } from "../../federation/following.ts";
import type { AppContext } from "../context.ts";
import { requireApi } from "../http/api-auth.ts";
import { HttpError, parseOr400 } from "../http/errors.ts";
import { requireJson } from "../http/json-body.ts";
import { t } from "../../web/texts.ts";
import { isId } from "../../db/ids.ts";

const followInput = z.strictObject({
  target: z.string({ error: t.api.fields.followTarget }).trim().min(3, { error: t.api.fields.empty }).max(500),
});
const bulkFollowInput = z.strictObject({
  targets: z
    .array(z.string({ error: t.api.fields.lineText }).max(500, { error: t.api.fields.lineTooLong }), {
      error: t.api.fields.followTargets,
    })
    .min(1, { error: t.api.fields.empty })
    .max(1000, { error: t.api.fields.atMostThousand }),
});
export function followJson(f: FollowRow) {
  return {
    id: f.id,
    target: f.targetHandle,
    actorUrl: f.targetActorUrl,
    name: f.targetName,
    status: f.status,
    createdAt: f.createdAt.toISOString(),
    acceptedAt: f.acceptedAt?.toISOString() ?? null,
    backfilledAt: f.backfilledAt?.toISOString() ?? null,
  };
}

export function asHttpError(error: unknown): unknown {
  return error instanceof FollowError
    ? new HttpError(error.status, error.message, [{ field: error.field, message: error.message }])
    : error;
}

/** `/api/v1/follows`: the municipalities this instance follows (administrators, with a token). */
export function apiFollowRoutes(ctx: AppContext, follows: Following): Router {
  const router = Router();
  const admin = requireApi("federation.manage");

  router.get("/follows", admin, async (_req, res) => {
    res.json({ items: (await listFollows(ctx.db)).map(followJson) });
  });

  router.post("/follows", admin, requireJson, async (req, res) => {
    const { target } = parseOr400(followInput, req.body);
    try {
      const row = await follows.follow(target);
      res.status(201).location(`/api/v1/follows/${row.id}`).json(followJson(row));
    } catch (error) {
      throw asHttpError(error);
    }
  });

  router.post("/follows/bulk", admin, requireJson, async (req, res) => {
    const { targets } = parseOr400(bulkFollowInput, req.body);
    const results = await follows.bulkFollow(targets);
    res.json({ results });
  });

  router.get("/follows/:id", admin, async (req, res) => {
    const id = req.params.id;
    const row = isId(id) ? await getFollow(ctx.db, id) : undefined;
    if (!row) throw new HttpError(404, t.api.followNotFound);
    res.json(followJson(row));
  });

  router.delete("/follows/:id", admin, async (req, res) => {
    const id = req.params.id;
    const row = isId(id) ? await follows.unfollow(id).catch((e) => Promise.reject(asHttpError(e))) : undefined;
    if (!row) throw new HttpError(404, t.api.followNotFound);
    res.status(204).end();
  });

  return router;
}

import type { InboxContext } from "@fedify/fedify";
import { isActor, type Accept } from "@fedify/vocab";
import { getFollowByActivity, getFollowByTarget, setFollowStatus } from "../../db/follows.ts";
import type { FederationDeps } from "../deps.ts";
import { rememberActor } from "../actor.ts";
import { startBackfill } from "../backfill.ts";

/** A municipality accepted our follow: remember it, fetch what it has published. */
export async function onFollowAccepted(ctx: InboxContext<FederationDeps>, accept: Accept): Promise<void> {
  const app = ctx.data;
  // The Follow is named by id (accept.objectId), never re-fetched: its id is a fragment of our actor.
  const follow =
    (accept.objectId && (await getFollowByActivity(app.db, accept.objectId.href))) ||
    (accept.actorId && (await getFollowByTarget(app.db, accept.actorId.href)));
  if (!follow || follow.targetActorUrl !== accept.actorId?.href) return;
  const actor = await accept.getActor();
  if (actor && isActor(actor)) await rememberActor(app.db, actor);
  const updated = await setFollowStatus(app.db, follow.id, "accepted");
  if (updated) startBackfill(ctx, updated);
}

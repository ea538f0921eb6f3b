import type { InboxContext } from "@fedify/fedify";
import type { Undo } from "@fedify/vocab";
import { getFollowerByActor, removeFollower } from "../../db/followers.ts";
import type { FederationDeps } from "../deps.ts";

/** An Undo of a Follow: the actor stops following us. */
export async function onUnfollowed(ctx: InboxContext<FederationDeps>, undo: Undo): Promise<void> {
  const app = ctx.data;
  if (!undo.actorId) return;
  const follower = await getFollowerByActor(app.db, undo.actorId.href);
  if (!follower) return;
  // The undone object is the Follow, named by its id (or embedded).
  if (undo.objectId && undo.objectId.href !== follower.followActivityId && undo.objectId.href !== follower.actorUrl) {
    const object = await undo.getObject({ crossOrigin: "trust" }).catch(() => null);
    if (object?.constructor.name !== "Follow") return;
  }
  await removeFollower(app.db, follower.id);
}

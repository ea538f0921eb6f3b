import type { InboxContext } from "@fedify/fedify";
import type { Delete } from "@fedify/vocab";
import { getFollowerByActor, removeFollower } from "../../db/followers.ts";
import type { FederationDeps } from "../deps.ts";

/** A Delete whose object is its actor: an account deleted on its server (Mastodon, Misskey, Lemmy, … send this). */
export function isActorDeletion(del: Delete): boolean {
  return del.objectId !== null && del.objectId.href === del.actorId?.href;
}

/** The deleted account no longer follows us; nothing else of ours is kept for it. */
export async function onActorDeleted(ctx: InboxContext<FederationDeps>, del: Delete): Promise<void> {
  const app = ctx.data;
  const follower = del.actorId && (await getFollowerByActor(app.db, del.actorId.href));
  if (!follower) return;
  await removeFollower(app.db, follower.id);
  app.logger.info(`inbox: ${del.actorId!.href} was deleted on its server; no longer a follower`);
}

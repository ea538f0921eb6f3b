import type { InboxContext } from "@fedify/fedify";
import { isActor, type Update } from "@fedify/vocab";
import { getFollowedMunicipality } from "../../db/follows.ts";
import type { FederationDeps } from "../deps.ts";
import { rememberActor } from "../actor.ts";
import { fetchAndStoreProject, knownMunicipality } from "../remote-projects.ts";
import { recordRemoteImitation } from "../imitations.ts";

/** A followed municipality changed a project or its profile; anyone may update an imitation of ours. */
export async function onUpdate(ctx: InboxContext<FederationDeps>, update: Update): Promise<void> {
  const app = ctx.data;
  if (!update.objectId || !update.actorId) return;
  if (update.objectId.href === update.actorId.href) {
    if (!(await knownMunicipality(app.db, update.actorId))) return;
    // The actor speaks for itself (the signature was checked): take the embedded
    // profile, since a fetch could answer from a stale cache.
    const actor = await update.getObject();
    if (actor && isActor(actor) && actor.id?.href === update.actorId.href) await rememberActor(app.db, actor);
    return;
  }
  const municipality = await getFollowedMunicipality(app.db, update.actorId.href);
  if (!municipality) return recordRemoteImitation(ctx, update);
  await fetchAndStoreProject(app, municipality, update.objectId);
}

import type { InboxContext } from "@fedify/fedify";
import { isActor, type Update } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { rememberActor } from "../actor.ts";
import { knownMunicipality } from "../remote-projects.ts";

/** An Update whose object is its actor: a municipality we know changed its profile. */
export function isProfileUpdate(update: Update): boolean {
  return update.objectId !== null && update.objectId.href === update.actorId?.href;
}

/** A municipality we know changed its profile (name, inboxes, …). */
export async function onProfileUpdated(ctx: InboxContext<FederationDeps>, update: Update): Promise<void> {
  if (!(await knownMunicipality(ctx.data.db, update.actorId))) return;
  // The actor speaks for itself (the signature was checked): take the embedded
  // profile, since a fetch could answer from a stale cache.
  const actor = await update.getObject();
  if (actor && isActor(actor) && actor.id?.href === update.actorId?.href) await rememberActor(ctx.data.db, actor);
}

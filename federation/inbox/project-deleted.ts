import type { InboxContext } from "@fedify/fedify";
import type { Delete } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { knownMunicipality, removeProject } from "../remote-projects.ts";
import { forgetRemoteImitation } from "../imitations.ts";

/** A municipality deleted or unpublished a project: drop our copy or its imitation link (only its own). */
export async function onProjectDeleted(ctx: InboxContext<FederationDeps>, del: Delete): Promise<void> {
  const app = ctx.data;
  if (!del.objectId || !del.actorId) return;
  if (del.objectId.origin !== del.actorId.origin) return;
  const municipality = await knownMunicipality(app.db, del.actorId);
  if (municipality && (await removeProject(app, municipality, del.objectId.href))) return;
  // Not a project we cache: perhaps an imitation of ours from someone we do not follow.
  await forgetRemoteImitation(app, del.actorId.href, del.objectId.href);
}

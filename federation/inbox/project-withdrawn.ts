import type { InboxContext } from "@fedify/fedify";
import { Create, type Undo } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { knownMunicipality, removeProject } from "../remote-projects.ts";
import { forgetRemoteImitation } from "../imitations.ts";

/** The Create an Undo takes back, when it names one (embedded, as we send it); never fetched. */
export async function undoneCreate(undo: Undo): Promise<Create | null> {
  const object = await undo.getObject({ crossOrigin: "ignore", suppressError: true }).catch(() => null);
  return object instanceof Create ? object : null;
}

/**
 * A municipality unpublished a project (an Undo of its Create): drop our copy
 * or its imitation link, only its own. It may publish it again later; a new
 * Create then brings it back.
 */
export async function onProjectWithdrawn(ctx: InboxContext<FederationDeps>, undo: Undo): Promise<void> {
  const app = ctx.data;
  const create = await undoneCreate(undo);
  const projectId = create?.objectId;
  if (!projectId || !undo.actorId) return;
  if (projectId.origin !== undo.actorId.origin) return;
  const municipality = await knownMunicipality(app.db, undo.actorId);
  if (municipality && (await removeProject(app, municipality, projectId.href))) return;
  await forgetRemoteImitation(app, undo.actorId.href, projectId.href);
}

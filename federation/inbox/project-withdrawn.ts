import type { InboxContext } from "@fedify/fedify";
import { Create, type Undo } from "@fedify/vocab";
import type { FederationDeps } from "../deps.ts";
import { knownMunicipality, removeProject } from "../remote-projects.ts";
import { forgetRemoteImitation } from "../imitations.ts";

/** Stands in for the network: an Undo's object is only read when it is embedded. */
const embeddedOnly = async (url: string): Promise<never> => {
  throw new Error(`not embedded, not fetched: ${url}`);
};

/**
 * The Create an Undo takes back, when it embeds one (as we send it). Nothing
 * is fetched: an Undo that names its object by id (an Undo of a Follow, as
 * most servers send it) is not one.
 */
export async function undoneCreate(undo: Undo): Promise<Create | null> {
  const object = await undo
    .getObject({ crossOrigin: "ignore", suppressError: true, documentLoader: embeddedOnly })
    .catch(() => null);
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

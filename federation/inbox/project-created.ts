import type { InboxContext } from "@fedify/fedify";
import type { Create } from "@fedify/vocab";
import { getFollowedMunicipality } from "../../db/follows.ts";
import type { FederationDeps } from "../deps.ts";
import { fetchAndStoreProject } from "../remote-projects.ts";
import { recordRemoteImitation } from "../imitations.ts";

/** A followed municipality published a project, or anyone published an imitation of one in our lineage. */
export async function onProjectCreated(ctx: InboxContext<FederationDeps>, create: Create): Promise<void> {
  const app = ctx.data;
  if (!create.objectId || !create.actorId) return;
  const municipality = await getFollowedMunicipality(app.db, create.actorId.href);
  if (!municipality) return recordRemoteImitation(ctx, create);
  await fetchAndStoreProject(app, municipality, create.objectId);
}

import type { InboxContext } from "@fedify/fedify";
import type { Update } from "@fedify/vocab";
import { getFollowedMunicipality } from "../../db/follows.ts";
import type { FederationDeps } from "../deps.ts";
import { fetchAndStoreProject } from "../remote-projects.ts";
import { recordRemoteImitation } from "../imitations.ts";

/** A followed municipality changed a project; anyone may update an imitation of ours. */
export async function onProjectUpdated(ctx: InboxContext<FederationDeps>, update: Update): Promise<void> {
  const app = ctx.data;
  if (!update.objectId || !update.actorId) return;
  const municipality = await getFollowedMunicipality(app.db, update.actorId.href);
  if (!municipality) return recordRemoteImitation(ctx, update);
  await fetchAndStoreProject(app, municipality, update.objectId);
}

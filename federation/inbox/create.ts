import type { InboxContext } from "@fedify/fedify";
import type { Create } from "@fedify/vocab";
import { getFollowByTarget } from "../../db/follows.ts";
import type { AppContext } from "../../server/context.ts";
import { fetchAndStoreProject, knownMunicipality } from "../remote-projects.ts";
import { recordRemoteImitation } from "../imitations.ts";

/** A followed municipality published a project, or anyone published an imitation of one in our lineage. */
export async function onCreate(ctx: InboxContext<AppContext>, create: Create): Promise<void> {
  const app = ctx.data;
  if (!create.objectId || !create.actorId) return;
  const follow = await getFollowByTarget(app.db, create.actorId.href);
  if (follow?.status !== "accepted") return recordRemoteImitation(ctx, create);
  const municipality = await knownMunicipality(app.db, create.actorId);
  if (!municipality) return;
  await fetchAndStoreProject(app, municipality, create.objectId);
}

import type { InboxContext } from "@fedify/fedify";
import type { Create } from "@fedify/vocab";
import { getFollowByTarget } from "../../db/follows.ts";
import type { AppContext } from "../../server/context.ts";
import { fetchAndStoreProject, knownMunicipality } from "../remote-projects.ts";

/** A followed municipality published a project. */
export async function onCreate(ctx: InboxContext<AppContext>, create: Create): Promise<void> {
  const app = ctx.data;
  if (!create.objectId || !create.actorId) return;
  const follow = await getFollowByTarget(app.db, create.actorId.href);
  if (follow?.status !== "accepted") return;
  const municipality = await knownMunicipality(app.db, create.actorId);
  if (!municipality) return;
  await fetchAndStoreProject(app, municipality, create.objectId);
}

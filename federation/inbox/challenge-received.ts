import type { InboxContext } from "@fedify/fedify";
import { Page, type Create, type Update } from "@fedify/vocab";
import { getFollowedMunicipality } from "../../db/follows.ts";
import { ChallengeService } from "../../services/challenges.ts";
import type { FederationDeps } from "../deps.ts";
import { challengeFromPage } from "../challenge-object.ts";
import { RefusedError } from "../remote-projects.ts";

/**
 * A municipality we follow opened an idea competition to others, or changed
 * or closed one (Create or Update of its Page). From anyone else it is refused.
 */
export async function onChallengeReceived(ctx: InboxContext<FederationDeps>, activity: Create | Update): Promise<void> {
  const app = ctx.data;
  if (!activity.actorId) return;
  const owner = await getFollowedMunicipality(app.db, activity.actorId.href);
  if (!owner) throw new RefusedError(`${activity.actorId.href} is not a municipality we follow`);
  const page = await activity.getObject();
  if (!(page instanceof Page)) throw new RefusedError("the challenge is not a Page");
  const values = await challengeFromPage(page, owner);
  if (!values) throw new RefusedError(`${page.id?.href ?? "the Page"} is not a KOMINN idea competition of ${owner.actorUrl}`);
  await new ChallengeService(app.db, app.events).receiveRemote(values);
}

import type { InboxContext } from "@fedify/fedify";
import { Note, type Create } from "@fedify/vocab";
import { ideaFormSchema } from "../../core/ideas.ts";
import { getFollowerByActor } from "../../db/followers.ts";
import { getMunicipalityByActorUrl } from "../../db/municipalities.ts";
import { IdeaService } from "../../services/ideas.ts";
import { ProjectService, ValidationError } from "../../services/projects.ts";
import type { FederationDeps } from "../deps.ts";
import { challengePath, ideaFromNote } from "../challenge-object.ts";
import { RefusedError } from "../remote-projects.ts";

/**
 * Another municipality's staff sent an idea to one of our challenges: a Note
 * in reply to the challenge. Taken only from a municipality that follows us
 * (the challenge was published to our followers), and only for a challenge
 * that is open and open to other municipalities (IdeaService.submit checks).
 * Stored as a remote idea, authored by that municipality.
 */
export async function onIdeaReceived(ctx: InboxContext<FederationDeps>, create: Create): Promise<void> {
  const app = ctx.data;
  if (!create.id || !create.actorId) return;
  const follower = await getFollowerByActor(app.db, create.actorId.href);
  if (follower?.status !== "accepted") throw new RefusedError(`${create.actorId.href} does not follow us`);
  const note = await create.getObject();
  if (!(note instanceof Note)) throw new RefusedError("the idea is not a Note");
  const target = note.replyTargetId;
  const id = target && target.origin === new URL(app.config.origin).origin ? challengePath.exec(target.pathname)?.[1] : undefined;
  if (!id) throw new RefusedError(`${target?.href ?? "the idea"} is not one of our challenges`);
  const fields = await ideaFromNote(note);
  const parsed = ideaFormSchema.safeParse({ ...fields, serviceArea: fields.serviceArea ?? "", submitterName: "", submitterEmail: "", showName: false });
  if (!parsed.success) throw new RefusedError(`invalid idea: ${parsed.error.issues[0].path.join(".")}`);
  const municipality = follower.name ?? (await getMunicipalityByActorUrl(app.db, follower.actorUrl))?.name ?? create.actorId.host;
  const projects = new ProjectService(app.db, app.events, { origin: app.config.origin, role: app.config.role });
  try {
    await new IdeaService(app.db, app.events, projects, { origin: app.config.origin }).submit(
      parsed.data,
      { kind: "remote", municipality, activityId: create.id.href },
      id,
    );
  } catch (error) {
    if (error instanceof ValidationError) throw new RefusedError(`idea for challenge ${id}: ${error.message}`);
    throw error;
  }
}

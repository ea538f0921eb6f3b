import type { InboxContext } from "@fedify/fedify";
import { isActor, PropertyValue, type Join } from "@fedify/vocab";
import { collaborationRequestSchema } from "../../core/collaboration.ts";
import { htmlToText } from "../../core/markdown.ts";
import { getProjectByUrl } from "../../db/projects.ts";
import type { FederationDeps } from "../deps.ts";
import { rememberActor } from "../actor.ts";
import { contactFields } from "../collaboration-object.ts";
import { RefusedError } from "../remote-projects.ts";

/** A municipality asks to join one of our projects. */
export async function onCollaborationRequested(ctx: InboxContext<FederationDeps>, join: Join): Promise<void> {
  const app = ctx.data;
  if (!join.id || !join.objectId || !join.actorId) return;
  if (join.id.origin !== join.actorId.origin) throw new RefusedError(`${join.actorId.href} does not own ${join.id.href}`);
  const project = await getProjectByUrl(app.db, join.objectId.href);
  if (!project?.local) throw new RefusedError(`${join.objectId.href} is not one of our projects`);
  const contact = new Map<string, string>();
  for await (const a of join.getAttachments()) {
    if (a instanceof PropertyValue && typeof a.name === "string" && typeof a.value === "string") contact.set(a.name, htmlToText(a.value));
  }
  const parsed = collaborationRequestSchema.safeParse({
    message: htmlToText(String(join.content ?? "")),
    contactName: contact.get(contactFields.name) ?? "",
    contactEmail: contact.get(contactFields.email) ?? "",
  });
  if (!parsed.success) throw new RefusedError(`invalid collaboration request: ${parsed.error.issues[0].path.join(".")}`);
  const actor = await join.getActor();
  if (!actor || !isActor(actor) || actor.id?.href !== join.actorId.href) throw new RefusedError(`cannot read actor ${join.actorId.href}`);
  const asker = await rememberActor(app.db, actor);
  try {
    await app.collaboration.receive(project, {
      ...parsed.data,
      fromActorUrl: asker.actorUrl,
      fromMunicipalityName: asker.name,
      activityId: join.id.href,
    });
  } catch (error) {
    throw new RefusedError(`collaboration request for ${project.url}: ${(error as Error).message}`);
  }
}

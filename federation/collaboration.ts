// Collaboration requests between municipalities: a `Join` naming the project,
// answered with `Accept` or `Reject` naming the Join. The message travels as
// the Join's content, the contact person as two PropertyValue attachments.
import type { Context, Federation, InboxContext } from "@fedify/fedify";
import { Accept, isActor, Join, PropertyValue, Reject, type Activity, type Recipient } from "@fedify/vocab";
import {
  decideCollaborationRequest,
  getCollaborationRequest,
  markCollaborationQueued,
  owedCollaborationRequests,
} from "../db/collaboration-requests.ts";
import { getLocalMunicipality, getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { getProject, getProjectByUrl } from "../db/projects.ts";
import type { CollaborationRequest, Municipality } from "../db/schema.ts";
import { collaborationRequestSchema } from "../core/collaboration.ts";
import type { FederationDeps } from "./deps.ts";
import { htmlToText } from "../core/markdown.ts";
import { rememberActor } from "./actor.ts";
import { RefusedError } from "./remote-projects.ts";

const contactFields = { name: "Kontaktperson", email: "E-post" } as const;

/** Our outgoing requests have fetchable-looking ids under our origin: /samarbeid/{id}. */
const requestIdPath = /^\/samarbeid\/([a-z0-9]{6,40})$/;

function recipientOf(m: Municipality): Recipient | undefined {
  if (!m.inboxUrl) return undefined;
  return {
    id: new URL(m.actorUrl),
    inboxId: new URL(m.inboxUrl),
    endpoints: m.sharedInboxUrl ? { sharedInbox: new URL(m.sharedInboxUrl) } : null,
  };
}

/**
 * Sends our staff's requests to the projects' owners, and our answers to those
 * who asked us. Each request records when its activity was queued; `catchUp`
 * (at start) sends what a crash held back, under the same activity ids.
 */
export function subscribeCollaboration(app: FederationDeps, federation: Federation<FederationDeps>): { catchUp(): Promise<void> } {
  const context = () => federation.createContext(new URL(app.config.origin), app);

  async function sendJoin(request: CollaborationRequest): Promise<void> {
    const project = await getProject(app.db, request.projectId);
    const owner = project && (await getMunicipalityByActorUrl(app.db, project.municipality.actorUrl));
    const recipient = owner && recipientOf(owner);
    const self = await getLocalMunicipality(app.db);
    if (!project || !recipient || !self) return app.logger.warn(`collaboration request ${request.id}: cannot reach the owner of ${project?.url ?? "its project"}`);
    await context().sendActivity(
      { identifier: self.handle },
      recipient,
      new Join({
        id: new URL(`${app.config.origin}/samarbeid/${request.id}`),
        actor: new URL(self.actorUrl),
        object: new URL(project.url),
        to: new URL(owner.actorUrl),
        content: request.message,
        attachments: [
          new PropertyValue({ name: contactFields.name, value: request.contactName }),
          new PropertyValue({ name: contactFields.email, value: request.contactEmail }),
        ],
      }),
    );
    await markCollaborationQueued(app.db, request.id);
  }

  async function sendAnswer(request: CollaborationRequest): Promise<void> {
    if (!request.activityId) return; // asked here, by our own staff
    const asker = await getMunicipalityByActorUrl(app.db, request.fromActorUrl);
    const recipient = asker && recipientOf(asker);
    const self = await getLocalMunicipality(app.db);
    if (!recipient || !self) return;
    const Answer = request.status === "accepted" ? Accept : Reject;
    await context().sendActivity(
      { identifier: self.handle },
      recipient,
      new Answer({
        id: new URL(`${self.actorUrl}#samarbeid-${request.id}-${request.status}`),
        actor: new URL(self.actorUrl),
        object: new URL(request.activityId),
        to: new URL(request.fromActorUrl),
      }),
    );
    await markCollaborationQueued(app.db, request.id);
  }

  app.events.on("collaboration.requested", async ({ requestId }) => {
    const request = await getCollaborationRequest(app.db, requestId);
    if (request) await sendJoin(request);
  });
  app.events.on("collaboration.decided", ({ request }) => sendAnswer(request));

  return {
    async catchUp() {
      for (const request of await owedCollaborationRequests(app.db)) {
        await (request.activityId ? sendAnswer(request) : sendJoin(request));
      }
    },
  };
}

/** A municipality asks to join one of our projects. */
export async function onJoin(ctx: InboxContext<FederationDeps>, join: Join): Promise<void> {
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

/**
 * An Accept or Reject that answers one of our collaboration requests.
 * Returns false when the activity is about something else (a follow).
 */
export async function onCollaborationAnswer(ctx: InboxContext<FederationDeps> | Context<FederationDeps>, answer: Activity, accepted: boolean): Promise<boolean> {
  const app = ctx.data;
  const objectId = answer.objectId;
  if (!objectId || objectId.origin !== new URL(app.config.origin).origin) return false;
  const match = requestIdPath.exec(objectId.pathname);
  if (!match) return false;
  const request = await getCollaborationRequest(app.db, match[1]);
  if (!request) return true;
  const project = await getProject(app.db, request.projectId);
  if (!project || project.municipality.actorUrl !== answer.actorId?.href) {
    throw new RefusedError(`${answer.actorId?.href} does not own the project of request ${request.id}`);
  }
  await decideCollaborationRequest(app.db, request.id, accepted ? "accepted" : "declined", project.municipality.name);
  return true;
}

// Collaboration requests between municipalities, sent: our staff's requests
// and our answers (the wire format: collaboration-object.ts; what peers send
// us: inbox/collaboration-requested.ts and inbox/collaboration-answered.ts).
import type { Federation } from "@fedify/fedify";
import { Accept, Join, PropertyValue, Reject } from "@fedify/vocab";
import { getCollaborationRequest } from "../db/collaboration-requests.ts";
import { getLocalMunicipality, getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { getProject } from "../db/projects.ts";
import type { CollaborationRequest } from "../db/schema.ts";
import type { DecidedRequest, JournalEvent } from "../core/events.ts";
import type { EventHandler } from "../db/journal.ts";
import type { DrizzleMessageQueue } from "./queue.ts";
import type { FederationDeps } from "./deps.ts";
import { collaborationRequestUrl, contactFields } from "./collaboration-object.ts";
import { recipientOf } from "./recipients.ts";

/**
 * Sends our staff's requests to the projects' owners, and our answers to those
 * who asked us: the journal's collaboration subscriber (server/subscribers.ts).
 * What an event enqueues is written in the transaction that acknowledges it,
 * so each request and answer is queued exactly once, even across a crash.
 */
export function collaborationHandler(app: FederationDeps, federation: Federation<FederationDeps>, queue: DrizzleMessageQueue): EventHandler {
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
        id: collaborationRequestUrl(app.config.origin, request.id),
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
  }

  async function sendAnswer(request: DecidedRequest): Promise<void> {
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
  }

  async function send(event: JournalEvent): Promise<void> {
    if (event.name === "collaboration.requested") {
      const request = await getCollaborationRequest(app.db, event.payload.requestId);
      if (request) await sendJoin(request);
    } else if (event.name === "collaboration.decided") {
      await sendAnswer(event.payload.request);
    }
  }

  return {
    async handle(event) {
      const queued = await queue.collect(() => send(event));
      if (queued.length > 0) return (tx) => queue.insertCollected(tx, queued);
    },
    afterBatch: () => queue.wake(),
  };
}

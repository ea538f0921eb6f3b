// Collaboration requests between municipalities, sent: our staff's requests
// and our answers (the wire format: collaboration-object.ts; what peers send
// us: inbox/collaboration-requested.ts and inbox/collaboration-answered.ts).
import type { Federation } from "@fedify/fedify";
import { Accept, Join, PropertyValue, Reject } from "@fedify/vocab";
import {
  getCollaborationRequest,
  markCollaborationQueued,
  owedCollaborationRequests,
} from "../db/collaboration-requests.ts";
import { getLocalMunicipality, getMunicipalityByActorUrl } from "../db/municipalities.ts";
import { getProject } from "../db/projects.ts";
import type { CollaborationRequest } from "../db/schema.ts";
import type { FederationDeps } from "./deps.ts";
import { collaborationRequestUrl, contactFields } from "./collaboration-object.ts";
import { recipientOf } from "./recipients.ts";
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

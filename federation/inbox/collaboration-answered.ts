import type { InboxContext } from "@fedify/fedify";
import type { Accept, Reject } from "@fedify/vocab";
import { getCollaborationRequest } from "../../db/collaboration-requests.ts";
import { getProject } from "../../db/projects.ts";
import type { FederationDeps } from "../deps.ts";
import { ourRequestId } from "../collaboration-object.ts";
import { RefusedError } from "../remote-projects.ts";

/** Does this Accept or Reject answer one of our collaboration requests (rather than a follow)? */
export function answersOurRequest(app: FederationDeps, answer: Accept | Reject): boolean {
  return ourRequestId(app.config.origin, answer.objectId) !== undefined;
}

/** The owner of a project accepted or declined our request to join it. */
export async function onCollaborationAnswered(ctx: InboxContext<FederationDeps>, answer: Accept | Reject, accepted: boolean): Promise<void> {
  const app = ctx.data;
  const requestId = ourRequestId(app.config.origin, answer.objectId);
  const request = requestId && (await getCollaborationRequest(app.db, requestId));
  if (!request) return;
  const project = await getProject(app.db, request.projectId);
  if (!project || project.municipality.actorUrl !== answer.actorId?.href) {
    throw new RefusedError(`${answer.actorId?.href} does not own the project of request ${request.id}`);
  }
  // Stored and told in the journal (notifications tell the project's followers and the sender).
  await app.collaboration.answered(request, project, accepted);
}

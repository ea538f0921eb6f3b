import type { Db } from "../db/client.ts";
import {
  decideCollaborationRequest,
  getCollaborationRequest,
  insertCollaborationRequest,
} from "../db/collaboration-requests.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import { getProject } from "../db/projects.ts";
import { collaborationRequests, type CollaborationRequest } from "../db/schema.ts";
import { eq } from "drizzle-orm";
import type { CollaborationRequestInput } from "../core/collaboration.ts";
import type { Project } from "../core/project.ts";
import type { EventJournal } from "../db/journal.ts";
import { ValidationError, type Actor, type ProjectService } from "./projects.ts";

/**
 * Only the municipality that owns a project answers requests to join it: a
 * request we sent (to another municipality's project, whose copy here is only
 * a cache) is answered by them, over ActivityPub.
 */
export class NotOursToAnswerError extends Error {
  constructor() {
    super("collaboration request is not ours to answer");
  }
}

export interface IncomingRequest extends CollaborationRequestInput {
  fromActorUrl: string;
  fromMunicipalityName: string;
  /** The activity id when it came over ActivityPub. */
  activityId?: string;
}

/** Requests to join projects that seek partners, and their answers. */
export class CollaborationService {
  readonly #db: Db;
  readonly #events: EventJournal;
  readonly #projects: ProjectService;

  constructor(db: Db, events: EventJournal, projects: ProjectService) {
    this.#db = db;
    this.#events = events;
    this.#projects = projects;
  }

  /** A request for one of our projects, from our own staff or from a peer. */
  async receive(project: Project, request: IncomingRequest): Promise<CollaborationRequest> {
    if (!project.local || !project.published) {
      throw new ValidationError([{ field: "project", message: "finnes ikke her" }]);
    }
    if (!project.seekingPartners) {
      throw new ValidationError([{ field: "project", message: "prosjektet søker ikke samarbeidspartnere" }]);
    }
    return this.#events.transaction(async (tx) => {
      // A redelivered request is the one stored: no second event.
      const [known] = request.activityId
        ? await tx.select().from(collaborationRequests).where(eq(collaborationRequests.activityId, request.activityId))
        : [];
      if (known) return known;
      const stored = await insertCollaborationRequest(tx, { projectId: project.id, ...request });
      await this.#events.append(tx, "collaboration.received", { requestId: stored.id, projectUrl: project.url });
      return stored;
    });
  }

  /**
   * Our staff ask to join a project. For one of our own projects it is stored
   * at once; for another municipality's, it is stored as sent and federation
   * delivers it (the `collaboration.requested` event).
   */
  async send(project: Project, input: CollaborationRequestInput): Promise<CollaborationRequest> {
    const municipality = (await getLocalMunicipality(this.#db))!;
    const from = { fromActorUrl: municipality.actorUrl, fromMunicipalityName: municipality.name };
    if (project.local) return this.receive(project, { ...input, ...from });
    if (!project.seekingPartners) {
      throw new ValidationError([{ field: "project", message: "prosjektet søker ikke samarbeidspartnere" }]);
    }
    return this.#events.transaction(async (tx) => {
      const stored = await insertCollaborationRequest(tx, { projectId: project.id, ...input, ...from });
      await this.#events.append(tx, "collaboration.requested", { requestId: stored.id });
      return stored;
    });
  }

  /**
   * The owner of another municipality's project answered a request we sent
   * (federation's inbox, once it has checked that the answer comes from the
   * owner): stored with the owner's name, and told in the journal
   * (`collaboration.answered`) so that notifications tell those who follow
   * the project and the sender. A second answer to the same request changes
   * nothing and tells no one.
   */
  async answered(request: CollaborationRequest, project: Project, accepted: boolean): Promise<CollaborationRequest | undefined> {
    return this.#events.transaction(async (tx) => {
      const row = await decideCollaborationRequest(tx, request.id, accepted ? "accepted" : "declined", project.municipality.name);
      if (row) await this.#events.append(tx, "collaboration.answered", { requestId: request.id, projectUrl: project.url, accepted });
      return row;
    });
  }

  /**
   * Answers a request to join one of our projects; accepting adds the asker as
   * a partner on the project (with history, and federated as any edit).
   * Refuses (`NotOursToAnswerError`) a request we sent ourselves or one for a
   * project that is not ours.
   */
  async decide(id: string, accept: boolean, actor: Actor): Promise<CollaborationRequest | undefined> {
    const pending = await getCollaborationRequest(this.#db, id);
    if (!pending) return undefined;
    const [municipality, project] = await Promise.all([getLocalMunicipality(this.#db), getProject(this.#db, pending.projectId)]);
    if (!municipality || !project?.local || pending.fromActorUrl === municipality.actorUrl) throw new NotOursToAnswerError();
    const decided = await this.#events.transaction(async (tx) => {
      const row = await decideCollaborationRequest(tx, id, accept ? "accepted" : "declined", actor.name);
      if (row) {
        const { status, activityId, fromActorUrl } = row;
        await this.#events.append(tx, "collaboration.decided", { request: { id: row.id, status, activityId, fromActorUrl }, projectUrl: project.url });
      }
      return row;
    });
    if (!decided) throw new ValidationError([{ field: "status", message: "forespørselen er allerede besvart" }]);
    if (accept && !project.partners.some((p) => p.type === "kommune" && p.name === decided.fromMunicipalityName)) {
      await this.#projects.update(
        municipality,
        project,
        { partners: [...project.partners, { type: "kommune", name: decided.fromMunicipalityName }] },
        actor,
      );
    }
    return decided;
  }
}

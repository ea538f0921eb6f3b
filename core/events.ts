import type { Project } from "./project.ts";
import type { FederationSettings } from "./federation-settings.ts";
import type { IdeaState } from "./ideas.ts";

/**
 * Domain events. A service appends each to the journal (db/journal.ts) in the
 * transaction of the change it records; the subscribers listed in
 * server/subscribers.ts read them in order from their last acknowledged
 * position, so a failing subscriber never fails the user's save, and a crash
 * never loses an event or repeats one.
 */
export interface DomainEvents {
  "project.published": { project: Project };
  "project.updated": { project: Project };
  "project.unpublished": { project: Project };
  "project.deleted": { project: Project };
  "profile.updated": { municipalityId: string };
  /** The administrator changed federation settings; `changed` names them (our actor shows `approveFollowers`). */
  "federation.settings.updated": { changed: (keyof FederationSettings)[] };
  /** A project received from, changed by or removed by a peer. */
  "remote.project.upserted": { project: Project };
  "remote.project.removed": { projectId: string; url: string };
  /** Our staff asked to join another municipality's project (federation delivers it). */
  "collaboration.requested": { requestId: string };
  /** We accepted or declined a request to join one of our projects (federation tells the asker). */
  "collaboration.decided": { request: DecidedRequest; projectUrl: string };
  /** A request to join one of our projects arrived, from a peer or our own staff (notifications tell its followers). */
  "collaboration.received": { requestId: string; projectUrl: string };
  /** The owner of another municipality's project answered a request we sent (notifications tell its followers and the sender). */
  "collaboration.answered": { requestId: string; projectUrl: string; accepted: boolean };
  /** An e-mail was stored in the outbox (services/mail.ts); the "mail" subscriber sends it. */
  "mail.queued": { mailId: string };
  /** Staff answered an idea (services/ideas.ts); a staff submitter has an account (notifications may tell them). */
  "idea.answered": { ideaId: string; title: string; state: IdeaState; reason: string; submitterAccountId: string | null };
  /** A challenge open to other municipalities was opened, or changed or closed (federation sends it to followers). */
  "challenge.opened": { challengeId: string };
  "challenge.updated": { challengeId: string };
  /** Our staff sent an idea to another municipality's challenge (federation delivers it; only the municipality is named). */
  "idea.sent": { sentId: string; challengeUrl: string; ownerActorUrl: string; title: string; problem: string; proposal: string; serviceArea: string | null };
}

/** What federation needs to answer a collaboration request. */
export interface DecidedRequest {
  id: string;
  status: "pending" | "accepted" | "declined";
  /** The peer's Join, when the request came over ActivityPub. */
  activityId: string | null;
  fromActorUrl: string;
}

export type EventName = keyof DomainEvents;

/** One event as the journal holds it: `id` orders every event of the instance. */
export type JournalEvent = { [E in EventName]: { id: number; name: E; payload: DomainEvents[E] } }[EventName];

/** The project a project event is about: its id, and the project itself unless it was removed. */
export function projectOfEvent(event: JournalEvent): { id: string; project?: Project } | undefined {
  switch (event.name) {
    case "project.published":
    case "project.updated":
    case "project.unpublished":
    case "project.deleted":
    case "remote.project.upserted":
      return { id: event.payload.project.id, project: event.payload.project };
    case "remote.project.removed":
      return { id: event.payload.projectId };
    default:
      return undefined;
  }
}

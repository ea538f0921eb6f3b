import type { Context, Federation } from "@fedify/fedify";
import { Article, Create, Delete, PUBLIC_COLLECTION, Tombstone, Undo, Update } from "@fedify/vocab";
import { instant } from "./time.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import type { Project } from "../core/project.ts";
import type { FederationDeps } from "./deps.ts";
import type { EventHandler } from "../db/journal.ts";
import type { DrizzleMessageQueue } from "./queue.ts";
import { localActor } from "./actor.ts";
import { activityId, createActivity } from "./collections.ts";
import { attachmentsOf, projectArticle } from "./project-object.ts";
import { newId } from "../db/ids.ts";
import { sendToAncestors } from "./imitations.ts";

/**
 * Turns domain events into activities for our followers: the journal's
 * federation subscriber (server/subscribers.ts). Sending only enqueues into
 * our database-backed queue, and what an event enqueues is written in the
 * transaction that acknowledges the event, so each event is queued exactly
 * once, even across a crash; a slow or dead follower never fails a save.
 * Drafts never produce an event, so they never leave the instance.
 *
 * Order: the journal hands events over one at a time in order, and each
 * activity carries the project's URL as ordering key (our actor's for profile
 * updates), so each inbox gets a project's Create before its Updates before
 * its Delete, even when an inbox was down and its deliveries were retried or
 * held meanwhile.
 *
 * Lifecycle (FEDERATION.md): unpublishing sends `Undo(Create)`, never
 * `Delete`, because Mastodon keeps a tombstone for a deleted id forever and
 * would refuse the project when it is published again; only deleting a
 * project sends `Delete`, and records it so its URL answers 410 Gone.
 */
/** What a deleted project leaves behind for its URL to answer 410: only one that was ever public. */
export function outboxHandler(app: FederationDeps, federation: Federation<FederationDeps>, queue: DrizzleMessageQueue): EventHandler {
  const context = () => federation.createContext(new URL(app.config.origin), app);

  type Sent = Create | Update | Delete | Undo;

  async function toFollowers(ctx: Context<FederationDeps>, handle: string, activity: Sent, orderingKey: string) {
    await ctx.sendActivity({ identifier: handle }, "followers", activity, {
      preferSharedInbox: true,
      excludeBaseUris: [new URL(app.config.origin)],
      orderingKey,
      // Always through the fan-out queue, which keeps the ordering key: with
      // "auto", a Create to four followers and its Update to five would take
      // different paths and could overtake each other.
      fanout: "force",
    });
  }

  const own = (project: Project) => project.local && project.published;

  /** To our followers, and for an imitation also to the owners of the projects it descends from. */
  async function deliver(ctx: Context<FederationDeps>, project: Project, activity: Sent) {
    await toFollowers(ctx, project.municipality.handle, activity, project.url);
    await sendToAncestors(ctx, project, activity);
  }

  async function announce(project: Project, kind: "create" | "update") {
    const ctx = context();
    const followersUrl = ctx.getFollowersUri(project.municipality.handle);
    const attachments = (await attachmentsOf(app.db, [project])).get(project.id);
    const activity =
      kind === "create"
        ? createActivity(project, followersUrl, attachments)
        : new Update({
            id: activityId(project, "update"),
            actor: new URL(project.municipality.actorUrl),
            object: projectArticle(project, { followersUrl: followersUrl.href, attachments }),
            updated: instant(project.updatedAt),
            to: PUBLIC_COLLECTION,
            cc: followersUrl,
          });
    await deliver(ctx, project, activity);
  }

  /**
   * Unpublished: takes back the project's Create. KOMINN peers drop their
   * copy; Mastodon and Misskey ignore an Undo of a Create and keep showing the
   * last version, so a later Create (republishing) is never refused.
   */
  async function withdraw(project: Project) {
    // A draft that was never published was never sent anywhere.
    if (!project.local || !project.publishedAt) return;
    const ctx = context();
    const local = await getLocalMunicipality(app.db);
    if (!local) return;
    const followersUrl = ctx.getFollowersUri(local.handle);
    const activity = new Undo({
      id: new URL(`${project.url}#withdraw-${project.updatedAt.getTime()}`),
      actor: new URL(local.actorUrl),
      object: new Create({
        id: activityId(project, "create"),
        actor: new URL(local.actorUrl),
        object: new URL(project.url),
      }),
      to: PUBLIC_COLLECTION,
      cc: followersUrl,
    });
    await deliver(ctx, project, activity);
  }

  /** Deleted for good: a Delete with a Tombstone, to the owners of its originals too. */
  async function retract(project: Project, deletedAt: Date) {
    if (!project.local || !project.publishedAt) return;
    const ctx = context();
    const local = await getLocalMunicipality(app.db);
    if (!local) return;
    const activity = new Delete({
      id: new URL(`${project.url}#delete-${project.updatedAt.getTime()}`),
      actor: new URL(local.actorUrl),
      object: new Tombstone({ id: new URL(project.url), formerTypes: [Article], deleted: instant(deletedAt) }),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(local.handle),
    });
    await deliver(ctx, project, activity);
  }

  /** Sends our actor to followers. */
  async function announceProfile() {
    const ctx = context();
    const municipality = await getLocalMunicipality(app.db);
    const actor = await localActor(ctx);
    if (!municipality || !actor) return;
    await toFollowers(
      ctx,
      municipality.handle,
      new Update({
        id: new URL(`${municipality.actorUrl}#profile-${newId()}`),
        actor: actor.id,
        object: actor,
        to: PUBLIC_COLLECTION,
        cc: ctx.getFollowersUri(municipality.handle),
      }),
      municipality.actorUrl,
    );
  }

  async function send(event: Parameters<EventHandler["handle"]>[0], deletedAt: Date): Promise<void> {
    switch (event.name) {
      case "project.published":
        return own(event.payload.project) ? announce(event.payload.project, "create") : undefined;
      case "project.updated":
        return own(event.payload.project) ? announce(event.payload.project, "update") : undefined;
      case "project.unpublished":
        return withdraw(event.payload.project);
      case "project.deleted":
        return retract(event.payload.project, deletedAt);
      case "profile.updated":
        return announceProfile();
      // Whether follows need approval shows on our actor; the other settings are ours alone.
      case "federation.settings.updated":
        return event.payload.changed.includes("approveFollowers") ? announceProfile() : undefined;
    }
  }

  return {
    async handle(event) {
      // Events carry no time of their own: a Delete says when it was sent.
      const deletedAt = new Date();
      const queued = await queue.collect(() => send(event, deletedAt));
      if (queued.length === 0) return;
      return async (tx) => {
        await queue.insertCollected(tx, queued);
      };
    },
    afterBatch: () => queue.wake(),
  };
}

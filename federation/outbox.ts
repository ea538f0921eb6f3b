import type { Context, Federation } from "@fedify/fedify";
import { Create, Delete, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { instant } from "./time.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import type { Project } from "../server/domain/project.ts";
import type { AppContext } from "../server/context.ts";
import { localActor } from "./actor.ts";
import { activityId, createActivity } from "./collections.ts";
import { projectArticle } from "./project-object.ts";
import { newId } from "../db/ids.ts";
import { sendToAncestors } from "./imitations.ts";

/**
 * Turns domain events into activities for our followers. Runs after the
 * write has committed; sending only enqueues (the database-backed queue
 * does the rest), so a slow or dead follower never fails a save.
 * Drafts never produce an event, so they never leave the instance.
 */
export function subscribeOutbox(app: AppContext, federation: Federation<AppContext>): void {
  const context = () => federation.createContext(new URL(app.config.origin), app);

  async function toFollowers(ctx: Context<AppContext>, handle: string, activity: Create | Update | Delete) {
    await ctx.sendActivity({ identifier: handle }, "followers", activity, {
      preferSharedInbox: true,
      excludeBaseUris: [new URL(app.config.origin)],
    });
  }

  const own = (project: Project) => project.local && project.published;

  /** To our followers, and for an imitation also to the owners of the projects it descends from. */
  async function deliver(ctx: Context<AppContext>, project: Project, activity: Create | Update | Delete) {
    await toFollowers(ctx, project.municipality.handle, activity);
    await sendToAncestors(ctx, project, activity);
  }

  app.events.on("project.published", async ({ project }) => {
    if (!own(project)) return;
    const ctx = context();
    await deliver(ctx, project, createActivity(project, ctx.getFollowersUri(project.municipality.handle)));
  });

  app.events.on("project.updated", async ({ project }) => {
    if (!own(project)) return;
    const ctx = context();
    const followersUrl = ctx.getFollowersUri(project.municipality.handle);
    await deliver(
      ctx,
      project,
      new Update({
        id: activityId(project, "update"),
        actor: new URL(project.municipality.actorUrl),
        object: projectArticle(project, { followersUrl: followersUrl.href }),
        updated: instant(project.updatedAt),
        to: PUBLIC_COLLECTION,
        cc: followersUrl,
      }),
    );
  });

  const retract = async ({ project }: { project: Project }) => {
    // A draft that was never published was never sent anywhere.
    if (!project.local || !project.publishedAt) return;
    const ctx = context();
    await deliver(
      ctx,
      project,
      new Delete({
        id: new URL(`${project.url}#delete-${Date.now()}`),
        actor: new URL(project.municipality.actorUrl),
        object: new Tombstone({ id: new URL(project.url) }),
        to: PUBLIC_COLLECTION,
        cc: ctx.getFollowersUri(project.municipality.handle),
      }),
    );
  };
  app.events.on("project.unpublished", retract);
  app.events.on("project.deleted", retract);

  app.events.on("profile.updated", async () => {
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
    );
  });
}

import type { Context, Federation } from "@fedify/fedify";
import { Create, Delete, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { instant } from "./time.ts";
import { getLocalMunicipality } from "../db/municipalities.ts";
import type { Project } from "../core/project.ts";
import type { FederationDeps } from "./deps.ts";
import { localActor } from "./actor.ts";
import { activityId, createActivity } from "./collections.ts";
import { projectArticle } from "./project-object.ts";
import { newId } from "../db/ids.ts";
import { markAnnounced, markRetracted, unannouncedProjects, unretractedUrls } from "../db/announced-projects.ts";
import { getProjectByUrl } from "../db/projects.ts";
import { getSetting, setSetting } from "../db/settings.ts";
import { createHash } from "node:crypto";
import { sendToAncestors } from "./imitations.ts";

/** The digest of our actor as followers were last sent it (settings key). */
const announcedProfileKey = "federation.announcedProfile";

/**
 * Turns domain events into activities for our followers. Runs after the
 * write has committed; sending only enqueues (the database-backed queue
 * does the rest), so a slow or dead follower never fails a save.
 * Drafts never produce an event, so they never leave the instance.
 *
 * What was queued is recorded per project (announced_projects), and for our
 * actor as a digest of the one sent. A crash between a save and its
 * queueing is made good at the next start by `catchUp`; activity ids follow
 * from the project's version, so a receiver that got the activity already
 * sees the same id again and ignores it.
 *
 * Order: a project's activities are queued one after the other, and carry the
 * project's URL as ordering key (our actor's for profile updates), so each
 * inbox gets a project's Create before its Updates before its Delete, even
 * when an inbox was down and its deliveries were retried or held meanwhile.
 */
export function subscribeOutbox(app: FederationDeps, federation: Federation<FederationDeps>): { catchUp(): Promise<void> } {
  const context = () => federation.createContext(new URL(app.config.origin), app);

  async function toFollowers(ctx: Context<FederationDeps>, handle: string, activity: Create | Update | Delete, orderingKey: string) {
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

  /** Runs `task` after every earlier one for the same key has finished, so activities are queued in the order of events. */
  const tails = new Map<string, Promise<void>>();
  function inOrder(key: string, task: () => Promise<void>): Promise<void> {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  }

  const own = (project: Project) => project.local && project.published;

  /** To our followers, and for an imitation also to the owners of the projects it descends from. */
  async function deliver(ctx: Context<FederationDeps>, project: Project, activity: Create | Update | Delete) {
    await toFollowers(ctx, project.municipality.handle, activity, project.url);
    await sendToAncestors(ctx, project, activity);
  }

  async function announce(project: Project, kind: "create" | "update") {
    const ctx = context();
    const followersUrl = ctx.getFollowersUri(project.municipality.handle);
    const activity =
      kind === "create"
        ? createActivity(project, followersUrl)
        : new Update({
            id: activityId(project, "update"),
            actor: new URL(project.municipality.actorUrl),
            object: projectArticle(project, { followersUrl: followersUrl.href }),
            updated: instant(project.updatedAt),
            to: PUBLIC_COLLECTION,
            cc: followersUrl,
          });
    await deliver(ctx, project, activity);
    await markAnnounced(app.db, project);
  }

  /** A Delete for the project at `url`; to the owners of its originals too when the project is still here. */
  async function retract(url: string, version: Date, project?: Project) {
    const ctx = context();
    const local = await getLocalMunicipality(app.db);
    if (!local) return;
    const activity = new Delete({
      id: new URL(`${url}#delete-${version.getTime()}`),
      actor: new URL(local.actorUrl),
      object: new Tombstone({ id: new URL(url) }),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(local.handle),
    });
    if (project) await deliver(ctx, project, activity);
    else await toFollowers(ctx, local.handle, activity, url);
    await markRetracted(app.db, url);
  }

  app.events.on("project.published", ({ project }) => (own(project) ? inOrder(project.url, () => announce(project, "create")) : undefined));
  app.events.on("project.updated", ({ project }) => (own(project) ? inOrder(project.url, () => announce(project, "update")) : undefined));
  const retracted = ({ project }: { project: Project }) =>
    // A draft that was never published was never sent anywhere.
    project.local && project.publishedAt ? inOrder(project.url, () => retract(project.url, project.updatedAt, project)) : undefined;
  app.events.on("project.unpublished", retracted);
  app.events.on("project.deleted", retracted);

  /** Sends our actor to followers when it differs from the one they were last sent. */
  async function announceProfile(force: boolean) {
    const ctx = context();
    const municipality = await getLocalMunicipality(app.db);
    const actor = await localActor(ctx);
    if (!municipality || !actor) return;
    const digest = createHash("sha256").update(JSON.stringify(await actor.toJsonLd())).digest("hex");
    if (!force && (await getSetting<string>(app.db, announcedProfileKey)) === digest) return;
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
    await setSetting(app.db, announcedProfileKey, digest);
  }

  app.events.on("profile.updated", () => inOrder("profile", () => announceProfile(true)));
  // Whether follows need approval shows on our actor; the other settings are ours alone.
  app.events.on("federation.settings.updated", ({ changed }) =>
    changed.includes("approveFollowers") ? inOrder("profile", () => announceProfile(false)) : undefined);

  return {
    async catchUp() {
      for (const { project, known } of await unannouncedProjects(app.db)) await inOrder(project.url, () => announce(project, known ? "update" : "create"));
      for (const { url, updatedAt } of await unretractedUrls(app.db)) {
        const project = await getProjectByUrl(app.db, url);
        await inOrder(url, () => retract(url, project?.updatedAt ?? updatedAt, project));
      }
      await inOrder("profile", () => announceProfile(false));
    },
  };
}

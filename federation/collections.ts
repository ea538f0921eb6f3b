import type { Federation } from "@fedify/fedify";
import { Create, PUBLIC_COLLECTION } from "@fedify/vocab";
import { instant } from "./time.ts";
import { count, and, eq } from "drizzle-orm";
import { listFollowers } from "../db/followers.ts";
import { listFollows } from "../db/follows.ts";
import { projects } from "../db/schema.ts";
import type { Project } from "../core/project.ts";
import type { FederationDeps } from "./deps.ts";
import { actorPaths, localActorRow } from "./actor.ts";
import { attachmentsOf, projectArticle, type WireAttachment } from "./project-object.ts";
import type { Db } from "../db/client.ts";
import { getProject } from "../db/projects.ts";
import { listFeaturedProjectIds } from "../db/media.ts";
import { recipientOf } from "./recipients.ts";

export const outboxPageSize = 50;
export const collectionPageSize = 50;

/** One page of a collection by offset cursor ("0", "50", …); every item when there is no cursor; null for a malformed one. */
function pageOf<T>(items: T[], cursor: string | null): { items: T[]; nextCursor?: string | null; prevCursor?: string | null } | null {
  if (cursor === null) return { items };
  if (!/^\d{1,7}$/.test(cursor)) return null;
  const offset = Number(cursor);
  if (offset % collectionPageSize !== 0 || (offset > 0 && offset >= items.length)) return null;
  const next = offset + collectionPageSize;
  return {
    items: items.slice(offset, next),
    nextCursor: next < items.length ? String(next) : null,
    prevCursor: offset > 0 ? String(offset - collectionPageSize) : null,
  };
}

/** The pinned projects that are still ours and public, in their order. */
async function featuredProjects(db: Db): Promise<Project[]> {
  const ids = await listFeaturedProjectIds(db);
  const found = await Promise.all(ids.map((id) => getProject(db, id)));
  return found.filter((p): p is Project => Boolean(p?.local && p.published));
}

/** Activity ids are stable per version of a project, so a redelivery is recognised. */
export function activityId(project: Project, kind: "create" | "update"): URL {
  return new URL(`${project.url}#${kind}-${project.updatedAt.getTime()}`);
}

export function createActivity(project: Project, followersUrl: URL, attachments?: readonly WireAttachment[]): Create {
  return new Create({
    id: activityId(project, "create"),
    actor: new URL(project.municipality.actorUrl),
    object: projectArticle(project, { followersUrl: followersUrl.href, attachments }),
    published: instant(project.publishedAt ?? project.updatedAt),
    to: PUBLIC_COLLECTION,
    cc: followersUrl,
  });
}

async function countPublishedLocal(ctx: FederationDeps): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(projects)
    .where(and(eq(projects.local, true), eq(projects.published, true)));
  return row.n;
}

export function registerCollections(federation: Federation<FederationDeps>): void {
  federation
    // Fedify serves the collection itself (its count and first page); the pages
    // are built once, in middleware.ts, with each Article as we write it (Fedify
    // would re-compact them and drop our JSON-LD terms). A page it does not
    // serve (a malformed cursor, another handle) is not found here either.
    .setOutboxDispatcher(actorPaths.outbox, async () => null)
    .setCounter((ctx, identifier) => localActorRow(ctx.data.db, identifier).then((m) => (m ? countPublishedLocal(ctx.data) : null)))
    .setFirstCursor(() => "1");

  // Followers and following: the collection names its size and its `first`
  // page (Mastodon shows a collection without `first` as hidden); pages of
  // `collectionPageSize` by offset cursor. Without a cursor (Fedify's own
  // fan-out to "followers") the dispatcher returns everyone at once.
  federation
    .setFollowersDispatcher(actorPaths.followers, async (ctx, identifier, cursor) => {
      if (!(await localActorRow(ctx.data.db, identifier))) return null;
      const rows = await listFollowers(ctx.data.db, "accepted");
      return pageOf(rows.map((f) => recipientOf(f)), cursor);
    })
    .setCounter(async (ctx, identifier) =>
      (await localActorRow(ctx.data.db, identifier)) ? (await listFollowers(ctx.data.db, "accepted")).length : null,
    )
    .setFirstCursor(() => "0");

  federation
    .setFollowingDispatcher(actorPaths.following, async (ctx, identifier, cursor) => {
      if (!(await localActorRow(ctx.data.db, identifier))) return null;
      const rows = await listFollows(ctx.data.db);
      return pageOf(rows.filter((f) => f.status === "accepted").map((f) => new URL(f.targetActorUrl)), cursor);
    })
    .setCounter(async (ctx, identifier) =>
      (await localActorRow(ctx.data.db, identifier))
        ? (await listFollows(ctx.data.db)).filter((f) => f.status === "accepted").length
        : null,
    )
    .setFirstCursor(() => "0");

  // The projects an administrator pinned, in order, as Articles (Mastodon shows them first on the profile).
  federation.setFeaturedDispatcher(actorPaths.featured, async (ctx, identifier) => {
    if (!(await localActorRow(ctx.data.db, identifier))) return null;
    const pinned = await featuredProjects(ctx.data.db);
    const attachments = await attachmentsOf(ctx.data.db, pinned);
    return {
      items: pinned.map((p) =>
        projectArticle(p, { followersUrl: ctx.getFollowersUri(identifier).href, attachments: attachments.get(p.id) }),
      ),
    };
  });

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => ({
    software: { name: "kominn", version: "0.1.0", repository: new URL("https://github.com/kominn/kominn") },
    protocols: ["activitypub"],
    services: { inbound: [], outbound: ["atom1.0"] },
    openRegistrations: false,
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: await countPublishedLocal(ctx.data),
      localComments: 0,
    },
    metadata: { role: ctx.data.config.role },
  }));
}

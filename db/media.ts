import { and, asc, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { preparedFor } from "./prepared.ts";
import { projectRevisions, projects } from "./schema.ts";
import { featuredProjects, media, type MediaRow, type NewMediaRow, type ProfileSlot } from "./schema-media.ts";
import { getProject } from "./projects.ts";
import type { Project } from "../core/project.ts";

/** A project's attachments in the order staff added them. */
export async function listProjectMedia(db: Db, projectId: string): Promise<MediaRow[]> {
  return mediaOfProject(db).execute({ projectId });
}

/** Read for every view of a project's page: prepared once. */
const mediaOfProject = preparedFor((db) =>
  db
    .select()
    .from(media)
    .where(eq(media.projectId, sql.placeholder("projectId")))
    .orderBy(asc(media.position), asc(media.createdAt))
    .prepare("kominn_media_of_project"),
);

/** The attachments of these projects, each project's in the order staff added them (one query for an outbox page). */
export async function listMediaOfProjects(db: Db, projectIds: readonly string[]): Promise<MediaRow[]> {
  if (projectIds.length === 0) return [];
  return db.select().from(media).where(inArray(media.projectId, [...projectIds])).orderBy(asc(media.position), asc(media.createdAt));
}

export async function getMedia(db: Db, id: string): Promise<MediaRow | undefined> {
  const [row] = await db.select().from(media).where(eq(media.id, id));
  return row;
}

export async function countProjectMedia(db: Db, projectId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(media).where(eq(media.projectId, projectId));
  return row.n;
}

export async function insertMedia(db: Db, values: Omit<NewMediaRow, "id" | "position">): Promise<MediaRow> {
  const [row] = await db
    .insert(media)
    .values({
      ...values,
      id: newId(),
      position: values.projectId
        ? sql`(select coalesce(max(${media.position}), -1) + 1 from ${media} where ${media.projectId} = ${values.projectId})`
        : 0,
    })
    .returning();
  return row;
}

export async function deleteMedia(db: Db, id: string): Promise<MediaRow | undefined> {
  const [row] = await db.delete(media).where(eq(media.id, id)).returning();
  return row;
}

/** The actor's icon or header, if one was uploaded. */
export async function getProfileMedia(db: Db, slot: ProfileSlot): Promise<MediaRow | undefined> {
  const [row] = await db.select().from(media).where(eq(media.slot, slot));
  return row;
}

/** Removes the slot's picture (to be replaced); returns it so its file can go once unused. */
export async function clearProfileMedia(db: Db, slot: ProfileSlot): Promise<MediaRow | undefined> {
  const [row] = await db.delete(media).where(eq(media.slot, slot)).returning();
  return row;
}

/** Which of these file names some row still uses. */
export async function fileNamesInUse(db: Db, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectDistinct({ fileName: media.fileName }).from(media).where(inArray(media.fileName, names));
  return new Set(rows.map((r) => r.fileName!));
}

/**
 * Who may see a stored file: "public" when the actor's picture or a published
 * project's attachment names it, "staff" when only drafts' attachments do,
 * undefined when no row names it.
 */
export async function fileAudience(db: Db, fileName: string): Promise<"public" | "staff" | undefined> {
  const rows = await db
    .select({ slot: media.slot, published: projects.published })
    .from(media)
    .leftJoin(projects, eq(projects.id, media.projectId))
    .where(eq(media.fileName, fileName));
  if (rows.length === 0) return undefined;
  return rows.some((r) => r.slot !== null || r.published === true) ? "public" : "staff";
}

/** Every file name a row uses (for the start-up sweep of orphans). */
export async function allFileNames(db: Db): Promise<Set<string>> {
  const rows = await db.selectDistinct({ fileName: media.fileName }).from(media).where(isNotNull(media.fileName));
  return new Set(rows.map((r) => r.fileName!));
}


/**
 * Holds the project row until the transaction ends, so it cannot be deleted
 * under a new attachment; false when it is gone already.
 */
export async function holdProject(db: Db, projectId: string): Promise<boolean> {
  const rows = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("share");
  return rows.length > 0;
}

/**
 * Marks a project as changed by its attachments: a new `updated_at` (so the
 * Update sent for it has a new id) and a line in its history.
 */
export async function touchProject(db: Db, projectId: string, actor: { accountId: string | null; name: string }): Promise<Project | undefined> {
  await db.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, projectId));
  await db.insert(projectRevisions).values({
    projectId,
    accountId: actor.accountId,
    actorName: actor.name,
    action: "endret",
    changedFields: ["vedlegg"],
  });
  return getProject(db, projectId);
}

// Featured (pinned) projects ----------------------------------------------------

/**
 * In a pin's transaction: the pinned projects, with the list held until the
 * transaction ends, so two pins at once cannot both count four and make six.
 */
export async function listFeaturedProjectIdsForPin(tx: Db): Promise<string[]> {
  await tx.execute(sql`lock table ${featuredProjects} in share row exclusive mode`);
  return listFeaturedProjectIds(tx);
}

export async function listFeaturedProjectIds(db: Db): Promise<string[]> {
  const rows = await db.select().from(featuredProjects).orderBy(asc(featuredProjects.position), asc(featuredProjects.pinnedAt));
  return rows.map((r) => r.projectId);
}

export async function pinProject(db: Db, projectId: string): Promise<void> {
  await db
    .insert(featuredProjects)
    .values({
      projectId,
      position: sql`(select coalesce(max(${featuredProjects.position}), -1) + 1 from ${featuredProjects})`,
    })
    .onConflictDoNothing();
}

export async function unpinProject(db: Db, projectId: string): Promise<boolean> {
  const rows = await db.delete(featuredProjects).where(eq(featuredProjects.projectId, projectId)).returning();
  return rows.length > 0;
}

import { and, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { newId } from "./ids.ts";
import { toProject } from "./projects.ts";
import { projects, type Municipality, type NewProjectRow } from "./schema.ts";
import type { Project, ProjectContent } from "../core/project.ts";

export interface RemoteProjectInput {
  url: string;
  slug: string;
  content: ProjectContent;
  descriptionHtml: string;
  imitationOf: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

const columns = getTableColumns(projects);

/**
 * Stores or refreshes the cached copy of a peer's project, keyed by its URL.
 * An older version never overwrites a newer one (deliveries may arrive out of order).
 * Returns undefined when the stored copy was already as new.
 */
export async function upsertRemoteProject(
  db: Db,
  municipality: Municipality,
  input: RemoteProjectInput,
): Promise<Project | undefined> {
  const values = {
    ...input.content,
    descriptionHtml: input.descriptionHtml,
    imitationOf: input.imitationOf,
    published: true,
    publishedAt: input.publishedAt,
    updatedAt: input.updatedAt,
  } satisfies Partial<NewProjectRow>;
  const [row] = await db
    .insert(projects)
    .values({ id: newId(), slug: input.slug, url: input.url, local: false, municipalityId: municipality.id, ...values })
    .onConflictDoUpdate({
      target: projects.url,
      // The new values by reference to the row offered, so each is sent once.
      set: Object.fromEntries(Object.keys(values).map((key) => [key, sql`excluded.${sql.identifier(columns[key as keyof typeof columns].name)}`])),
      // Never touch local rows, nor another municipality's copy, nor a newer version.
      setWhere: sql`${projects.local} = false and ${projects.municipalityId} = ${municipality.id} and ${projects.updatedAt} < ${input.updatedAt.toISOString()}::timestamptz`,
    })
    .returning();
  return row && toProject(row, municipality);
}

/** Removes the cached copy, only when it belongs to this municipality. */
export async function removeRemoteProject(db: Db, municipality: Municipality, url: string): Promise<string | undefined> {
  const [row] = await db
    .delete(projects)
    .where(and(eq(projects.url, url), eq(projects.local, false), eq(projects.municipalityId, municipality.id)))
    .returning({ id: projects.id });
  return row?.id;
}

export async function countRemoteProjects(db: Db, municipalityId: string): Promise<number> {
  const rows = await db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.local, false), eq(projects.municipalityId, municipalityId)));
  return rows.length;
}

import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { contentVersionSql } from "./content-version.ts";
import { preparedFor } from "./prepared.ts";
import { descendantsFromJson, descendantsJson, type DescendantRow } from "./imitations.ts";
import { jsonFields, type Json } from "./json-rows.ts";
import { toProject } from "./projects.ts";
import { municipalities, projects } from "./schema.ts";
import { media, type MediaRow } from "./schema-media.ts";
import type { Project } from "../core/project.ts";

/** What a local project's page reads from the database, in one round trip. */
export interface LocalProjectPage {
  project: Project;
  /** Its attachments in the order staff added them (db/media.ts `listProjectMedia`). */
  media: MediaRow[];
  /** Every known imitation below it (db/imitations.ts `descendantsOf`). */
  below: DescendantRow[];
  /** The content version the project was read at (db/content-version.ts). */
  contentVersion: number;
}

const localProjectPage = preparedFor((db) =>
  db
    .select({
      project: projects,
      municipality: municipalities,
      contentVersion: contentVersionSql,
      below: descendantsJson(projects.url),
      media: sql<Json<MediaRow>[]>`(
        select coalesce(json_agg(json_build_object(${jsonFields(media)}) order by ${asc(media.position)}, ${asc(media.createdAt)}), '[]'::json)
        from ${media} where ${media.projectId} = ${projects.id})`,
    })
    .from(projects)
    .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
    .where(and(eq(projects.slug, sql.placeholder("slug")), eq(projects.local, true)))
    .prepare("kominn_local_project_page"),
);

/**
 * A local project by slug with its attachments, the imitations below it and
 * the content version, in one statement: a staff member's view of the page (which the page cache
 * never serves) reads these on every request.
 */
export async function getLocalProjectPage(db: Db, slug: string): Promise<LocalProjectPage | undefined> {
  const [row] = await localProjectPage(db).execute({ slug });
  if (!row) return undefined;
  return {
    project: toProject(row.project, row.municipality),
    media: row.media.map((m) => ({ ...m, createdAt: new Date(m.createdAt) })),
    below: descendantsFromJson(row.below),
    contentVersion: Number(row.contentVersion),
  };
}

import { eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "./client.ts";
import { toProject } from "./projects.ts";
import { municipalities, projects } from "./schema.ts";
import { announcedProjects } from "./schema-federation.ts";
import type { Project } from "../core/project.ts";

/** Records that followers were sent this version of the project (two quick edits may record out of order). */
export async function markAnnounced(db: Db, project: Project): Promise<void> {
  await db
    .insert(announcedProjects)
    .values({ url: project.url, updatedAt: project.updatedAt })
    .onConflictDoUpdate({
      target: announcedProjects.url,
      set: { updatedAt: sql`greatest(${announcedProjects.updatedAt}, excluded.updated_at)` },
    });
}

/** Records that followers were told the project is gone. */
export async function markRetracted(db: Db, url: string): Promise<void> {
  await db.delete(announcedProjects).where(eq(announcedProjects.url, url));
}

export interface Unannounced {
  project: Project;
  /** Followers have an older version (Update), or none at all (Create). */
  known: boolean;
}

/** Published local projects whose latest version followers have not been sent. */
export async function unannouncedProjects(db: Db): Promise<Unannounced[]> {
  const rows = await db
    .select({ project: projects, municipality: municipalities, sent: announcedProjects.updatedAt })
    .from(projects)
    .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
    .leftJoin(announcedProjects, eq(announcedProjects.url, projects.url))
    .where(
      sql`${projects.local} and ${projects.published} and (${announcedProjects.url} is null or ${announcedProjects.updatedAt} < ${projects.updatedAt})`,
    );
  return rows.map((r) => ({ project: toProject(r.project, r.municipality), known: r.sent !== null }));
}

/** Projects followers were sent that are no longer published here (unpublished or deleted). */
export async function unretractedUrls(db: Db): Promise<{ url: string; updatedAt: Date }[]> {
  const rows = rowsOf<{ url: string; updated_at: string | Date }>(
    await db.execute(sql`
      select a.url, a.updated_at from announced_projects a
      left join projects p on p.url = a.url and p.local
      where p.id is null or not p.published`),
  );
  return rows.map((r) => ({ url: r.url, updatedAt: new Date(r.updated_at) }));
}

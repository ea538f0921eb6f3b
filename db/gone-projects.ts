import { desc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { goneProjects, type GoneProject } from "./schema-gone.ts";

/** Records that a published project was deleted; a second deletion of the same URL keeps the first record. */
export async function recordGoneProject(db: Db, gone: { url: string; slug: string; title: string; deletedAt: Date }): Promise<void> {
  await db.insert(goneProjects).values(gone).onConflictDoNothing();
}

/** The latest deleted project that had this slug, if any. */
export async function getGoneProjectBySlug(db: Db, slug: string): Promise<GoneProject | undefined> {
  const [row] = await db.select().from(goneProjects).where(eq(goneProjects.slug, slug)).orderBy(desc(goneProjects.deletedAt)).limit(1);
  return row;
}

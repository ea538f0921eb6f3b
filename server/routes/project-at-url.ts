import { getProjectByUrl } from "../../db/projects.ts";
import type { Project } from "../../core/project.ts";
import type { AppContext } from "../context.ts";

/**
 * The published project with this ActivityPub id (its URL): ours, a cached
 * copy, or fetched now from the instance it belongs to. Undefined for a draft,
 * an unknown project, or anything but an http(s) URL.
 */
export async function publishedProjectAt(ctx: AppContext, url: string): Promise<Project | undefined> {
  if (!/^https?:\/\//.test(url)) return undefined;
  const project = (await getProjectByUrl(ctx.db, url)) ?? (await ctx.resolveRemoteProject(url));
  return project?.published ? project : undefined;
}

import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "./client.ts";
import { imitationLinks, municipalities, projects } from "./schema.ts";
import { projectPath } from "../core/urls.ts";

/** The project an imitation copies, as lists and pages name it: "Imitasjon av «title» fra municipality". */
export interface ImitationOrigin {
  title: string;
  municipalityName: string;
  /** Where to read the original: its page here when this instance holds it published, else its own URL. */
  href: string;
}

/**
 * For each of these project URLs that is an imitation: the original's title
 * and municipality. Read from the original when this instance holds it, else
 * from what the imitation link remembers; when neither knows it, title and
 * municipality are empty (the page still says it is an imitation).
 */
export async function imitationOriginsOf(db: Db, copyUrls: readonly string[]): Promise<Map<string, ImitationOrigin>> {
  if (copyUrls.length === 0) return new Map();
  const copies = await db
    .select({ url: projects.url, imitationOf: projects.imitationOf })
    .from(projects)
    .where(and(inArray(projects.url, [...copyUrls]), isNotNull(projects.imitationOf)));
  const pairs = copies.flatMap((c) => (c.imitationOf ? [{ copy: c.url, original: c.imitationOf }] : []));
  if (pairs.length === 0) return new Map();
  const originals = await db
    .select({
      id: projects.id,
      slug: projects.slug,
      url: projects.url,
      local: projects.local,
      published: projects.published,
      title: projects.title,
      municipalityName: municipalities.name,
    })
    .from(projects)
    .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
    .where(inArray(projects.url, pairs.map((p) => p.original)));
  const byUrl = new Map(originals.map((o) => [o.url, o]));
  const missing = pairs.filter((p) => !byUrl.has(p.original)).map((p) => p.copy);
  const links =
    missing.length === 0
      ? []
      : await db
          .select({ copyUrl: imitationLinks.copyUrl, title: imitationLinks.originalTitle, municipalityName: imitationLinks.originalMunicipalityName })
          .from(imitationLinks)
          .where(inArray(imitationLinks.copyUrl, missing));
  const remembered = new Map(links.map((l) => [l.copyUrl, l]));
  const result = new Map<string, ImitationOrigin>();
  for (const { copy, original } of pairs) {
    const held = byUrl.get(original);
    if (held) {
      result.set(copy, {
        title: held.title,
        municipalityName: held.municipalityName,
        href: held.published ? projectPath(held) : original,
      });
      continue;
    }
    const link = remembered.get(copy);
    result.set(copy, { title: link?.title ?? "", municipalityName: link?.municipalityName ?? "", href: original });
  }
  return result;
}

import type { Db } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { projects, type Municipality, type NewProjectRow } from "../db/schema.ts";
import { slugify } from "../server/domain/rules.ts";
import { projectUrl } from "../server/urls.ts";
import { renderMarkdown } from "../web/markdown.ts";
import { generateProject, seeded } from "../scripts/generate-projects.ts";
import { progress } from "./measure.ts";

/** Inserts `count` published local projects in batches, with updates spread over two years. */
export async function seedLocalProjects(db: Db, municipality: Municipality, origin: string, count: number, seed = 1): Promise<void> {
  const random = seeded(seed);
  const batch = 500;
  const now = Date.now();
  for (let start = 0; start < count; start += batch) {
    const rows: NewProjectRow[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const content = generateProject(random, i);
      const slug = `${slugify(content.title, 60)}-${i}`;
      const updated = new Date(now - Math.floor(random() * 730 * 24 * 3600 * 1000));
      rows.push({
        ...content,
        id: newId(),
        slug,
        url: projectUrl(origin, slug),
        local: true,
        municipalityId: municipality.id,
        published: true,
        publishedAt: updated,
        descriptionHtml: renderMarkdown(content.description),
        createdAt: updated,
        updatedAt: updated,
      });
    }
    await db.insert(projects).values(rows);
    progress("  legger inn prosjekter", Math.min(count, start + batch), count);
  }
}

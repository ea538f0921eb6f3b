import type { Db } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import {
  imitationLinks,
  municipalities,
  projects,
  type Municipality,
  type NewImitationLink,
  type NewProjectRow,
} from "../db/schema.ts";
import { slugify } from "../core/rules.ts";
import { projectUrl } from "../core/urls.ts";
import { renderMarkdown } from "../core/markdown.ts";
import { generateMunicipalities, generateProject, seeded } from "../scripts/generate-projects.ts";
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

export interface NetworkSeed {
  projects: number;
  municipalities: number;
  /** How many of the projects are imitations of others (with their links). */
  imitations?: number;
  seed?: number;
}

/**
 * A national network as an aggregator sees it: remote municipalities, their
 * published projects and imitation links between them. A few originals are
 * imitated often and most rarely, as in real spread.
 */
export async function seedNetwork(db: Db, options: NetworkSeed): Promise<{ municipalities: number; projects: number; imitations: number }> {
  const generated = generateMunicipalities(options.municipalities);
  const owners = await db
    .insert(municipalities)
    .values(
      generated.map((m) => ({
        id: newId(),
        local: false,
        actorUrl: `https://${m.handle}.bench.test/kommune/${m.handle}`,
        handle: m.handle,
        domain: `${m.handle}.bench.test`,
        name: m.name,
        kommunenummer: m.kommunenummer,
        fylke: m.fylke,
      })),
    )
    .returning();
  const random = seeded(options.seed ?? 42);
  const now = Date.now();
  const imitationCount = Math.min(options.imitations ?? 0, Math.floor(options.projects / 2));
  const originals = options.projects - imitationCount;
  const urls: string[] = [];
  const batch = 1000;
  for (let start = 0; start < options.projects; start += batch) {
    const rows: NewProjectRow[] = [];
    const links: NewImitationLink[] = [];
    for (let i = start; i < Math.min(options.projects, start + batch); i++) {
      const owner = owners[i % owners.length];
      const content = generateProject(random, i);
      const updated = new Date(now - Math.floor(random() * 730 * 86_400_000));
      const url = `https://${owner.handle}.bench.test/prosjekter/p-${i}`;
      // Copies come after their originals; cubing the draw skews towards a few popular originals.
      const original = i >= originals ? urls[Math.floor(originals * random() ** 3)] : undefined;
      urls.push(url);
      rows.push({
        ...content,
        id: newId(),
        slug: `p-${i}`,
        url,
        local: false,
        municipalityId: owner.id,
        published: true,
        publishedAt: updated,
        descriptionHtml: "",
        imitationOf: original ?? null,
        adaptation: original ? "Tilpasset våre forhold" : "",
        createdAt: updated,
        updatedAt: updated,
      });
      if (original) {
        links.push({
          copyUrl: url,
          originalUrl: original,
          copyTitle: content.title,
          copyPhase: content.phase,
          copyMunicipalityActorUrl: owner.actorUrl,
          copyMunicipalityName: owner.name,
          copyKommunenummer: owner.kommunenummer,
          copyFylke: owner.fylke,
          createdAt: updated,
        });
      }
    }
    await db.insert(projects).values(rows);
    if (links.length) await db.insert(imitationLinks).values(links);
    progress("  legger inn prosjekter", Math.min(options.projects, start + batch), options.projects);
  }
  return { municipalities: owners.length, projects: options.projects, imitations: imitationCount };
}

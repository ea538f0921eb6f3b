// Issue 7's "ingest of a full backfill of 357 municipalities × 50 projects":
// the aggregator stores 17,850 received Articles through the same path a
// backfill takes for each outbox item (parse, check, store, index), without
// the network (the federation benchmark measures backfill over HTTP).
import { newId } from "../db/ids.ts";
import { upsertRemoteMunicipality } from "../db/municipalities.ts";
import { storeProjectDocument } from "../federation/remote-projects.ts";
import { projectArticleJson } from "../federation/project-object.ts";
import { generateMunicipalities, generateProject, seeded } from "../scripts/generate-projects.ts";
import { renderMarkdown } from "../core/markdown.ts";
import { backendsFor, startBenchInstance } from "./instance.ts";
import { progress, type Row } from "./measure.ts";

export async function benchBackfillIngest(options: { municipalities: number; perMunicipality: number; postgresUrl?: string }): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of backendsFor(options.postgresUrl)) {
    const ks = await startBenchInstance(backend, { KOMINN_ROLE: "aggregator" });
    try {
      const random = seeded(7);
      const total = options.municipalities * options.perMunicipality;
      const started = performance.now();
      let done = 0;
      for (const m of generateMunicipalities(options.municipalities)) {
        const origin = `https://${m.handle}.bench.test`;
        const actorUrl = `${origin}/kommune/${m.handle}`;
        const municipality = await upsertRemoteMunicipality(ks.ctx.db, {
          actorUrl, handle: m.handle, domain: `${m.handle}.bench.test`, name: m.name, kommunenummer: m.kommunenummer, fylke: m.fylke,
        });
        for (let i = 0; i < options.perMunicipality; i++) {
          const content = generateProject(random, i);
          const now = new Date();
          const url = `${origin}/prosjekter/p-${i}`;
          const document = projectArticleJson(
            {
              ...content, id: newId(), slug: `p-${i}`, url, local: false, published: true, imitationOf: null,
              descriptionHtml: renderMarkdown(content.description),
              municipality: { name: m.name, kommunenummer: m.kommunenummer, fylke: m.fylke, handle: m.handle, actorUrl },
              createdAt: now, updatedAt: now, publishedAt: now,
            },
            { followersUrl: `${actorUrl}/followers` },
          );
          await storeProjectDocument(ks.ctx, municipality, document, url);
          progress(`  ${backend}: lagrer`, ++done, total);
        }
      }
      await ks.ctx.events.settled();
      const seconds = (performance.now() - started) / 1000;
      rows.push({ backend, prosjekter: total, "tid (s)": Math.round(seconds * 10) / 10, "prosjekter/s": Math.round(total / seconds) });
    } finally {
      await ks.close();
    }
  }
  return rows;
}

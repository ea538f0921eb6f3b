// `npm run kominn -- reindex`: rebuilds the search index and the overview's counters from the database,
// with a progress bar (listed in scripts/cli-extensions.ts).
import { loadConfig } from "../core/config.ts";
import { buildContext } from "../server/instance.ts";
import { reindexAll } from "../search/index.ts";
import { rebuildOverviewCounts } from "../db/overview-counters.ts";
import { progress } from "./progress.ts";

export const reindexCommand = {
  summary: "Bygg søkeindeksen på nytt fra databasen (PostgreSQL eller Meilisearch)",
  usage: "reindex",
  options: {} as Record<string, { type: "string" | "boolean" }>,
  async run(): Promise<void> {
    const config = loadConfig();
    const { ctx, database } = await buildContext({ ...config, logLevel: "warn" });
    try {
      const started = Date.now();
      const { indexed, backend } = await reindexAll(ctx, (done, total) => progress("Indekserer", done, total));
      await rebuildOverviewCounts(ctx.db);
      console.log(`Indekserte ${indexed} prosjekter i ${backend === "meilisearch" ? "Meilisearch" : "PostgreSQL"} på ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await database.close();
    }
  },
};

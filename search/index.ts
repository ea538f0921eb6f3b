// Wires search into an instance: picks the backend from the configuration,
// keeps the index in step (its indexer is the journal's search subscriber), and offers the search service.
import type { Db } from "../db/client.ts";
import type { Config } from "../core/config.ts";
import type { SearchDeps } from "./deps.ts";
import { defaultRegions, type Region } from "../core/regions.ts";
import type { SearchBackend } from "./backend.ts";
import { SearchIndexer, type IndexerOptions } from "./indexer.ts";
import { PostgresSearchBackend } from "./postgres.ts";
import { SearchService } from "./service.ts";
import { useUmbrellaFile } from "./thesaurus.ts";

/** Meilisearch when MEILI_URL is set (its client is loaded only then), else PostgreSQL full-text in the instance's own database. */
async function createSearchBackend(config: Pick<Config, "meiliUrl" | "meiliMasterKey">, db: Db): Promise<SearchBackend> {
  if (config.meiliUrl) {
    const { MeilisearchBackend } = await import("./meilisearch.ts");
    return new MeilisearchBackend({ host: config.meiliUrl, apiKey: config.meiliMasterKey });
  }
  return new PostgresSearchBackend(db);
}

export interface Search {
  service: SearchService;
  indexer: SearchIndexer;
  close(): Promise<void>;
}

export interface StartSearchOptions extends IndexerOptions {
  backend?: SearchBackend;
  regions?: readonly Region[];
}

/** Starts search for an instance; call `close()` before the database closes. */
export async function startSearch(ctx: SearchDeps, options: StartSearchOptions = {}): Promise<Search> {
  const regions = options.regions ?? defaultRegions;
  useUmbrellaFile(ctx.config.searchTermsFile);
  // The lexicon is read at its first use (lexicon(): tens of ms from the stored
  // tables), so an instance nobody searches or publishes to does not hold it.
  const backend = options.backend ?? (await createSearchBackend(ctx.config, ctx.db));
  const indexer = new SearchIndexer(ctx.db, backend, regions, ctx.logger, options);
  indexer.start();
  return {
    service: new SearchService(ctx.db, backend, regions),
    indexer,
    async close() {
      await indexer.stop();
      await backend.close();
    },
  };
}

/** Rebuilds the index of an instance from its database (`npm run kominn -- reindex`). */
export async function reindexAll(
  ctx: Pick<SearchDeps, "config" | "db" | "logger">,
  onProgress?: (done: number, total: number) => void,
): Promise<{ indexed: number; backend: string }> {
  useUmbrellaFile(ctx.config.searchTermsFile);
  const backend = await createSearchBackend(ctx.config, ctx.db);
  const indexer = new SearchIndexer(ctx.db, backend, defaultRegions, ctx.logger);
  try {
    const { indexed } = await indexer.reindexAll(onProgress);
    return { indexed, backend: backend.name };
  } finally {
    await backend.close();
  }
}

// Every search backend this machine can run, with a database of its own:
// PostgreSQL full-text on PGlite always, on PostgreSQL when TEST_DATABASE_URL
// is set, and Meilisearch when MEILI_URL is set.
import { openDatabase, type Database, type Db } from "../../db/client.ts";
import { upsertRemoteMunicipality } from "../../db/municipalities.ts";
import { projects, type NewProjectRow } from "../../db/schema.ts";
import type { Project } from "../../core/project.ts";
import { newId } from "../../db/ids.ts";
import type { SearchBackend, SearchDocument } from "../../search/backend.ts";
import { MeilisearchBackend } from "../../search/meilisearch.ts";
import { PostgresSearchBackend } from "../../search/postgres.ts";
import { SearchService } from "../../search/service.ts";
import { recordTerms } from "../../search/suggestions.ts";
import { defaultRegions } from "../../core/regions.ts";
import { openTestDatabase, testDatabaseUrl } from "../helpers/databases.ts";

export interface BackendUnderTest {
  name: string;
  /** The database beside the backend (suggestions, municipality names). */
  database: Database;
  backend: SearchBackend;
  service: SearchService;
  /** Indexes documents and their words, as the indexer does. */
  index(documents: SearchDocument[]): Promise<void>;
  /** Stores the projects (and their municipalities) in the database, then indexes their documents. */
  load(projects: Project[], documents: SearchDocument[]): Promise<void>;
  close(): Promise<void>;
}

export interface BackendFactory {
  name: string;
  kind: "postgres" | "meilisearch";
  start(): Promise<BackendUnderTest>;
}

const meiliUrl = process.env.MEILI_URL;

/** Writes projects as remote projects of their municipalities, as federation would have. */
async function storeProjects(db: Db, list: Project[]): Promise<void> {
  const ids = new Map<string, string>();
  for (const p of list) {
    const m = p.municipality;
    if (ids.has(m.actorUrl)) continue;
    const row = await upsertRemoteMunicipality(db, {
      actorUrl: m.actorUrl,
      handle: m.handle,
      domain: new URL(m.actorUrl).host,
      name: m.name,
      kommunenummer: m.kommunenummer,
      fylke: m.fylke,
    });
    ids.set(m.actorUrl, row.id);
  }
  for (let i = 0; i < list.length; i += 200) {
    await db.insert(projects).values(
      list.slice(i, i + 200).map((p) => {
        const { municipality, ...rest } = p as Project & { theme?: string };
        delete (rest as { theme?: string }).theme;
        return { ...rest, local: false, municipalityId: ids.get(municipality.actorUrl)! } as NewProjectRow;
      }),
    );
  }
}

function wrap(name: string, database: Database, backend: SearchBackend, cleanup: () => Promise<void>): BackendUnderTest {
  return {
    name,
    database,
    backend,
    service: new SearchService(database.db, backend, defaultRegions),
    async index(documents) {
      await backend.init();
      await backend.upsert(documents);
      await recordTerms(database.db, documents);
    },
    async load(projects, documents) {
      await storeProjects(database.db, projects);
      await this.index(documents);
    },
    async close() {
      await backend.close();
      await cleanup();
      await database.close();
    },
  };
}

export const backendFactories: BackendFactory[] = [
  {
    name: "postgres-fts on PGlite",
    kind: "postgres",
    async start() {
      const database = await openDatabase({});
      return wrap(this.name, database, new PostgresSearchBackend(database.db), async () => {});
    },
  },
];

if (testDatabaseUrl) {
  backendFactories.push({
    name: "postgres-fts on PostgreSQL",
    kind: "postgres",
    async start() {
      const database = await openTestDatabase("postgres", { poolSize: 4 });
      return wrap(this.name, database, new PostgresSearchBackend(database.db), async () => {});
    },
  });
}

if (meiliUrl) {
  backendFactories.push({
    name: "meilisearch",
    kind: "meilisearch",
    async start() {
      const database = await openDatabase({});
      const backend = new MeilisearchBackend({ host: meiliUrl, apiKey: process.env.MEILI_MASTER_KEY, indexUid: `kominn-test-${newId(8)}` });
      return wrap(this.name, database, backend, () => backend.drop());
    },
  });
} else {
  console.log("Meilisearch skipped: MEILI_URL not set");
}

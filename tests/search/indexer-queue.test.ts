// When the search backend is down, saving still works, the change waits in
// the durable queue (search_queue), and is indexed once the backend is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import type { BackendQuery, SearchBackend, SearchDocument } from "../../search/backend.ts";
import { SearchIndexer } from "../../search/indexer.ts";
import { PostgresSearchBackend } from "../../search/postgres.ts";
import { loadConfig } from "../../core/config.ts";
import type { AppContext } from "../../server/context.ts";
import { defaultRegions } from "../../core/regions.ts";
import { buildContext } from "../../server/instance.ts";
import { startSubscribers } from "../../server/subscribers.ts";
import type { EventDispatcher } from "../../server/event-dispatcher.ts";
import { setupInstance } from "../../services/setup.ts";
import type { Municipality } from "../../db/schema.ts";
import { drivers, freshPostgresDatabase } from "../helpers/databases.ts";
import { defaultSetup } from "../helpers/instance.ts";

/** The real PostgreSQL backend behind a switch that makes every write fail, as a server that is down would. */
class SwitchableBackend implements SearchBackend {
  readonly name = "postgres" as const;
  down = false;
  readonly #inner: PostgresSearchBackend;
  constructor(inner: PostgresSearchBackend) {
    this.#inner = inner;
  }
  #check() {
    if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
  }
  init = () => this.#inner.init();
  close = () => this.#inner.close();
  search = (q: BackendQuery) => this.#inner.search(q);
  async upsert(docs: SearchDocument[]) {
    this.#check();
    await this.#inner.upsert(docs);
  }
  async remove(ids: string[]) {
    this.#check();
    await this.#inner.remove(ids);
  }
  async clear() {
    this.#check();
    await this.#inner.clear();
  }
}

describe.each(drivers)("search indexing while the backend is down, on %s", (driver) => {
  let ctx: AppContext;
  let database: Database;
  let drop: (() => Promise<void>) | undefined;
  let backend: SwitchableBackend;
  let indexer: SearchIndexer;
  let dispatcher: EventDispatcher | undefined;
  let municipality: Municipality;
  const actor = { accountId: null, name: "Test" };
  const found = async (word: string) =>
    (await backend.search({ terms: [[[word]]], phrases: [], filters: {}, offset: 0, limit: 10 })).hits.map((h) => h.title);

  beforeAll(async () => {
    const pg = driver === "postgres" ? await freshPostgresDatabase() : undefined;
    drop = pg?.drop;
    const config = loadConfig({ KOMINN_DATA_DIR: "memory://", KOMINN_LOG_LEVEL: "silent", ...(pg ? { DATABASE_URL: pg.url } : {}) });
    ({ ctx, database } = await buildContext(config));
    ({ municipality } = await setupInstance(ctx.db, defaultSetup, { origin: config.origin, role: config.role }));
    backend = new SwitchableBackend(new PostgresSearchBackend(ctx.db));
    indexer = new SearchIndexer(ctx.db, backend, defaultRegions, ctx.logger, { retryEveryMs: 100 });
    dispatcher = startSubscribers(ctx.events, { search: indexer }, { logger: ctx.logger });
    indexer.start();
  });
  afterAll(async () => {
    await ctx?.events.settled();
    await dispatcher?.stop();
    await indexer?.stop();
    await database?.close();
    // pg's pool.end() resolves before its sockets are gone; dropping at once would kill them mid-close.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await drop?.();
  });

  it("keeps the change and indexes it when the backend is back", async () => {
    backend.down = true;
    const project = await ctx.projects.create(
      municipality,
      { title: "Hjertestartere i idrettshaller", summary: "Hjertestartere og kurs", phase: "drift", published: true },
      actor,
    );
    expect(project.published).toBe(true);
    await ctx.events.settled();
    expect(await indexer.pending()).toBe(1);
    expect(await found("hjertestartere")).toEqual([]);

    backend.down = false;
    await expect.poll(() => indexer.pending(), { timeout: 10_000, interval: 100 }).toBe(0);
    expect(await found("hjertestartere")).toEqual(["Hjertestartere i idrettshaller"]);
  });

  it("does not lose a deletion made while the backend was down", async () => {
    const project = await ctx.projects.create(
      municipality,
      { title: "Sykkelparkering ved skolene", summary: "Tak over syklene", phase: "test", published: true },
      actor,
    );
    await ctx.events.settled();
    expect(await found("sykkelparkering")).toEqual(["Sykkelparkering ved skolene"]);
    backend.down = true;
    await ctx.projects.delete(project);
    await ctx.events.settled();
    expect(await indexer.pending()).toBe(1);
    backend.down = false;
    await expect.poll(() => indexer.pending(), { timeout: 10_000, interval: 100 }).toBe(0);
    expect(await found("sykkelparkering")).toEqual([]);
  });

  it("indexes on start what was saved while no subscriber ran (the journal is replayed from the search position)", async () => {
    await dispatcher!.stop();
    dispatcher = undefined;
    await ctx.projects.create(
      municipality,
      { title: "Ladestasjoner for elsparkesykler", summary: "Lading ved stasjonene", phase: "test", published: true },
      actor,
    );
    await ctx.events.settled();
    expect(await indexer.pending()).toBe(0);
    expect(await found("ladestasjoner")).toEqual([]);

    dispatcher = startSubscribers(ctx.events, { search: indexer }, { logger: ctx.logger });
    await ctx.events.settled();
    expect(await found("ladestasjoner")).toEqual(["Ladestasjoner for elsparkesykler"]);
    expect(await indexer.pending()).toBe(0);
  });

  it("rebuilds the whole index with reindexAll and reports progress", async () => {
    await backend.clear();
    expect(await found("hjertestartere")).toEqual([]);
    const progress: [number, number][] = [];
    const { indexed } = await indexer.reindexAll((done, total) => progress.push([done, total]));
    expect(indexed).toBe(2);
    expect(progress.at(-1)).toEqual([2, 2]);
    expect(await found("hjertestartere")).toEqual(["Hjertestartere i idrettshaller"]);
  });
});

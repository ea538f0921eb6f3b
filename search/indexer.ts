// Keeps the search index in step with the database. Every change becomes a
// row in `search_queue` first (durable, written with the journal position of
// the event that caused it), then the backend is updated; if the backend is
// down, the row stays and a timer retries with back-off, so nothing is lost
// and the person who saved never sees an error.
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { getProjectByUrl, toProject } from "../db/projects.ts";
import { municipalities, projects } from "../db/schema.ts";
import { searchQueue, searchTerms } from "../db/schema-search.ts";
import type { Project } from "../core/project.ts";
import type { Region } from "../core/regions.ts";
import { projectOfEvent, type JournalEvent } from "../core/events.ts";
import type { EventHandler } from "../db/journal.ts";
import type { Logger } from "../core/logger.ts";
import type { SearchBackend, SearchDocument } from "./backend.ts";
import { searchDocument } from "./document.ts";
import { imitatingMunicipalityCountsById } from "../db/imitations.ts";
import { recordTerms } from "./suggestions.ts";

export interface IndexerOptions {
  /** How often queued work is retried (ms). */
  retryEveryMs?: number;
  batchSize?: number;
}

const maxBackoffMs = 10 * 60 * 1000;

export class SearchIndexer {
  readonly #db: Db;
  readonly #backend: SearchBackend;
  readonly #regions: readonly Region[];
  readonly #logger: Logger;
  readonly #retryEveryMs: number;
  readonly #batchSize: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(db: Db, backend: SearchBackend, regions: readonly Region[], logger: Logger, options: IndexerOptions = {}) {
    this.#db = db;
    this.#backend = backend;
    this.#regions = regions;
    this.#logger = logger;
    this.#retryEveryMs = options.retryEveryMs ?? 15_000;
    this.#batchSize = options.batchSize ?? 200;
  }

  /**
   * The journal's search subscriber (server/subscribers.ts): queues every
   * change to a public project, local or remote, in the transaction that
   * acknowledges the event, then works through the queue. The subscriber runs
   * after imitation bookkeeping, so imitation counts are current.
   */
  handler(): EventHandler {
    // A changed imitation also changes its original's imitation count, so both are queued.
    const ids = async (project: Project) => {
      const original = project.imitationOf ? await getProjectByUrl(this.#db, project.imitationOf) : undefined;
      return original ? [project.id, original.id] : [project.id];
    };
    const affected = async (event: JournalEvent): Promise<string[]> => {
      const subject = projectOfEvent(event);
      if (subject) return subject.project ? ids(subject.project) : [subject.id];
      // Documents carry the municipality's name, county and region.
      if (event.name !== "profile.updated") return [];
      const rows = await this.#db
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.municipalityId, event.payload.municipalityId), eq(projects.published, true)));
      return rows.map((r) => r.id);
    };
    return {
      handle: async (event) => {
        const list = await affected(event);
        if (list.length > 0) return (tx) => this.#queue(tx, list);
      },
      afterBatch: () => this.drain(),
    };
  }

  start(): void {
    this.#timer = setInterval(() => void this.drain(), this.#retryEveryMs);
    this.#timer.unref();
    void this.drain();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** Records the work durably, then tries to do it straight away. */
  async enqueue(projectIds: string[]): Promise<void> {
    await this.#queue(this.#db, projectIds);
    await this.drain();
  }

  /** Adds work to the queue through `db` (a transaction of the caller's). */
  async #queue(db: Db, projectIds: string[]): Promise<void> {
    if (projectIds.length === 0) return;
    const now = new Date();
    for (let i = 0; i < projectIds.length; i += 1000) {
      await db
        .insert(searchQueue)
        .values(projectIds.slice(i, i + 1000).map((projectId) => ({ projectId, queuedAt: now, nextAttemptAt: now })))
        .onConflictDoUpdate({
          target: searchQueue.projectId,
          set: { queuedAt: now, nextAttemptAt: now, attempts: 0, lastError: null },
        });
    }
  }

  /** How many changes wait for the backend. */
  async pending(): Promise<number> {
    const [row] = await this.#db.select({ n: sql<number>`count(*)::int` }).from(searchQueue);
    return row.n;
  }

  /** Works through the queue until nothing is due; one run at a time. */
  drain(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          while (!this.#stopped && (await this.#drainBatch())) {
            // keep going while full batches succeed
          }
        } while (this.#again && !this.#stopped);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** True when a full batch was indexed and more may be waiting. */
  async #drainBatch(): Promise<boolean> {
    const due = await this.#db
      .select()
      .from(searchQueue)
      // The database's clock: rows it stamped with now() are due at once.
      .where(lte(searchQueue.nextAttemptAt, sql`now()`))
      .orderBy(asc(searchQueue.queuedAt))
      .limit(this.#batchSize);
    if (due.length === 0) return false;
    try {
      const found = await loadProjects(this.#db, due.map((d) => d.projectId));
      const visible = found.filter((p) => p.published);
      const gone = due.map((d) => d.projectId).filter((id) => !visible.some((p) => p.id === id));
      const docs = await this.#documents(visible);
      await this.#upsert(docs);
      await this.#backend.remove(gone);
      await recordTerms(this.#db, docs);
      // A change queued meanwhile has a newer queuedAt and stays for the next round.
      const done = due.map((d) => ({ id: d.projectId, at: d.queuedAt.toISOString() }));
      await this.#db.execute(sql`
        delete from search_queue q using jsonb_to_recordset(${JSON.stringify(done)}::jsonb) as x(id text, at timestamptz)
        where q.project_id = x.id and q.queued_at <= x.at`);
      return due.length === this.#batchSize;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn(`søkeindeksen er ikke oppdatert (${due.length} endringer venter): ${message}`);
      for (const d of due) {
        const backoff = Math.min(maxBackoffMs, this.#retryEveryMs * 2 ** d.attempts);
        await this.#db
          .update(searchQueue)
          .set({ attempts: d.attempts + 1, lastError: message.slice(0, 500), nextAttemptAt: new Date(Date.now() + backoff) })
          .where(eq(searchQueue.projectId, d.projectId));
      }
      return false;
    }
  }

  /** Analyses one project at a time, giving the event loop a turn between them. */
  async #documents(list: Project[]): Promise<SearchDocument[]> {
    const counts = await imitatingMunicipalityCountsById(this.#db, list);
    const docs: SearchDocument[] = [];
    for (const p of list) {
      if (docs.length > 0) await turn();
      docs.push(searchDocument(p, this.#regions, counts.get(p.id) ?? 0));
    }
    return docs;
  }

  /**
   * Sends documents to the backend in statements of bounded text: PGlite runs
   * in this thread, so one statement over 200 long texts would hold every
   * other request for seconds.
   */
  async #upsert(docs: SearchDocument[]): Promise<void> {
    for (const chunk of byTextSize(docs, maxTextPerStatement)) {
      await this.#backend.upsert(chunk);
      await turn();
    }
  }

  /**
   * Rebuilds the whole index from the database: empties it, then indexes every
   * published project in batches. Queued work from before the start is done by it.
   */
  async reindexAll(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number }> {
    const started = new Date();
    await this.#backend.init();
    await this.#backend.clear();
    await this.#db.delete(searchTerms);
    const [{ total }] = await this.#db
      .select({ total: sql<number>`count(*)::int` })
      .from(projects)
      .where(eq(projects.published, true));
    onProgress?.(0, total);
    let done = 0;
    let after = "";
    const batch = 1000;
    for (;;) {
      const rows = await this.#db
        .select({ project: projects, municipality: municipalities })
        .from(projects)
        .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
        .where(and(eq(projects.published, true), gt(projects.id, after)))
        .orderBy(asc(projects.id))
        .limit(batch);
      if (rows.length === 0) break;
      const docs = await this.#documents(rows.map((r) => toProject(r.project, r.municipality)));
      await this.#upsert(docs);
      await recordTerms(this.#db, docs);
      done += rows.length;
      after = rows[rows.length - 1].project.id;
      onProgress?.(Math.min(done, total), total);
    }
    await this.#backend.afterBulkLoad?.();
    await this.#db.delete(searchQueue).where(lte(searchQueue.queuedAt, started));
    return { indexed: done };
  }
}

/** Characters of search text per upsert statement (a few ordinary projects, or one very long one). */
const maxTextPerStatement = 60_000;

/** Lets other work run before going on. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Consecutive runs of documents whose search text together stays under `max` characters (at least one each). */
function byTextSize(docs: SearchDocument[], max: number): SearchDocument[][] {
  const chunks: SearchDocument[][] = [];
  let size = Infinity;
  for (const d of docs) {
    const length = d.searchText.title.length + d.searchText.main.length + d.searchText.rest.length;
    if (size + length > max) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(d);
    size += length;
  }
  return chunks;
}

async function loadProjects(db: Db, ids: string[]): Promise<Project[]> {
  const rows = await db
    .select({ project: projects, municipality: municipalities })
    .from(projects)
    .innerJoin(municipalities, eq(projects.municipalityId, municipalities.id))
    .where(inArray(projects.id, ids));
  return rows.map((r) => toProject(r.project, r.municipality));
}

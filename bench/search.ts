// Search benchmark: N generated projects (default 100,000; BENCH_QUICK=1:
// 5,000) over 357 municipalities, with typo tolerance, word families, umbrella
// terms and synonyms on: full reindex time, latency p50/p95 of 200 mixed
// queries (single words, compounds, phrases, several words, typos, families,
// umbrella terms, with and without facets), "Lignende prosjekter" p95, and the
// lexicon's load time and memory, on PGlite and, when a URL is given,
// PostgreSQL. Every figure is measured interleaved with its floor (bare
// PostgreSQL full text on the same data, see floorQuery) in the same run, as
// the machine is shared, and printed with the ratio.
//   node bench/search.ts [projects]          (BENCH_DATABASE_URL / TEST_DATABASE_URL for PostgreSQL)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../db/client.ts";
import { lexicon } from "../search/lexicon.ts";
import { hasThesaurus, thesaurusSize } from "../search/thesaurus.ts";
import { SearchIndexer } from "../search/indexer.ts";
import { PostgresSearchBackend } from "../search/postgres.ts";
import { SearchService, type SearchInput } from "../search/service.ts";
import { createLogger } from "../core/logger.ts";
import { defaultRegions } from "../core/regions.ts";
import { openTestDatabase, type Driver } from "../tests/helpers/databases.ts";
import { seedNetwork } from "./seed.ts";
import { percentile } from "./load.ts";
import { median, printTable, progress, type Row } from "./measure.ts";

export interface SearchBenchOptions {
  projects: number;
  municipalities?: number;
  queries?: number;
  postgresUrl?: string;
}

const words = ["fallsensor", "eldre", "svømming", "overvann", "chatbot", "bolig", "turister", "energi", "solceller", "gründere", "ensomhet", "byggesøknad", "reiseliv", "integrering", "avfall"];
const compounds = ["sensor", "undervisning", "tilsyn", "dispenser", "kontor", "drift", "kurs", "målere", "tak", "senter"];
const phrases = ['"digitalt tilsyn"', '"én dør inn"', '"felles it-drift"', '"grønne tak"', '"living lab"'];
const multi = ["eldre som bor alene", "byggesøknad saksbehandling", "unge faller ut av skolen", "overvann i sentrum", "språk og arbeidspraksis", "svømmeundervisnig"];
const facetSets: SearchInput["filters"][] = [
  {},
  { phase: ["drift"] },
  { serviceArea: ["helse-omsorg"] },
  { fylke: ["ostfold"] },
  { region: ["nedre-glomma"] },
  { phase: ["drift", "skalering"], seekingPartners: ["true"] },
  { method: ["tjenestedesign"], innovationType: ["prosess"] },
];

/** 200 (or n) queries, mixing kinds of text with and without facets, in a fixed order. */
export function benchQueries(n = 200): SearchInput[] {
  const texts = [...words, ...compounds, ...phrases, ...multi, ...analysed, ""];
  const out: SearchInput[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      q: texts[(i * 7) % texts.length],
      scope: "all",
      filters: facetSets[i % facetSets.length],
      page: 1 + (i % 13 === 0 ? 2 : 0),
      perPage: 20,
    });
  }
  return out;
}

/** Queries for the analysis this bench measures: typos, word families, umbrella terms, synonyms. */
const analysed = ["fallsensr", "svømming", "digitalisering", "velferdsteknologi", "klimatilpasning", "rekruttering", "søppel", "grendehusutlie"];

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The floor of a query: bare PostgreSQL full text on the same table and index,
 * the typed words as `plainto_tsquery` (any word, `|`), ranked by ts_rank, one
 * page, no analysis, no facets. What any search on this database costs at least.
 */
async function floorQuery(db: Database["db"], q: string, limit: number): Promise<void> {
  const words = q.replace(/["']/g, " ").trim();
  if (!words) {
    await db.execute(sql`select id from search_documents order by practice_score desc, updated_at desc, id limit ${limit}`);
    return;
  }
  await db.execute(sql`select id from search_documents, plainto_tsquery('norwegian', ${words}) as query
    where tsv @@ query order by ts_rank(tsv, query) desc limit ${limit}`);
}

interface Timed {
  figure: number[];
  floor: number[];
}

/** Runs each case, then its floor, one after the other (the machine is shared: both see the same load). */
async function interleaved<T>(cases: T[], run: (c: T) => Promise<unknown>, floor: (c: T) => Promise<unknown>): Promise<Timed> {
  const out: Timed = { figure: [], floor: [] };
  for (const c of cases) {
    let t0 = performance.now();
    await run(c);
    out.figure.push(performance.now() - t0);
    t0 = performance.now();
    await floor(c);
    out.floor.push(performance.now() - t0);
  }
  out.figure.sort((a, b) => a - b);
  out.floor.sort((a, b) => a - b);
  return out;
}

function row(database: string, figure: string, kominn: number, floor: number, unit: string, target: string): Row {
  return {
    database,
    figure,
    KOMINN: `${round1(kominn)} ${unit}`,
    "floor (same run)": `${round1(floor)} ${unit}`,
    ratio: floor > 0 ? `${(kominn / floor).toFixed(1)}×` : null,
    target,
  };
}

async function measureDriver(label: string, database: Database, options: SearchBenchOptions): Promise<Row[]> {
  const db = database.db;
  await seedNetwork(db, { projects: options.projects, municipalities: options.municipalities ?? 357 });
  const logger = createLogger("warn");
  const backend = new PostgresSearchBackend(db);
  const indexer = new SearchIndexer(db, backend, defaultRegions, logger);

  // Reindex, then its floor: the raw texts through to_tsvector into a table of the same shape, no analysis.
  let started = performance.now();
  await indexer.reindexAll((done, total) => progress("  indekserer", done, total));
  const indexSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await db.execute(sql`create temporary table floor_index as select id,
    setweight(to_tsvector('norwegian', title), 'A') || setweight(to_tsvector('norwegian', coalesce(summary, '') || ' ' || coalesce(floke, '') || ' ' || coalesce(behov, '')), 'B') ||
    setweight(to_tsvector('norwegian', coalesce(description, '') || ' ' || coalesce(lessons, '')), 'C') as tsv
    from projects where published`);
  await db.execute(sql`create index on floor_index using gin (tsv)`);
  const floorSeconds = (performance.now() - started) / 1000;
  await db.execute(sql`drop table floor_index`);

  const service = new SearchService(db, backend, defaultRegions);
  const queries = benchQueries(options.queries ?? 200);
  for (const q of queries.slice(0, 10)) await service.search(q); // warm-up
  const search = await interleaved(queries, (q) => service.search(q), (q) => floorQuery(db, q.q, q.perPage));

  // Lignende prosjekter for projects across the index; floor: their title words, any of them, ranked.
  const sample = rowsOf<{ id: string; title: string; summary: string; floke: string | null; behov: string | null }>(
    await db.execute(sql`select id, title, summary, floke, behov from projects where published order by id limit ${Math.min(100, options.queries ?? 200)}`),
  ).map((p) => ({ ...p, floke: p.floke ?? "", behov: p.behov ?? "" }));
  for (const p of sample.slice(0, 5)) await service.similar(p);
  const similar = await interleaved(sample, (p) => service.similar(p), (p) => floorQuery(db, p.title, 5));

  const p95 = (xs: number[]) => percentile(xs, 95);
  const goal = label === "PGlite" ? "p95 ≤ 150 ms" : "p95 ≤ 50 ms";
  return [
    row(label, `reindex ${options.projects.toLocaleString("nb-NO")} projects`, indexSeconds, floorSeconds, "s", label === "PostgreSQL" ? "≤ 120 s" : ""),
    row(label, `search p50 (${queries.length} queries)`, median(search.figure), median(search.floor), "ms", ""),
    row(label, `search p95 (${queries.length} queries)`, p95(search.figure), p95(search.floor), "ms", goal),
    row(label, `Lignende prosjekter p95 (${sample.length})`, p95(similar.figure), p95(similar.floor), "ms", "p95 ≤ 100 ms"),
  ];
}

/** Lexicon and thesaurus: load time and heap (this process loads them once); floor: reading the same files. */
function lexiconRows(): Row[] {
  let t0 = performance.now();
  for (const name of ["dictionary-nb", "dictionary-nn"]) {
    const folder = dirname(createRequire(import.meta.url).resolve(name));
    readFileSync(join(folder, "index.aff"), "utf8");
    readFileSync(join(folder, "index.dic"), "utf8").split("\n");
  }
  const readMs = performance.now() - t0;
  const stats = lexicon().stats;
  t0 = performance.now();
  const heapBefore = process.memoryUsage().heapUsed;
  const synonyms = thesaurusSize();
  const thesaurusMs = performance.now() - t0;
  const thesaurusHeap = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
  return [
    {
      database: "–",
      figure: `lexicon load (${stats.stems.nb.toLocaleString("nb-NO")} nb + ${stats.stems.nn.toLocaleString("nb-NO")} nn stems)`,
      KOMINN: `${stats.loadMs} ms, ${Math.round(stats.retainedBytes / 1e6)} MB kept (${Math.round(stats.heapBytes / 1e6)} MB heap growth while loading)`,
      "floor (same run)": `${round1(readMs)} ms (reading and splitting the files)`,
      ratio: `${(stats.loadMs / readMs).toFixed(1)}×`,
      target: "",
    },
    {
      database: "–",
      figure: `thesaurus load (${synonyms.toLocaleString("nb-NO")} words with synonyms${hasThesaurus() ? "" : ", mythes-no missing"})`,
      KOMINN: `${round1(thesaurusMs)} ms, ${Math.round(thesaurusHeap / 1e6)} MB heap`,
      "floor (same run)": null,
      ratio: null,
      target: "",
    },
  ];
}

/** Runs the benchmark on PGlite and (with a URL) PostgreSQL. */
export async function benchSearch(options: SearchBenchOptions): Promise<Row[]> {
  const rows: Row[] = lexiconRows();
  // BENCH_SEARCH_DRIVERS=postgres measures PostgreSQL only (a second run of the heavy 100k bench).
  const only = process.env.BENCH_SEARCH_DRIVERS?.split(",") as Driver[] | undefined;
  const drivers: Driver[] = (options.postgresUrl ? (["pglite", "postgres"] as Driver[]) : (["pglite"] as Driver[])).filter(
    (d) => !only || only.includes(d),
  );
  for (const driver of drivers) {
    const database = await openTestDatabase(driver, { poolSize: 4 });
    try {
      rows.push(...(await measureDriver(driver === "pglite" ? "PGlite" : "PostgreSQL", database, options)));
    } finally {
      await database.close();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.env.BENCH_QUICK === "1";
  const count = Number(process.argv[2] ?? process.env.BENCH_SEARCH_PROJECTS ?? (quick ? 5_000 : 100_000));
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const rows = await benchSearch({ projects: count, postgresUrl, queries: quick ? 100 : 200 });
  printTable(
    `Søk: ${count.toLocaleString("nb-NO")} prosjekter i 357 kommuner, blandede søk med skrivefeil, ordfamilier, paraplytermer og synonymer; hvert mål fulgt av sitt gulv`,
    rows,
  );
}

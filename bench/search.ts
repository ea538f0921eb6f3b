// Search benchmark: N generated projects (default 100,000) over 357
// municipalities; full reindex time and latency p50/p95 of 200 mixed queries
// (single words, compounds, phrases, several words, typos, with and without
// facets) on PGlite and, when a URL is given, PostgreSQL.
//   node bench/search.ts [projects]          (BENCH_DATABASE_URL / TEST_DATABASE_URL for PostgreSQL)
import { performance } from "node:perf_hooks";
import type { Database } from "../db/client.ts";
import { SearchIndexer } from "../search/indexer.ts";
import { PostgresSearchBackend } from "../search/postgres.ts";
import { SearchService, type SearchInput } from "../search/service.ts";
import { createLogger } from "../core/logger.ts";
import { defaultRegions } from "../core/regions.ts";
import { openTestDatabase, type Driver } from "../tests/helpers/databases.ts";
import { seedNetwork } from "./seed.ts";
import { percentile } from "./load.ts";
import { printTable, progress, type Row } from "./measure.ts";

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
  const texts = [...words, ...compounds, ...phrases, ...multi, ""];
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

async function measureDriver(label: string, database: Database, options: SearchBenchOptions): Promise<Row> {
  await seedNetwork(database.db, { projects: options.projects, municipalities: options.municipalities ?? 357 });
  const logger = createLogger("warn");
  const backend = new PostgresSearchBackend(database.db);
  const indexer = new SearchIndexer(database.db, backend, defaultRegions, logger);
  const started = performance.now();
  await indexer.reindexAll((done, total) => progress("  indekserer", done, total));
  const indexSeconds = (performance.now() - started) / 1000;

  const service = new SearchService(database.db, backend, defaultRegions);
  const queries = benchQueries(options.queries ?? 200);
  for (const q of queries.slice(0, 10)) await service.search(q); // warm-up
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t0 = performance.now();
    const answer = await service.search(q);
    times.push(performance.now() - t0);
    hits += answer.total;
  }
  times.sort((a, b) => a - b);
  return {
    database: label,
    projects: options.projects,
    "reindex (s)": Math.round(indexSeconds * 10) / 10,
    "docs/s": Math.round(options.projects / indexSeconds),
    queries: queries.length,
    "p50 (ms)": Math.round(percentile(times, 50) * 10) / 10,
    "p95 (ms)": Math.round(percentile(times, 95) * 10) / 10,
    "max (ms)": Math.round(times[times.length - 1] * 10) / 10,
    "avg hits": Math.round(hits / queries.length),
  };
}

/** Runs the benchmark on PGlite and (with a URL) PostgreSQL; returns one row per database. */
export async function benchSearch(options: SearchBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const drivers: Driver[] = options.postgresUrl ? ["pglite", "postgres"] : ["pglite"];
  for (const driver of drivers) {
    const database = await openTestDatabase(driver, { poolSize: 4 });
    try {
      rows.push(await measureDriver(driver === "pglite" ? "PGlite" : "PostgreSQL", database, options));
    } finally {
      await database.close();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? process.env.BENCH_SEARCH_PROJECTS ?? 100_000);
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const rows = await benchSearch({ projects: count, postgresUrl });
  printTable(`Søk: ${count.toLocaleString("nb-NO")} prosjekter i 357 kommuner, 200 blandede søk (mål: p95 ≤ 150 ms PGlite, ≤ 50 ms PostgreSQL; reindeksering ≤ 2 min)`, rows);
}

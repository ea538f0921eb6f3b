// `npm run bench`: runs every benchmark and prints one table per figure.
// BENCH_QUICK=1 shrinks the data and durations for a smoke run.
import { assertNodeVersion } from "../core/config.ts";
import { printTable } from "./measure.ts";

assertNodeVersion();
const quick = process.env.BENCH_QUICK === "1";
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!postgresUrl) console.error("BENCH_DATABASE_URL/TEST_DATABASE_URL er ikke satt: måler bare PGlite.");
const only = process.argv[2];

const { benchPages } = await import("./pages.ts");

if (!only || only === "pages") {
  const { load, weights } = await benchPages({
    projects: quick ? 1_000 : 10_000,
    seconds: quick ? 2 : 8,
    connections: 20,
    postgresUrl,
  });
  printTable("Sider og API over prosjektene (20 samtidige forbindelser)", load);
  printTable("Sidevekt", weights);
}

if (!only || only === "overview") {
  const { benchOverview } = await import("./overview.ts");
  const rows = await benchOverview({
    // BENCH_OVERVIEW_PROJECTS=10000 for the smaller point of the cost curve.
    projects: Number(process.env.BENCH_OVERVIEW_PROJECTS) || (quick ? 5_000 : 100_000),
    municipalities: 357,
    imitations: quick ? 250 : 5_000,
    seconds: quick ? 2 : 8,
    postgresUrl,
  });
  printTable("Nasjonal oversikt (samleinstans, 4 samtidige forbindelser)", rows);
}

if (!only || only === "search") {
  const { benchSearch } = await import("./search.ts");
  const rows = await benchSearch({ projects: quick ? 5_000 : 100_000, queries: quick ? 50 : 200, postgresUrl });
  printTable("Søk: prosjekter i 357 kommuner, blandede søk (p50/p95 per søk, reindeksering)", rows);
}

if (!only || only === "federation") {
  const { benchFederation } = await import("./federation.ts");
  const { backendsFor } = await import("./instance.ts");
  const rows = [];
  for (const driver of backendsFor(postgresUrl)) {
    const measured = await benchFederation({ driver, ...(quick ? { followers: 60, ingest: 100, backfill: 50 } : {}) });
    rows.push(...measured.map((row) => ({ backend: driver, ...row })));
  }
  printTable("Føderasjon: fan-out, innboks og backfill på loopback", rows);
}

if (!only || only === "journal") {
  const { benchJournal } = await import("./journal.ts");
  const rows = await benchJournal({ changes: quick ? 100 : 500, rounds: 3, postgresUrl });
  printTable("Hendelsesjournalen: hva en hendelse koster utover endringen", rows);
}

if (!only || only === "imitation") {
  const { benchImitation } = await import("./imitation.ts");
  const rows = await benchImitation({ seconds: quick ? 2 : 6, notifications: quick ? 3 : 10 });
  printTable("Imitasjon: prosjektsider med stor spredning og dypt slektstre (PGlite, 10 forbindelser), varsling over loopback", rows);
}

if (!only || only === "backfill-ingest") {
  const { benchBackfillIngest } = await import("./backfill-ingest.ts");
  const rows = await benchBackfillIngest({ municipalities: quick ? 20 : 357, perMunicipality: 50, postgresUrl });
  printTable("Samleinstans: lagring av en full backfill (kommuner × 50 prosjekter, uten nettverk)", rows);
}

if (!only || only === "notifications") {
  const { benchNotifications } = await import("./notifications.ts");
  const rows = await benchNotifications({
    staff: quick ? 500 : 2_000,
    follows: quick ? 2_000 : 10_000,
    savedSearches: quick ? 200 : 1_000,
    burst: quick ? 100 : 500,
    postgresUrl,
  });
  printTable("Varsler: følginger, lagrede søk, en bølge av nye prosjekter fra andre kommuner, daglige sammendrag", rows);
}

if (!only || only === "memory") {
  const { benchMemory } = await import("./memory.ts");
  const rows = await benchMemory({ repeats: quick ? 1 : 3, idleMs: quick ? 1_000 : 3_000 });
  printTable("Minne og oppstart: en instans på PGlite og kommandolinjen (barneprosesser, fersk datakatalog)", rows);
}

// The journal's own cost (issue 12): what recording a change as a domain
// event and handing it to every subscriber costs beyond the change itself.
// Each round writes N changes, one transaction each, twice, interleaved:
//   floor    a plain row per change, nothing else;
//   journal  the same row plus its event in the same transaction, dispatched
//            to the subscribers server/subscribers.ts lists (their names,
//            events and order), each acknowledging it and doing nothing more;
//            timed until every subscriber has acknowledged every event.
// The difference per change is the journal's share of any write, whatever the
// subscribers then do with it.
import { sql } from "drizzle-orm";
import type { Project } from "../core/project.ts";
import { createLogger } from "../core/logger.ts";
import { EventJournal, appendEvent, journalHead } from "../db/journal.ts";
import { EventDispatcher } from "../server/event-dispatcher.ts";
import { subscriberTable } from "../server/subscribers.ts";
import { openTestDatabase } from "../tests/helpers/databases.ts";
import { backendsFor, type Backend } from "./instance.ts";
import { median, type Row } from "./measure.ts";

export interface JournalBenchOptions {
  changes: number;
  rounds: number;
  postgresUrl?: string;
}


/** A project as a peer's Create brings it, about the size of a real one. */
function aProject(i: number): Project {
  const text = "Sensorer i hjemmetjenesten varsler nattevakten når en bruker faller. ".repeat(20);
  return { id: `bench${i}`, url: `https://peer.example/prosjekter/${i}`, title: `Prosjekt ${i}`, summary: text, published: true } as unknown as Project;
}

async function one(backend: Backend, o: JournalBenchOptions): Promise<Row> {
  const database = await openTestDatabase(backend);
  const { db } = database;
  await db.execute(sql`create table if not exists bench_changes (id bigserial primary key, payload jsonb not null)`);
  const journal = new EventJournal(db);
  const dispatcher = new EventDispatcher(
    journal,
    subscriberTable.map((s) => ({ ...s, handler: { handle: async () => undefined } })),
    { logger: createLogger("error") },
  );
  dispatcher.start();
  const floors: number[] = [];
  const journals: number[] = [];
  try {
    for (let r = 0; r < o.rounds; r++) {
      let t = performance.now();
      for (let i = 0; i < o.changes; i++) {
        const payload = aProject(i);
        await db.transaction(async (tx) => {
          await tx.execute(sql`insert into bench_changes (payload) values (${JSON.stringify(payload)}::jsonb)`);
        });
      }
      floors.push((performance.now() - t) / o.changes);

      t = performance.now();
      for (let i = 0; i < o.changes; i++) {
        const project = aProject(i);
        await journal.transaction(async (tx) => {
          await tx.execute(sql`insert into bench_changes (payload) values (${JSON.stringify(project)}::jsonb)`);
          await appendEvent(tx, "remote.project.upserted", { project });
        });
      }
      await journal.settled();
      journals.push((performance.now() - t) / o.changes);
    }
    const head = await journalHead(db);
    const floor = median(floors);
    const kominn = median(journals);
    return {
      backend,
      figure: `${o.changes} changes, one transaction each, ${subscriberTable.length} subscribers (ms per change)`,
      KOMINN: kominn,
      "floor same run": floor,
      ratio: Math.round((kominn / floor) * 10) / 10,
      note: `journal's own share ${(kominn - floor).toFixed(2)} ms per change; floor: the same row without its event; ${head} events; median of ${o.rounds} interleaved rounds`,
    };
  } finally {
    await dispatcher.stop();
    await database.close();
  }
}

export async function benchJournal(options: JournalBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of backendsFor(options.postgresUrl)) rows.push(await one(backend, options));
  return rows;
}

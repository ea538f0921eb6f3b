// Issue 7's figures: the national overview page and API over 100,000
// projects from 357 municipalities with 5,000 imitation links.
import { sql } from "drizzle-orm";
import { rowsOf } from "../db/client.ts";
import { overviewStats } from "../db/overview.ts";
import { rebuildOverviewCounts, refreshProjectCounts } from "../db/overview-counters.ts";
import { setupInstance } from "../services/setup.ts";
import { backendsFor, startBenchInstance } from "./instance.ts";
import { measure, median, type Row } from "./measure.ts";
import { seedNetwork } from "./seed.ts";

export interface OverviewBenchOptions {
  projects: number;
  municipalities: number;
  imitations: number;
  seconds: number;
  postgresUrl?: string;
}

export async function benchOverview(options: OverviewBenchOptions): Promise<Row[]> {
  const out: Row[] = [];
  const backends = backendsFor(options.postgresUrl);
  for (const backend of backends) {
    console.error(`\n${backend}: oversikt over ${options.projects} prosjekter`);
    const instance = await startBenchInstance(backend, { KOMINN_ROLE: "aggregator" });
    const config = instance.ctx.config;
    try {
      await setupInstance(
        instance.ctx.db,
        { name: "KS", handle: "ks", adminEmail: "admin@ks.test", adminPassword: "et-langt-passord" },
        { origin: config.origin, role: "aggregator" },
      );
      await seedNetwork(instance.ctx.db, options);
      await instance.ctx.db.execute(sql`vacuum analyze`);
      await rebuildOverviewCounts(instance.ctx.db);
      const db = instance.ctx.db;
      const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from projects where published order by random() limit 9`)).map((r) => r.id);
      const time = async (fn: () => Promise<unknown>) => {
        const t0 = performance.now();
        await fn();
        return performance.now() - t0;
      };
      // Interleaved (recount, subscriber, counters, floor) x 5, medians, so the ratios share the machine's load.
      // "After a change": one project's phase changes; either everything is recounted (before, and now for
      // filters the counters cannot answer), or the subscriber's effect moves that project's counters and
      // the figures are summed from them.
      const recount: number[] = [];
      const counters: number[] = [];
      const subscriber: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < 5; i++) {
        const id = ids[i];
        recount.push(await time(async () => {
          await db.execute(sql`update projects set phase = ${i % 2 ? "test" : "drift"} where id = ${id}`);
          await overviewStats(db, {}, 10, true);
        }));
        // The subscriber's effect for the event of the change (in the background, not in the request)…
        subscriber.push(await time(() => db.transaction(async (tx) => {
          await tx.execute(sql`update projects set phase = ${i % 2 ? "drift" : "test"} where id = ${id}`);
          await refreshProjectCounts(tx, id);
        })));
        // …and the first request's figures after it.
        counters.push(await time(() => overviewStats(db, {})));
        floor.push(await time(() => db.execute(sql`select count(*) from projects p join municipalities m on m.id = p.municipality_id where p.published`)));
      }
      const f = median(floor);
      for (const [side, xs] of [
        ["etter endring, full opptelling (før; nå bare for andre filtre)", recount],
        ["etter endring, fra tellerne (nå)", counters],
        ["abonnentens arbeid per endring (i bakgrunnen)", subscriber],
      ] as const) {
        out.push({ backend, side, prosjekter: options.projects, "ms": median(xs), "gulv ms": f, forhold: Math.round((median(xs) / f) * 10) / 10, "req/s": null, "p50 ms": null, "p95 ms": null, feil: 0 });
      }
      for (const [name, path] of [
        ["API /overview", "/api/v1/overview"],
        ["API /overview?fylke", "/api/v1/overview?fylke=ostfold&serviceArea=helse-omsorg"],
        ["oversiktsside", "/oversikt"],
      ] as const) {
        console.error(`  måler ${name}`);
        const r = await measure(`${instance.url}${path}`, { connections: 4, seconds: options.seconds });
        out.push({ backend, side: name, prosjekter: options.projects, "ms": null, "gulv ms": null, forhold: null, "req/s": Math.round(r.rps * 10) / 10, "p50 ms": r.p50, "p95 ms": r.p95, feil: r.errors });
      }
    } finally {
      await instance.close();
    }
  }
  return out;
}

// Issue 7's figures: the national overview page and API over 100,000
// projects from 357 municipalities with 5,000 imitation links.
import { sql } from "drizzle-orm";
import { overviewStats } from "../db/overview.ts";
import { setupInstance } from "../services/setup.ts";
import { backendsFor, startBenchInstance } from "./instance.ts";
import { measure, type Row } from "./measure.ts";
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
      // What the first request after any change pays: the figures recomputed from the raw data.
      const cold: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await overviewStats(instance.ctx.db, {});
        cold.push(performance.now() - t0);
      }
      out.push({ backend, side: "beregning etter endring (uten buffer)", "req/s": null, "p50 ms": cold.sort((a, b) => a - b)[1], "p95 ms": null, feil: 0 });
      for (const [name, path] of [
        ["API /overview", "/api/v1/overview"],
        ["API /overview?fylke", "/api/v1/overview?fylke=ostfold&serviceArea=helse-omsorg"],
        ["oversiktsside", "/oversikt"],
      ] as const) {
        console.error(`  måler ${name}`);
        const r = await measure(`${instance.url}${path}`, { connections: 4, seconds: options.seconds });
        out.push({ backend, side: name, "req/s": Math.round(r.rps * 10) / 10, "p50 ms": r.p50, "p95 ms": r.p95, feil: r.errors });
      }
    } finally {
      await instance.close();
    }
  }
  return out;
}

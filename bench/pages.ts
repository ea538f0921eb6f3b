// Issue 3's figures: requests/s and latency of the main pages and the JSON
// list over 10,000 projects, on PGlite and on PostgreSQL, plus page weights.
// Each page rendered for every request (no page cache) stands beside its
// floor, measured right after it with the same load: bare Express 5 in the
// same process serving a string of the same size (issue 16).
import type { AddressInfo } from "node:net";
import express from "express";
import { setupInstance } from "../services/setup.ts";
import { sql } from "drizzle-orm";
import { listProjects } from "../db/projects.ts";
import { defaultSetup } from "../tests/helpers/instance.ts";
import { backendsFor, startBenchInstance } from "./instance.ts";
import { measure, type Row } from "./measure.ts";
import { seedLocalProjects } from "./seed.ts";

export interface PagesBenchOptions {
  projects: number;
  seconds: number;
  connections: number;
  postgresUrl?: string;
}

/** Bare Express 5 on a free loopback port, answering every GET with `body`. */
async function bareExpress(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get("/{*any}", (_req, res) => {
    res.type("html").send(body);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function benchPages(options: PagesBenchOptions): Promise<{ load: Row[]; weights: Row[] }> {
  const load: Row[] = [];
  const weights: Row[] = [];
  const backends = backendsFor(options.postgresUrl);
  for (const backend of backends) {
    console.error(`\n${backend}: ${options.projects} prosjekter`);
    const instance = await startBenchInstance(backend);
    const config = instance.ctx.config;
    try {
      const { municipality } = await setupInstance(instance.ctx.db, defaultSetup, { origin: config.origin, role: "municipality" });
      await seedLocalProjects(instance.ctx.db, municipality, config.origin, options.projects);
      // A settled database, as after autovacuum: statistics and visibility map current.
      await instance.ctx.db.execute(sql`vacuum analyze`);
      const sample = (await listProjects(instance.ctx.db, {}, { perPage: 1 })).items[0];
      const targets: [string, string][] = [
        ["forside", "/"],
        ["filtrert liste", "/prosjekter?phase=drift&serviceArea=helse-omsorg&page=2"],
        ["prosjektside", `/prosjekter/${sample.slug}`],
        ["JSON-liste", "/api/v1/projects?phase=drift&perPage=20"],
      ];
      // The same pages rendered for every request: a session cookie that matches
      // no session skips the public page cache, as for signed-in staff.
      const uncached = { cookie: "kominn_session=benchmark" };
      const runs = [
        ...targets.map(([name, path]) => ({ name, path, headers: undefined })),
        ...targets.slice(1, 3).map(([name, path]) => ({ name: `${name} (uten buffer)`, path, headers: uncached })),
      ];
      for (const { name, path, headers } of runs) {
        console.error(`  måler ${name} (${options.seconds} s, ${options.connections} forbindelser)`);
        const r = await measure(`${instance.url}${path}`, { connections: options.connections, seconds: options.seconds, headers });
        let floor: number | null = null;
        if (headers) {
          const bare = await bareExpress("x".repeat(r.bytes));
          try {
            floor = Math.round((await measure(bare.url, { connections: options.connections, seconds: options.seconds })).rps);
          } finally {
            await bare.close();
          }
        }
        load.push({
          backend,
          side: name,
          "req/s": Math.round(r.rps),
          "p50 ms": r.p50,
          "p95 ms": r.p95,
          feil: r.errors,
          "gulv req/s": floor,
          ratio: floor ? `${(r.rps / floor).toFixed(2)}×` : null,
        });
        if (backend === backends[0] && !headers) weights.push({ side: name, "kB (ukomprimert)": r.bytes / 1024 });
      }
    } finally {
      await instance.close();
    }
  }
  return { load, weights };
}
